"""The exact Hessian from the trace (forward-over-reverse in Fractions): equal to the
Hessian of the local polynomial by sp.diff, to PyTorch's at kinks and ties, and fast
on deep linear stacks where sp.diff of the expanded loss took a minute."""

import time
from dataclasses import replace
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
import torch
import torch_reference
from hypothesis import HealthCheck, assume, given, settings
from conftest import count11_network
from strategies import architectures, pooled_architectures, random_rationals

import symcnn as sc
from symcnn.prove.hessian import exact_hessian, loss_derivatives
from symcnn.prove.verify import forward_values
from symcnn.symbolic.terms import substitute

EXACT = ("identity", "relu", "leaky_relu")


def local_polynomial(trace, weights, image):
    """F_NN near `weights` as a polynomial (the old curvature.py, with each ReLU's
    piece taken by its convention f'(v) z so that it is defined at kinks too)."""
    values = forward_values(trace, weights, image)
    pieces = {}
    for row in trace.rows:
        if row.role == "activation":
            z = row.expr.args[0]
            pieces[row.symbol] = row.activation.derivative(values[z]) * z
        elif row.role == "pool":
            cells = row.expr.args if row.tie == "first" else row.expr.args[::-1]
            numbers = [values[cell] for cell in cells]
            best = max(numbers) if row.expr.func.__name__ == "PoolMax" else min(numbers)
            pieces[row.symbol] = cells[numbers.index(best)]
        elif row.role == "linear":
            pieces[row.symbol] = row.expr
    pixels = dict(zip(trace.pixels.flat, image.flat))
    return [sp.expand(substitute(out, {**pieces, **pixels})) for out in trace.outputs]


def sp_diff_hessian(trace, weights, data):
    """The Hessian as curvature.py took it before: sp.diff of the expanded loss."""
    loss = sp.S.Zero
    for sample in data.samples:
        outputs = local_polynomial(trace, weights, sample.image)
        loss += sum((out - y) ** 2 for out, y in zip(outputs, sample.target))
    point = dict(zip(trace.parameters, weights))
    gradient = [sp.diff(loss, a) for a in trace.parameters]
    return [
        [Fraction(str(sp.diff(g, b).xreplace(point))) for b in trace.parameters]
        for g in gradient
    ]


def random_data(network, count, seed, *, high=2):
    """`count` samples of small integer pixels (0..high) and integer targets."""
    rng = np.random.default_rng(seed)
    shape, outputs = network.shapes[0], int(np.prod(network.shapes[-1]))
    rows = [
        (
            rng.integers(0, high + 1, shape).tolist(),
            rng.integers(-2, 3, outputs).tolist(),
        )
        for _ in range(count)
    ]
    return sc.Dataset.from_rows(rows)


def dyadic(network):
    """The network with leaky ReLU's slope 1/4 instead of 0.01: every value is then a
    dyadic rational that float64 holds exactly, so PyTorch meets the same kinks."""
    layers = [
        replace(layer, activation=sc.activation("leaky_relu", slope="1/4"))
        if getattr(layer, "activation", None) is not None
        and layer.activation.kind == "leaky_relu"
        else layer
        for layer in network.layers
    ]
    return sc.Network(network.input, *layers)


def torch_hessian(network, weights, data):
    theta = torch.tensor([float(w) for w in weights], dtype=torch.float64)
    images = torch.tensor(data.pixel_arrays())
    targets = torch.tensor(data.target_arrays())

    def loss(t):
        return ((torch_reference.forward(network, t, images) - targets) ** 2).sum()

    return torch.autograd.functional.hessian(loss, theta).numpy()


def test_product_of_two_weights_at_zero_keeps_the_cross_term():
    network = sc.Network(
        sc.Input(height=1, width=1),
        sc.Dense(1, bias=False),
        sc.Dense(1, bias=False, letter="v"),
    )
    data = sc.Dataset.from_rows([([[1]], 1)])
    # L = (v w - 1)^2: at v = w = 0 the tangent of v w is 0, its second derivative -2
    assert exact_hessian(sc.build_trace(network), [0, 0], data) == [[0, -2], [-2, 0]]


def test_relu_at_its_kink_takes_the_layers_derivative_and_no_curvature():
    data = sc.Dataset.from_rows([([[1]], 1)])
    expected = {
        0: [[0, 0, 0], [0, 0, 0], [0, 0, 2]],  # piece 0: F = b
        1: [[2, -2, 2], [-2, 0, 0], [2, 0, 2]],  # piece w: F = v w + b
    }
    for at_zero, hessian in expected.items():
        relu = sc.activation("relu", grad_at_zero=at_zero)
        network = sc.Network(
            sc.Input(height=1, width=1),
            sc.Dense(1, bias=False, activation=relu),
            sc.Dense(1, letter="v"),
        )
        # parameters w, v, b at 0, 1, 0: relu(p w) sits at its kink
        assert exact_hessian(sc.build_trace(network), [0, 1, 0], data) == hessian


def test_max_pool_tie_goes_to_the_first_cell_or_the_last():
    data = sc.Dataset.from_rows([([[1, 0, 1]], 0)])
    expected = {
        "first": [[2, 0, 4], [0, 0, 0], [4, 0, 2]],  # F = u w_1
        "last": [[0, 0, 0], [0, 2, 4], [0, 4, 2]],  # F = u w_2
    }
    for tie, hessian in expected.items():
        network = sc.Network(
            sc.Input(height=1, width=3),
            sc.Conv2D(1, (1, 2)),
            sc.MaxPool2D((1, 2), tie=tie),
            sc.Dense(1, bias=False, letter="u"),
        )
        # cells p_11 w_1 + p_12 w_2 = w_1 and p_12 w_1 + p_13 w_2 = w_2 tie at 1
        assert exact_hessian(sc.build_trace(network), [1, 1, 1], data) == hessian


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.filter_too_much]
)
@given(architectures(activations=EXACT))
def test_hessian_equals_sp_diff_of_the_local_polynomial(case):
    network, samples, seed = case
    assume(len(network.parameters) <= 16 and sc.build_trace(network).terms <= 150)
    trace = sc.build_trace(network)
    weights = random_rationals(len(network.parameters), seed)
    data = random_data(network, min(samples, 2), seed)
    assert exact_hessian(trace, weights, data) == sp_diff_hessian(trace, weights, data)


def test_deep_linear_stack_of_the_issue_is_fast_and_unchanged():
    """3x7x4 input, three identity convs, two dense layers: 55 parameters. sp.diff of
    the expanded loss took 65 s here; its inertia was (19, 20, 16)."""
    network = sc.Network(
        sc.Input(channels=3, height=7, width=4),
        sc.Conv2D(2, 2),
        sc.Conv2D(1, 2),
        sc.Conv2D(1, (2, 1)),
        sc.Dense(2),
        sc.Dense(1),
    )
    rng = np.random.default_rng(0)
    weights = [sp.Integer(v) for v in rng.integers(-3, 4, len(network.parameters))]
    data = sc.Dataset.from_rows([(rng.integers(0, 2, (3, 7, 4)).tolist(), 1)])
    start = time.perf_counter()
    report = sc.full_check(sc.build_trace(network), weights, data)
    elapsed = time.perf_counter() - start
    curvature = report.curvature
    assert (curvature.positive, curvature.negative, curvature.zero) == (19, 20, 16)
    assert elapsed < 5


def test_gradient_of_the_sweep_is_verify_gradient():
    network = sc.Network(
        sc.Input(height=3, width=3),
        sc.Conv2D(2, 2, activation="relu", bias=True),
        sc.MaxPool2D(2, floor=True),
        sc.Dense(2, activation="leaky_relu"),
        sc.Dense(1),
    )
    trace = sc.build_trace(network)
    weights = random_rationals(len(network.parameters), 3)
    data = random_data(network, 3, 3)
    gradient, _ = loss_derivatives(trace, weights, data)
    assert gradient == [
        Fraction(str(g)) for g in sc.check_trace(trace, weights, data).gradient
    ]


def test_hessian_size_limit_is_named():
    network = sc.Network(sc.Input(height=3, width=3), sc.Dense(7), sc.Dense(1))
    data = random_data(network, 1, 0)
    report = sc.full_check(sc.build_trace(network), [1] * 78, data)
    assert report.curvature.reason == "78 parameters (the limit is 64)"


def test_hessian_work_limit_is_named(monkeypatch):
    monkeypatch.setattr("symcnn.prove.curvature.MAX_HESSIAN_WORK", 50)
    network = sc.Network(sc.Input(height=2, width=2), sc.Dense(1))
    data = random_data(network, 2, 0)
    report = sc.full_check(sc.build_trace(network), [1, 2, 3, 4, 5], data)
    assert report.curvature.verdict == (
        "not computed: 5 parameters x 8 terms x 2 samples = 80 steps (the limit is 50)"
    )


def integer_case(network, samples, seed):
    """Small integer weights (-2..2) and pixels (0..2): kinks and ties everywhere."""
    rng = np.random.default_rng(seed)
    weights = [sp.Integer(v) for v in rng.integers(-2, 3, len(network.parameters))]
    return weights, random_data(network, min(samples, 3), seed)


def agrees_with_pytorch(network, weights, data):
    """check with second-order facts never errors, and its gradient (and the left
    one-sided one, PyTorch's conventions too) and, up to 64 parameters, the Hessian
    with the same conventions at kinks and ties, are PyTorch's."""
    network = dyadic(network)
    trace = sc.build_trace(network)
    start = time.perf_counter()
    report = sc.full_check(trace, weights, data)
    assert time.perf_counter() - start < 5  # 0.3 s for the slowest case seen here
    theta = np.array([float(w) for w in weights])
    _, expected = torch_reference.loss_and_gradient(network, theta, data)
    np.testing.assert_allclose([float(g) for g in report.gradient], expected, atol=1e-9)
    if report.kinks:
        assert report.one_sided["left"] == report.gradient
        assert report.curvature.reason.startswith("L is not twice differentiable")
    elif len(weights) <= 64:
        assert report.curvature.reason == ""
    if len(weights) > 64:
        return  # check computes no Hessian there; PyTorch's would take seconds
    hessian = exact_hessian(trace, weights, data)
    assert all(
        hessian[i][j] == hessian[j][i] for i in range(len(weights)) for j in range(i)
    )
    np.testing.assert_allclose(
        np.array(hessian, dtype=float), torch_hessian(network, weights, data), atol=1e-9
    )


@settings(max_examples=12, deadline=None)
@given(pooled_architectures())
def test_check_on_random_pooled_stacks_agrees_with_pytorch(case):
    network, samples, seed = case
    agrees_with_pytorch(network, *integer_case(network, samples, seed))


@settings(max_examples=12, deadline=None)
@given(architectures(activations=EXACT))
def test_check_on_random_conv_dense_stacks_agrees_with_pytorch(case):
    network, samples, seed = case
    agrees_with_pytorch(network, *integer_case(network, samples, seed))


def test_hessian_refuses_activations_without_exact_values():
    network = sc.Network(sc.Input(height=1, width=1), sc.Dense(1, activation="tanh"))
    data = sc.Dataset.from_rows([([[1]], 1)])
    with pytest.raises(sc.SymcnnError, match=r"layer 1 \(Dense\) uses tanh"):
        exact_hessian(sc.build_trace(network), [1, 0], data)


def test_a_network_without_parameters_claims_no_curvature():
    network = sc.Network(sc.Input(height=2, width=2), sc.MaxPool2D((1, 2)))
    data = sc.Dataset.from_rows([("01/10", [0, 1])])
    report = sc.check(network, {}, data)
    assert report.curvature.verdict == "not computed: the network has no parameters"


def test_an_elimination_past_its_time_limit_is_not_classified(monkeypatch):
    """27 weights of 480-digit fractions took 68 s to classify (the entries' digits,
    not the matrix size, set the cost): now bounded by MAX_INERTIA_SECONDS."""
    from fractions import Fraction

    from symcnn.prove import curvature

    matrix = [[Fraction(2), Fraction(1)], [Fraction(1), Fraction(3)]]
    assert curvature.inertia(matrix) == (2, 0, 0)
    with pytest.raises(curvature.TooSlow):
        curvature.inertia(matrix, seconds=-1)
    monkeypatch.setattr(curvature, "MAX_INERTIA_SECONDS", -1)
    weights = {p.name.latex: sp.Rational(k + 1, 7) for k, p in
               enumerate(count11_network().parameters)}  # fmt: skip
    data = sc.Dataset.from_rows([("011/001", 1)])
    report = sc.check(count11_network(), weights, data)
    assert not report.kinks
    assert report.curvature.reason == (
        "its exact entries grew too long to classify within -1 s "
        "(weights with long fractions)"
    )
