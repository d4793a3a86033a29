"""check_every_image: block targets, verdicts, processes, the 5x5 example, limits."""

import numpy as np
import pytest
import sympy as sp
from conftest import DERIVATIONS
from hypothesis import given, settings
from hypothesis import strategies as st

import symcnn as sc
from symcnn.errors import SymcnnError
from symcnn.files.weights import read_weight_file
from symcnn.model.targets import contains_pattern, count_pattern
from symcnn.model.images import check_alphabet, digits, image_count, values_of
from symcnn.prove import exhaustive
from symcnn.prove.exhaustive import Job, block_at, check_every_image, run_block
from symcnn.prove.integers import integer_plan
from symcnn.prove.verdicts import Verdict
from symcnn.prove.verify import forward_values

BINARY = (sp.Integer(0), sp.Integer(1))


@settings(max_examples=30, deadline=None)
@given(
    st.sampled_from(["11", "1/1", "10/01", "0", "111", "1/0/1", "1/1/1/1/1"]),
    st.tuples(st.integers(1, 2), st.integers(1, 4), st.integers(1, 4)),
    st.sampled_from([count_pattern, contains_pattern]),
    st.floats(0, 1),
)
def test_block_targets_equal_the_target_image_by_image(pattern, shape, kind, where):
    target = kind(pattern)
    alphabet = check_alphabet((-1, 0, 1) if shape[0] == 1 else (0, 1))
    count = min(300, image_count(shape, alphabet))
    start = int(where * (image_count(shape, alphabet) - count))
    positions = digits(start, count, int(np.prod(shape)), len(alphabet))
    images = values_of(positions, alphabet).reshape((count, *shape))
    (found,) = exhaustive.block_targets(target, images)
    expected = [target(exhaustive.exact_image(image)) for image in images]
    assert found.tolist() == expected


def two_class_net():
    """F_1 = p_1 - p_2 and F_2 = p_2 - p_1 on 1x2 images: ties when p_1 = p_2."""
    network = sc.Network(sc.Input(height=1, width=2), sc.Dense(2, bias=False))
    weights = [sp.Integer(v) for v in (1, -1, -1, 1)]
    return sc.build_trace(network), weights


def test_argmax_with_class_indices_one_hot_targets_and_ties():
    trace, weights = two_class_net()

    def index(image):  # class 0 when the first pixel is larger
        return 0 if image[0, 0, 0] > image[0, 0, 1] else 1

    def one_hot(image):
        return [1, 0] if index(image) == 0 else [0, 1]

    for target in (index, one_hot):
        found = check_every_image(trace, weights, target, verdict=Verdict("argmax"))
        wrong = [tuple(m.image.flat) for m in found.mismatches]
        assert (found.right, wrong) == (2, [(0, 0), (1, 1)])  # the two ties


def test_a_class_index_that_names_no_output_is_refused():
    trace, weights = two_class_net()
    with pytest.raises(SymcnnError, match="the target gives the class 5"):
        check_every_image(trace, weights, lambda image: 5, verdict=Verdict("argmax"))


def test_processes_give_what_one_process_gives(monkeypatch):
    """Blocks of 256 make 64 blocks of the 4x4 net: the pool of processes runs them."""
    network = sc.Network(
        sc.Input(height=4, width=4),
        sc.Conv2D(1, (1, 2), bias=True, activation="relu"),
        sc.Dense(1),
    )
    trace = sc.build_trace(network)
    weights = [sp.Integer(v) for v in [1, 1, -1] + [1] * 11 + [0, 0]]  # one unit off
    alone = check_every_image(trace, weights, sc.count_pattern("11"))
    monkeypatch.setattr(exhaustive, "BLOCK", 256)
    monkeypatch.setattr(exhaustive, "workers", lambda blocks: 2)
    pooled = check_every_image(trace, weights, sc.count_pattern("11"))
    assert alone.wrong_count == pooled.wrong_count == 2**14  # p_44 = p_43 = 1
    assert [m.image.tolist() for m in alone.mismatches] == [
        m.image.tolist() for m in pooled.mismatches
    ]


def test_the_5x5_example_on_blocks_from_its_first_middle_and_last_images():
    """The full 2^25 run is benchmarks/exhaustive.py's; here three blocks of it."""
    spec = sc.read_spec(DERIVATIONS / "contains11_5x5.toml")
    path = DERIVATIONS / "contains11_5x5-weights.toml"
    weights = read_weight_file(path).resolve(spec.network, None)
    trace = sc.build_trace(spec.network)
    job = Job(
        integer_plan(trace, weights, BINARY), spec.target, Verdict(), BINARY, (1, 5, 5)
    )
    for start in (0, 2**24 + 12345, 2**25 - 4096):
        images = block_at(job, start, 4096)
        assert run_block(job, images)[:2] == (4096, 0)
    image = images[-1]  # all ones: contains 1/1, and SymPy agrees
    values = forward_values(trace, weights, exhaustive.exact_image(image))
    assert values[trace.outputs[0]] == 1 and spec.target(image) == 1


def test_the_estimate_comes_before_the_work_and_progress_counts_every_image():
    trace, weights = two_class_net()
    said, done = [], []
    check_every_image(
        trace,
        weights,
        lambda image: 0,
        verdict=Verdict("argmax"),
        announce=lambda total, seconds: said.append((total, seconds >= 0)),
        progress=done.append,
    )
    assert said == [(4, True)] and sum(done) == 4


def test_max_images_is_bounded_by_the_limit():
    trace, weights = two_class_net()
    with pytest.raises(SymcnnError, match="limits.MAX_EXHAUSTIVE_IMAGES"):
        check_every_image(trace, weights, lambda i: 0, max_images=2**31)
    with pytest.raises(SymcnnError, match="has 4 images, above --max-images 3"):
        check_every_image(trace, weights, lambda i: 0, max_images=3)


def test_a_class_out_of_range_names_its_image():
    trace, weights = two_class_net()

    def target(image):
        return 2 if image[0, 0, 1] == 1 else 0

    with pytest.raises(SymcnnError) as caught:
        check_every_image(trace, weights, target, verdict=Verdict("argmax"))
    assert str(caught.value) == (
        "the target gives the class 2 for the image 01 but the network's classes "
        "are 0 to 1; give a class index or a one-hot vector"
    )


def test_max_images_says_what_leaving_it_out_does():
    trace, weights = two_class_net()
    with pytest.raises(SymcnnError) as caught:
        check_every_image(trace, weights, lambda i: 0, max_images=3)
    assert str(caught.value).endswith("leave it out to check all 4 (a proof)")
    with pytest.raises(SymcnnError) as caught:
        check_every_image(
            trace, weights, lambda i: 0, max_images=3, enumerate_up_to=2
        )
    assert str(caught.value).endswith(
        "leave it out to check a random sample (not a proof)"
    )


def test_an_integer_target_against_a_fractional_output():
    network = sc.Network(sc.Input(height=1, width=1), sc.Dense(1))
    trace = sc.build_trace(network)
    weights = [sp.Rational(1, 2), sp.Rational(1, 4)]  # F = p/2 + 1/4
    found = check_every_image(
        trace, weights, lambda image: 0, verdict=Verdict("tol", sp.Rational(1, 4))
    )
    assert found.right == 1 and found.mismatches[0].output == (sp.Rational(3, 4),)
    found = check_every_image(
        trace,
        weights,
        lambda image: int(image[0, 0, 0]),
        verdict=Verdict("threshold", sp.Rational(1, 2)),
    )
    assert found.right == 2
    np.testing.assert_equal(found.wrong_count, 0)


def test_the_estimate_counts_only_the_idle_cpus(monkeypatch):
    # 2 CPUs, load 4.6 (others' work): a second process gains nothing
    monkeypatch.setattr(exhaustive.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(exhaustive.os, "getloadavg", lambda: (4.6, 0, 0))
    assert exhaustive.speedup(2) == 1.0
    monkeypatch.setattr(exhaustive.os, "getloadavg", lambda: (0.0, 0, 0))
    assert exhaustive.speedup(2) == 2.0
    monkeypatch.setattr(exhaustive.os, "getloadavg", lambda: (1.5, 0, 0))
    assert exhaustive.speedup(4) == 1.5


def test_only_the_listed_wrong_images_get_exact_values():
    # every block keeps raw rows; the Mismatches are made for MAX_LISTED at most
    trace, weights = two_class_net()
    job = Job(
        integer_plan(trace, weights, BINARY), lambda i: (5, 5), Verdict(), BINARY,
        tuple(trace.network.shapes[0]),
    )
    checked, wrong, rows = exhaustive.block_rows(job, block_at(job, 0, 4))
    assert (checked, wrong, len(rows)) == (4, 4, 4)
    assert isinstance(rows[0][1][0], int)
