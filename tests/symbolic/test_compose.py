"""Composed filters (slide L7): a linear stack is one filter, and its best patch."""

import numpy as np
import pytest
import sympy as sp
from conftest import DERIVATIONS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import symcnn as sc
from symcnn.symbolic.compose import compose, max_response


def test_l7_stack_is_one_filter_and_its_best_patch():
    spec = sc.read_spec(DERIVATIONS / "l7_filters.toml")
    weights = sc.read_weight_file(DERIVATIONS / "l7_filters-weights.toml").resolve(
        spec.network
    )
    composed = compose(sc.build_trace(spec.network), weights)
    assert composed.kernel[0, 0].tolist() == [[0, -1, 0], [-1, 1, -1], [0, -1, 0]]
    best = max_response(composed.kernel[0])
    assert best.value == 1 and best.count == 16
    assert ["".join(row) for row in best.pattern[0]] == ["*0*", "010", "*0*"]


def test_symbolic_composition_of_two_filters():
    net = sc.Network(
        sc.Input(height=3, width=3),
        sc.Conv2D(1, (1, 2), name="a"),
        sc.Conv2D(1, (2, 1), letter="v"),
    )
    kernel = compose(sc.build_trace(net)).kernel[0, 0]
    w1, w2 = sp.symbols("w_1 w_2", real=True)
    v1, v2 = sp.symbols("v_1 v_2", real=True)
    assert kernel.tolist() == [[v1 * w1, v1 * w2], [v2 * w1, v2 * w2]]


def test_composition_refuses_a_nonlinearity():
    with pytest.raises(sc.SymcnnError, match=r"layer 1 \(Conv2D\) applies relu"):
        compose(
            sc.build_trace(
                sc.Network(
                    sc.Input(height=3, width=3), sc.Conv2D(1, 2, activation="relu")
                )
            )
        )


@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.integers(1, 2), st.integers(1, 3), st.integers(1, 3), st.integers(0, 10**6))
def test_composed_kernel_computes_what_the_stack_computes(channels, k1, k2, seed):
    net = sc.Network(
        sc.Input(channels=channels, height=6, width=6),
        sc.Conv2D(2, k1, bias=True),
        sc.Conv2D(1, k2, bias=True, letter="v", bias_letter="c"),
    )
    rng = np.random.default_rng(seed)
    theta = rng.normal(size=len(net.parameters))
    composed = compose(sc.build_trace(net), [sp.Float(t) for t in theta])
    image = rng.normal(size=(1, channels, 6, 6))
    stack = sc.compile_forward(sc.build_trace(net))(theta, image).reshape(
        6 - k1 - k2 + 2, -1
    )
    kernel = np.array(composed.kernel[0], dtype=float)
    size = kernel.shape[-1]
    direct = np.array(
        [
            [
                np.sum(image[0, :, i : i + size, j : j + size] * kernel)
                for j in range(stack.shape[1])
            ]
            for i in range(stack.shape[0])
        ]
    )
    np.testing.assert_allclose(direct + float(composed.bias[0]), stack, atol=1e-9)
