"""Second-order facts, exact: Hessian eigenvalue signs and one-sided gradients."""

from fractions import Fraction

import numpy as np
import sympy as sp
import torch
import torch_reference
from conftest import L4_WEIGHTS, count11_network

import symcnn as sc
from symcnn.prove.curvature import inertia


def test_inertia_counts_signs_even_with_zero_pivots():
    matrix = [[Fraction(v) for v in row] for row in [[0, -2], [-2, 0]]]
    assert inertia(matrix) == (1, 1, 0)
    assert inertia([[Fraction(1), Fraction(1)], [Fraction(1), Fraction(1)]]) == (
        1,
        0,
        1,
    )
    assert inertia([[Fraction(0)] * 3 for _ in range(3)]) == (0, 0, 3)


def test_linear_regression_on_independent_images_is_a_strict_minimum():
    network = sc.Network(sc.Input(height=1, width=2), sc.Dense(1, bias=False))
    data = sc.Dataset.from_rows([([[1, 0]], 1), ([[1, 1]], 3)])
    report = sc.check(network, {"w_{11,0}": 1, "w_{12,0}": 2}, data)
    assert report.loss == 0 and report.gradient_is_zero
    assert (report.curvature.positive, report.curvature.zero) == (2, 0)
    assert report.curvature.verdict.startswith(
        "positive definite: a strict local minimum"
    )


def test_a_product_of_two_weights_at_zero_is_a_saddle():
    network = sc.Network(
        sc.Input(height=1, width=1),
        sc.Dense(1, bias=False),
        sc.Dense(1, bias=False, letter="v"),
    )
    data = sc.Dataset.from_rows([([[1]], 1)])
    report = sc.check(network, {"w_{11,1}": 0, "v_{1,0}": 0}, data)
    assert report.gradient_is_zero and report.loss == 1
    assert (report.curvature.positive, report.curvature.negative) == (1, 1)
    assert "saddle" in report.curvature.verdict


def test_count11_hessian_signs_agree_with_pytorch(count11_data):
    net = count11_network()
    rng = np.random.default_rng(1)
    weights = [sp.Rational(int(n), 7) for n in rng.integers(-7, 8, len(net.parameters))]
    report = sc.full_check(sc.build_trace(net), weights, count11_data)
    assert not report.kinks
    theta = torch.tensor([float(w) for w in weights], dtype=torch.float64)
    images = torch.tensor(count11_data.pixel_arrays())
    targets = torch.tensor(count11_data.target_arrays())

    def loss(t):
        return ((torch_reference.forward(net, t, images) - targets) ** 2).sum()

    eigenvalues = torch.linalg.eigvalsh(torch.autograd.functional.hessian(loss, theta))
    tolerance = 1e-9
    counts = (
        int((eigenvalues > tolerance).sum()),
        int((eigenvalues < -tolerance).sum()),
        int((eigenvalues.abs() <= tolerance).sum()),
    )
    curvature = report.curvature
    assert (curvature.positive, curvature.negative, curvature.zero) == counts


def test_at_the_l4_kinks_the_hessian_is_not_claimed(count11_data):
    report = sc.check(count11_network(), L4_WEIGHTS, count11_data, missing="zero")
    assert report.curvature.reason.startswith("L is not twice differentiable at the 8")
    assert all(g == 0 for side in report.one_sided.values() for g in side)


def test_one_sided_gradients_differ_where_a_kink_carries_a_residual(count11_data):
    weights = dict(L4_WEIGHTS, **{"b_{0}": "1/3"})
    report = sc.check(count11_network(), weights, count11_data, missing="zero")
    left, right = report.one_sided["left"], report.one_sided["right"]
    assert left != right
    names = [p.name.latex for p in count11_network().parameters]
    # b_1 only sees samples where f(a_11 - 1) is active or at its kink: P2 is active
    # (a_11 = 2), P1 and P3 sit at the kink, so the right derivative adds them.
    residual = sp.Rational(2, 3)  # dL/dF = 2 (F - Y) = 2/3 on every sample
    assert left[names.index("b_{1}")] == residual
    assert right[names.index("b_{1}")] == 3 * residual


def test_random_sample_generalization_for_large_inputs():
    """Above MAX_EXHAUSTIVE_IMAGES (2^30) images: a seeded sample, not a proof."""
    from symcnn.prove.verify import exhaustive_check

    network = sc.Network(
        sc.Input(height=3, width=11),
        sc.Conv2D(1, (1, 2), name="a"),
        sc.Dense(1, bias=False),
    )
    trace = sc.build_trace(network)
    ones = [sp.S.One] * len(network.parameters)
    result = exhaustive_check(
        trace,
        ones,
        lambda image: 2 * sum(image.flat) - sum(image[0, :, 0]) - sum(image[0, :, -1]),
        sample=50,
        seed=7,
    )
    assert (result.checked, result.total, result.seed) == (50, 2**33, 7)
    assert not result.is_complete and result.mismatches == ()
