"""Right/wrong counts of float weights (numeric/accuracy.py), each loss's reading."""

import numpy as np
import pytest
import sympy as sp
from conftest import L4_WEIGHTS, count11_network
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import architectures, random_rationals

import symcnn as sc
from symcnn.numeric import accuracy as module
from symcnn.numeric.accuracy import accuracy, every_image_accuracy

COUNT_11 = sc.count_pattern("11")


def l4(**changes):
    net = count11_network()
    weights = sc.resolve(net, {**L4_WEIGHTS, **changes}, missing="zero")
    return sc.build_trace(net), np.array([float(w) for w in weights])


def every(trace, theta, target=COUNT_11):
    return every_image_accuracy(trace, theta, target, limit=2**16)


def test_the_l4_weights_are_right_on_every_image():
    found = every(*l4())
    assert (found.right, found.total, found.wrong) == (64, 64, ())
    assert found.what == "images of 2x3 over 2 pixel values"
    assert found.rule == (
        "right when every output is within 1/2 of its target (|F - Y| <= 1/2, "
        "as check --exhaustive --tol 0.5)"
    )


@pytest.mark.parametrize(
    ("b_0", "right"), [(0.49, 64), (-0.49, 64), (-0.5, 64), (0.5, 64), (-0.51, 0)]
)
def test_an_output_is_right_within_one_half(b_0, right):
    assert every(*l4(**{"b_{0}": b_0})).right == right


def test_a_learned_float_net_gets_the_exact_count_of_wrong_images():
    # w_2 = 1.3: f(p + 1.3 q - 1) adds 0.3 for every "01" and "11": wrong from
    # two of them on; the float count against the exact outputs
    trace, theta = l4(**{"w_{2}": "1.3"})
    found = every(trace, theta)
    exact = sc.resolve(
        count11_network(), {**L4_WEIGHTS, "w_{2}": "13/10"}, missing="zero"
    )
    wrong = []
    for image in sc.binary_images((1, 2, 3)):
        output = sc.forward_exact(trace, exact, image)[-1].values.flat[0]
        if not abs(output - COUNT_11(image)) <= sp.Rational(1, 2):
            wrong.append(sc.image_text(image))
    assert found.wrong_count == len(wrong) == 44
    assert [sc.image_text(w.image) for w in found.wrong] == wrong
    first = found.wrong[0]
    assert first.name == "image 4" and first.target == (1,)  # 000/011: 0.3 + 1.3
    assert first.output == pytest.approx((1.6,))


def test_cross_entropy_reads_the_largest_output():
    net = sc.Network(sc.Input(height=1, width=2), sc.Dense(2, bias=False))
    trace = sc.build_trace(net, loss="cross_entropy")
    data = sc.Dataset.from_rows([("10", 0), ("01", 1), ("11", 1)])
    # outputs (p_1, p_2): argmax is 0 for "10", 1 for "01", 0 for the tie "11"
    found = accuracy(trace, np.array([1.0, 0.0, 0.0, 1.0]), data)
    assert (found.right, [w.name for w in found.wrong]) == (2, ["P3"])
    assert found.rule == "the class is the largest output (argmax)"


def test_binary_cross_entropy_reads_a_logit_at_zero_as_one():
    net = sc.Network(sc.Input(height=1, width=2), sc.Dense(1))
    trace = sc.build_trace(net, loss="binary_cross_entropy")
    data = sc.Dataset.from_rows([("00", 1), ("10", 0), ("01", 0)])
    # F = p_1 - p_2 + 0: 0 on "00" (read 1), 1 on "10" (read 1), -1 on "01"
    found = accuracy(trace, np.array([1.0, -1.0, 0.0]), data)
    assert [w.name for w in found.wrong] == ["P2"]


def test_the_wrong_images_kept_are_bounded(monkeypatch):
    monkeypatch.setattr(module, "MAX_WRONG_KEPT", 3)
    found = every(*l4(**{"b_{0}": 5}))
    assert found.wrong_count == 64 and len(found.wrong) == 3


def test_too_many_images_are_not_counted():
    assert every_image_accuracy(*l4(), COUNT_11, limit=63) is None


@settings(max_examples=10, deadline=None)
@given(architectures(activations=("identity", "relu")), st.integers(0, 2**16))
def test_float_counts_equal_exact_rounding_on_random_nets(case, seed):
    """Dyadic weights and pixels: float64 holds every value exactly, so the float
    count must be the exact one, |F - Y| <= 1/2 decided in Rationals. Targets are
    floor(F) or floor(F) + 1, so about half are right, and F = n + 1/2 sits on the
    rule's boundary (right either way)."""
    network, _, _ = case
    trace = sc.build_trace(network)
    exact = random_rationals(len(network.parameters), seed)
    rng = np.random.default_rng(seed)
    samples, right = [], 0
    for number in range(1, 13):
        pixels = random_rationals(int(np.prod(network.shapes[0])), seed + number)
        image = np.array(pixels, dtype=object).reshape(network.shapes[0])
        values = list(sc.forward_exact(trace, exact, image)[-1].values.flat)
        target = tuple(sp.floor(f) + int(rng.integers(0, 2)) for f in values)
        right += all(abs(f - y) <= sp.Rational(1, 2) for f, y in zip(values, target))
        samples.append(sc.Sample(f"P{number}", image, target))
    data = sc.Dataset(tuple(samples))
    found = accuracy(trace, np.array([float(w) for w in exact]), data)
    assert found.right == right


HALF_SPEC = """
[input]
height = 1
width = 2
[[layers]]
type = "conv"
filters = 1
kernel = [1, 2]
[[layers]]
type = "dense"
units = 1
[data]
samples = "all"
[target]
kind = "count"
pattern = "1"
"""


def test_an_output_exactly_half_away_is_right_as_check_tol_half_says():
    # F = 1/2 everywhere against Y = 0, 1, 1, 2: F - Y = +1/2, -1/2, -1/2, -3/2;
    # train's report and check --exhaustive --tol 0.5 share one rule (<= 1/2)
    spec = sc.parse_spec(HALF_SPEC)
    weights = sc.resolve(spec.network, {"b_0": "1/2"}, missing="zero")
    found = sc.accuracy(spec.network, [float(w) for w in weights], spec.data)
    assert [w.name for w in found.wrong] == ["P4"]
    trace = sc.build_trace(spec.network)
    exact = sc.exhaustive_check(
        trace, weights, spec.target, verdict=sc.Verdict("tol", "0.5")
    )
    assert (exact.right, exact.total) == (found.right, found.total) == (3, 4)


@pytest.mark.parametrize(
    ("b", "target", "right"),
    [
        (0.25 - 2.0**-55, 1, 0),  # F = 1/2 - 2^-55 exactly, 0.5 as a float: wrong
        (0.25 - 2.0**-55, 0, 1),
        (0.25, 1, 1),  # exactly halfway: right (inclusive, as check --tol)
        (0.25 + 2.0**-54, 0, 0),  # F = 1/2 + 2^-54: 0.5 as a float sum, wrong
        (0.25 + 2.0**-54, 1, 1),
    ],
)
def test_a_borderline_output_is_judged_by_its_exact_value_as_check_does(
    b, target, right
):
    # the float sum 0.25 + b rounds to 0.5; check's exact rule sees F itself
    network = sc.Network(sc.Input(channels=1, height=1, width=1), sc.Dense(1))
    data = sc.Dataset.from_rows([([[1]], target)])
    found = sc.accuracy(network, [0.25, b], data)
    assert (found.right, found.total) == (right, 1)


def test_binary_cross_entropy_reads_the_exact_sign_of_the_logit():
    # F = 1 - 2^-60 - 1 = -2^-60 exactly; the float sum 1 - 2^-60 rounds to 1, F to 0
    network = sc.Network(sc.Input(channels=1, height=1, width=2), sc.Dense(1))
    data = sc.Dataset.from_rows([([[1, 1]], 1)])
    weights = [1.0, -(2.0**-60), -1.0]
    trace = sc.build_trace(network, loss="binary_cross_entropy")
    forward = sc.compile_forward(trace, backend="auto")
    assert forward(np.array(weights), data.pixel_arrays()).ravel().tolist() == [0.0]
    found = sc.accuracy(network, weights, data, loss="binary_cross_entropy")
    assert found.right == 0
