"""The compiled exhaustive check (numeric/exhaustive_c.py) finds exactly what the NumPy
engine finds: the same count of wrong images and the same images, on random nets,
weights, alphabets and verdicts (the NumPy engine is itself checked against SymPy)."""

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import LEAKY_DYADIC

import symcnn as sc
from symcnn.model.targets import contains_pattern, count_pattern
from symcnn.numeric import exhaustive_c
from symcnn.numeric.c_build import has_compiler
from symcnn.prove.exhaustive import check_every_image
from symcnn.prove.verdicts import Verdict

pytestmark = pytest.mark.skipif(not has_compiler(), reason="no C compiler")

WEIGHTS = [sp.Rational(w) for w in (0, 1, -1, 2, "1/2", "-1/3", "3")]
POOLS = ["max", "min", "avg"]
VERDICTS = [
    Verdict(),
    Verdict("tol", sp.Rational(1, 2)),
    Verdict("threshold", sp.Rational(1, 3)),
]


def both(trace, weights, target, alphabet, verdict):
    options = dict(alphabet=tuple(map(sp.Integer, alphabet)), verdict=verdict)
    numpy_ = check_every_image(trace, weights, target, **options)
    used = []

    def compiled(*args):
        found = exhaustive_c.compiled_check(*args)
        used.append(found is not None)
        return found

    c = check_every_image(trace, weights, target, compiled=compiled, **options)
    return numpy_, c, used


@st.composite
def small_nets(draw):
    """Conv (relu, leaky relu or identity), maybe a max/min/avg pool, a dense output:
    on at most 16 pixels, so that NumPy checks every image in a blink."""
    height, width = draw(st.integers(2, 4)), draw(st.integers(2, 4))
    kernel = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    layers = [
        sc.Conv2D(
            draw(st.integers(1, 2)),
            kernel,
            bias=draw(st.booleans()),
            activation=draw(st.sampled_from(["relu", LEAKY_DYADIC, "identity"])),
        )
    ]
    if width - kernel[1] >= 1 and draw(st.booleans()):  # room for a 1x2 window
        mode = draw(st.sampled_from(POOLS))
        layers.append(sc.Pool2D((1, 2), mode=mode, stride=1, floor=True))
    return sc.Network(sc.Input(height=height, width=width), *layers, sc.Dense(1))


@settings(max_examples=10, deadline=None)
@given(small_nets(), st.data())
def test_compiled_equals_numpy_on_random_nets(network, data):
    trace = sc.build_trace(network)
    weights = [data.draw(st.sampled_from(WEIGHTS)) for _ in trace.parameters]
    pixels = network.shapes[0][1] * network.shapes[0][2]
    alphabet = (-1, 0, 1) if pixels <= 8 and data.draw(st.booleans()) else (0, 1)
    verdict = data.draw(st.sampled_from(VERDICTS))
    kinds = [count_pattern, contains_pattern]
    if verdict.mode == "threshold":  # a count is refused (no binary answer)
        kinds = [contains_pattern]
    kind = data.draw(st.sampled_from(kinds))
    target = kind(data.draw(st.sampled_from(["11", "1/1", "1"])))
    saved = exhaustive_c.COMPILE_ABOVE, exhaustive_c.CHUNK
    exhaustive_c.COMPILE_ABOVE, exhaustive_c.CHUNK = 0, 777
    try:
        numpy_, c, used = both(trace, weights, target, alphabet, verdict)
    finally:
        exhaustive_c.COMPILE_ABOVE, exhaustive_c.CHUNK = saved
    assert used == [True]
    assert (c.checked, c.wrong_count) == (numpy_.checked, numpy_.wrong_count)
    assert [m.image.tolist() for m in c.mismatches] == [
        m.image.tolist() for m in numpy_.mismatches
    ]


def test_a_wrong_count11_net_on_4x4_in_chunks_and_threads(monkeypatch):
    monkeypatch.setattr(exhaustive_c, "COMPILE_ABOVE", 0)
    monkeypatch.setattr(exhaustive_c, "CHUNK", 1000)  # 66 calls over 2 threads
    network = sc.Network(
        sc.Input(height=4, width=4),
        sc.Conv2D(1, (1, 2), bias=True, activation="relu"),
        sc.Dense(1),
    )
    trace = sc.build_trace(network)
    weights = [sp.Integer(v) for v in [1, 1, -1] + [1] * 11 + [0, 0]]
    numpy_, c, used = both(trace, weights, count_pattern("11"), (0, 1), Verdict())
    assert used == [True] and c.wrong_count == numpy_.wrong_count == 2**14
    assert [m.image.tolist() for m in c.mismatches] == [
        m.image.tolist() for m in numpy_.mismatches
    ]


def test_a_threshold_on_a_count_is_refused_naming_the_image(monkeypatch):
    # "111" is the first 1x4 image with two "11": the C check stops there
    monkeypatch.setattr(exhaustive_c, "COMPILE_ABOVE", 0)
    trace = sc.build_trace(sc.Network(sc.Input(height=1, width=4), sc.Dense(1)))
    weights = [sp.Integer(1)] * 5
    for compiled in (None, exhaustive_c.compiled_check):
        with pytest.raises(sc.SymcnnError) as caught:
            check_every_image(
                trace,
                weights,
                count_pattern("11"),
                verdict=Verdict("threshold", "1/2"),
                compiled=compiled,
            )
        assert str(caught.value) == (
            "--threshold 1/2 reads F as 1 or 0, but the target is 2 for the image "
            "0111: not a binary answer (a count?); use --tol X (e.g. --tol 0.5) for "
            'a count, or a target of kind = "contains"'
        )
