"""The four losses: the same reverse-mode program on every backend equals PyTorch's
loss and gradient (random nets, float64); typeset forms; targets; exact check."""

import numpy as np
import pytest
import sympy as sp
import torch
import torch.nn.functional as F
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import architectures
from torch_reference import forward

import symcnn as sc
from symcnn.model.losses import LogSumExp, Softmax, SoftPlus

BACKENDS = ("python", "numpy", "c", "llvm")
LOSSES = ("squared_error", "mean_squared_error", "cross_entropy")


def torch_loss(kind, network, theta, data, batch=None):
    """PyTorch's loss and gradient: reduction="sum" but for the mean squared error."""
    t = torch.tensor(theta, dtype=torch.float64, requires_grad=True)
    images = torch.tensor(data.pixel_arrays())
    targets = torch.tensor(data.target_arrays())
    if batch is not None:
        images, targets = images[batch], targets[batch]
    out = forward(network, t, images)
    if kind == "squared_error":
        loss = ((out - targets) ** 2).sum()
    elif kind == "mean_squared_error":
        loss = F.mse_loss(out, targets)
    elif kind == "cross_entropy":  # class indices when a target is one number
        classes = targets[:, 0].long() if targets.shape[1] == 1 else targets
        loss = F.cross_entropy(out, classes, reduction="sum")
    else:
        loss = F.binary_cross_entropy_with_logits(out, targets, reduction="sum")
    loss.backward()
    return loss.item(), t.grad.numpy()


def with_outputs(network: sc.Network, outputs: int) -> sc.Network:
    """`network` with its dense output layer replaced by one of `outputs` units."""
    head = network.layers[-1]
    return sc.Network(
        network.input, *network.layers[:-1], sc.Dense(outputs, bias=head.bias)
    )


def random_data(network, kind, samples, rng, *, one_hot=False):
    shape = network.shapes[0]
    outputs = network.output_size
    rows = []
    for _ in range(samples):
        image = rng.integers(-3, 4, shape).tolist()
        if kind in ("squared_error", "mean_squared_error"):
            target = rng.integers(-2, 3, outputs).tolist()
        elif kind == "cross_entropy":
            index = int(rng.integers(0, outputs))
            target = [int(k == index) for k in range(outputs)] if one_hot else index
        else:
            target = int(rng.integers(0, 2))
        rows.append((image, target))
    return sc.Dataset.from_rows(rows)


def assert_every_backend_equals_torch(network, kind, data, theta, backends=BACKENDS):
    expected_loss, expected_gradient = torch_loss(kind, network, theta, data)
    trace = sc.build_trace(network, loss=kind)
    for backend in backends:
        loss, gradient = sc.compile_objective(trace, data, backend=backend)(theta)
        assert loss == pytest.approx(expected_loss, rel=1e-10, abs=1e-10), backend
        np.testing.assert_allclose(
            gradient, expected_gradient, rtol=1e-9, atol=1e-9, err_msg=backend
        )


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(architectures(), st.sampled_from(LOSSES + ("binary_cross_entropy",)))
def test_every_loss_on_python_and_numpy_equals_torch(case, kind):
    network, samples, seed = case
    rng = np.random.default_rng(seed)
    outputs = 1 if kind == "binary_cross_entropy" else int(rng.integers(2, 5))
    network = with_outputs(network, outputs)
    data = random_data(network, kind, samples, rng, one_hot=seed % 2 == 0)
    theta = rng.normal(0, 1.5, len(network.parameters))
    assert_every_backend_equals_torch(network, kind, data, theta, ("python", "numpy"))


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(architectures(activations=("identity", "relu", "tanh")))
def test_every_loss_on_c_and_llvm_equals_torch(case):
    """One compiled program per loss and backend: four losses on one random net."""
    network, samples, seed = case
    rng = np.random.default_rng(seed)
    for kind in LOSSES + ("binary_cross_entropy",):
        outputs = 1 if kind == "binary_cross_entropy" else 3
        net = with_outputs(network, outputs)
        data = random_data(net, kind, samples, rng)
        theta = rng.normal(0, 1.5, len(net.parameters))
        assert_every_backend_equals_torch(net, kind, data, theta, ("c", "llvm"))


def test_huge_logits_neither_overflow_nor_lose_the_loss():
    """lse with the max subtracted and softplus(x) = max(x,0) + log1p(e^-|x|): logits
    of +-1000 (e^1000 overflows float64) give PyTorch's finite loss and gradient."""
    network = sc.Network(sc.Input(height=1, width=2), sc.Dense(3))
    data = sc.Dataset.from_rows([([[1, 0]], 0), ([[0, 1]], 2), ([[1, 1]], 1)])
    theta = np.array([900.0, -700.0, 0.0, 100.0, 50.0, -20.0, 0.0, 0.0, 5.0])
    assert_every_backend_equals_torch(network, "cross_entropy", data, theta)
    single = sc.Network(sc.Input(height=1, width=2), sc.Dense(1))
    data = sc.Dataset.from_rows([([[1, 0]], 0), ([[0, 1]], 1), ([[1, 1]], 1)])
    theta = np.array([1000.0, -1200.0, 3.0])
    assert_every_backend_equals_torch(single, "binary_cross_entropy", data, theta)


def test_mean_squared_error_minibatch_gradient_is_torch_batch_mean():
    """Training's N/B scaling of a mean's batch is PyTorch's mean over the batch."""
    network = sc.Network(sc.Input(height=2, width=2), sc.Dense(2, activation="tanh"))
    rng = np.random.default_rng(3)
    data = random_data(network, "mean_squared_error", 10, rng)
    theta = rng.normal(size=len(network.parameters))
    objective = sc.compile_objective(
        sc.build_trace(network, loss="mean_squared_error"), data, backend="numpy"
    )
    batch = np.array([1, 4, 7])
    loss, gradient = objective(theta, batch)
    expected_loss, expected_gradient = torch_loss(
        "mean_squared_error", network, theta, data, batch
    )
    assert loss * 10 / 3 == pytest.approx(expected_loss, rel=1e-12)
    np.testing.assert_allclose(gradient * 10 / 3, expected_gradient, rtol=1e-12)


def test_loss_functions_differentiate_as_their_formulas():
    x, y, z = sp.symbols("x y z", real=True)
    assert LogSumExp(x, y, z).diff(y) == Softmax(sp.Integer(1), x, y, z)
    assert SoftPlus(x).diff(x) == sc.model.activations.Sigmoid(x)
    s0, s1 = Softmax(sp.Integer(0), x, y), Softmax(sp.Integer(1), x, y)
    assert s0.diff(x) == s0 * (1 - s0)
    assert s0.diff(y) == -s0 * s1
    point = {x: 0.3, y: -1.2}
    exact = sp.exp(x) / (sp.exp(x) + sp.exp(y))
    for wrt in (x, y):
        numeric = sc.model.losses.float_value(s0.diff(wrt).subs(point))
        assert numeric == pytest.approx(float(exact.diff(wrt).subs(point)), rel=1e-12)


TRACE_NET = sc.Network(
    sc.Input(channels=1, height=2, width=3),
    sc.Conv2D(filters=1, kernel=(1, 2), name="a"),
    sc.Dense(3),
)
ONES = {"w_{1}": 1, "w_{2}": 1} | {
    f"w_{{{i}{j},{k}}}": 1 for i in (1, 2) for j in (1, 2) for k in (1, 2, 3)
}


def test_cross_entropy_is_typeset_as_minus_log_softmax():
    data = sc.Dataset.from_rows([("011/001", 1), ("110/011", [0, 0, 1])])
    derivation = sc.derive(TRACE_NET, data, loss="cross_entropy")
    assert derivation.to_json()["loss"] == (
        r"-\log \operatorname{softmax}\left(F_{NN}(P_{1})\right)_{2} "
        r"- \log \operatorname{softmax}\left(F_{NN}(P_{2})\right)_{3}"
    )
    with_weights = sc.derive(
        TRACE_NET, data, ONES, missing="zero", loss="cross_entropy"
    )
    assert with_weights.to_text(sections=("with weights",)).splitlines()[-1] == (
        "  L(w) = log(exp(4) + exp(4) + exp(4)) + log(exp(6) + exp(6) + exp(6)) - 10"
        " ~ 2.19722"
    )


def test_binary_cross_entropy_is_typeset_with_sigma():
    network = sc.Network(
        sc.Input(channels=1, height=2, width=3),
        sc.Conv2D(filters=1, kernel=(1, 2), name="a"),
        sc.Dense(1),
    )
    data = sc.Dataset.from_rows([("011/001", 1), ("110/011", 0)])
    derivation = sc.derive(network, data, loss="binary_cross_entropy")
    assert derivation.to_json()["loss"] == (
        r"-\log \sigma\left(F_{NN}(P_{1})\right) "
        r"- \log\left(1 - \sigma\left(F_{NN}(P_{2})\right)\right)"
    )
    assert derivation.to_text(sections=("loss",)).splitlines()[1] == (
        "  L(w) = -log sigma(F_{NN}(P_{1})) - log(1 - sigma(F_{NN}(P_{2})))"
    )


def test_mean_squared_error_is_typeset_with_one_over_n_k():
    data = sc.Dataset.from_rows([("011/001", [1, 0, 0]), ("110/011", [0, 2, 0])])
    derivation = sc.derive(
        TRACE_NET, data, ONES, missing="zero", loss="mean_squared_error"
    )
    assert derivation.to_json()["loss"] == (
        r"\frac{1}{6} \left((F_{NN}(P_{1})_{1} - 1)^{2} + (F_{NN}(P_{1})_{2} - 0)^{2}"
        r" + (F_{NN}(P_{1})_{3} - 0)^{2} + (F_{NN}(P_{2})_{1} - 0)^{2}"
        r" + (F_{NN}(P_{2})_{2} - 2)^{2} + (F_{NN}(P_{2})_{3} - 0)^{2}\right)"
    )
    assert derivation.to_text(sections=("with weights",)).splitlines()[-1] == (
        "  L(w) = 1/6 ((4 - 1)^2 + (4 - 0)^2 + (4 - 0)^2 + (6 - 0)^2 + (6 - 2)^2"
        " + (6 - 0)^2) = 43/2"
    )


def test_exact_check_refuses_the_cross_entropies_and_offers_numbers(count11_data):
    network = with_outputs(TRACE_NET, 1)
    with pytest.raises(sc.SymcnnError, match="irrational.*compile_objective"):
        sc.check(network, {}, count11_data, missing="zero", loss="binary_cross_entropy")
    data = sc.Dataset.from_rows([("011/001", 1), ("110/011", 2)])
    with pytest.raises(sc.SymcnnError, match="loss cross_entropy takes logarithms"):
        sc.check(TRACE_NET, ONES, data, missing="zero", loss="cross_entropy")


def test_exact_mean_squared_error_is_the_sum_over_n_k(count11, count11_data):
    from conftest import L4_WEIGHTS

    weights = L4_WEIGHTS | {"w_{2,0}": 2}
    total = sc.check(count11, weights, count11_data, missing="zero")
    mean = sc.check(
        count11, weights, count11_data, missing="zero", loss="mean_squared_error"
    )
    assert (total.loss, mean.loss) == (1, sp.Rational(1, 3))
    assert mean.gradient == tuple(g / 3 for g in total.gradient)
    assert mean.one_sided["left"] == tuple(g / 3 for g in total.one_sided["left"])


@pytest.mark.parametrize(
    ("kind", "outputs", "target", "message"),
    [
        ("cross_entropy", 3, 3, r"sample P1: target 3 is not a class index .* 0 to 2"),
        ("cross_entropy", 3, "1/2", "sample P1: target 1/2 is not a class index"),
        ("cross_entropy", 3, [0, 1, 1], r"target \[0, 1, 1\] is neither a class"),
        ("cross_entropy", 3, [1, 0], r"target \[1, 0\] is neither"),
        ("binary_cross_entropy", 1, 2, "sample P1: target 2 is not 0 or 1"),
    ],
)
def test_a_target_the_loss_cannot_read_names_the_sample(kind, outputs, target, message):
    network = sc.Network(sc.Input(height=1, width=2), sc.Dense(outputs))
    data = sc.Dataset.from_rows([([[1, 0]], target)])
    trace = sc.build_trace(network, loss=kind)
    with pytest.raises(sc.DataError, match=message):
        sc.compile_objective(trace, data, backend="python")


def test_output_counts_and_loss_names_are_checked_when_the_trace_is_built():
    two = sc.Network(sc.Input(height=1, width=2), sc.Dense(2))
    one = sc.Network(sc.Input(height=1, width=2), sc.Dense(1))
    with pytest.raises(sc.DataError, match="binary_cross_entropy needs one output"):
        sc.build_trace(two, loss="binary_cross_entropy")
    with pytest.raises(sc.DataError, match="cross_entropy needs at least 2 outputs"):
        sc.build_trace(one, loss="cross_entropy")
    with pytest.raises(sc.SymcnnError, match="did you mean 'cross_entropy'"):
        sc.build_trace(two, loss="crossentropy")


def test_training_with_cross_entropy_classifies_the_training_set():
    network = sc.Network(
        sc.Input(height=2, width=2), sc.Dense(4, activation="relu"), sc.Dense(3)
    )
    data = sc.Dataset.from_rows(
        [("10/00", 0), ("01/00", 1), ("00/10", 2), ("11/00", 0), ("00/11", 2)]
    )
    result = sc.train(
        network, data, loss="cross_entropy", optimizer="adam", lr=0.05, steps=400
    )
    assert result.final_loss < 0.05
    logits = sc.compile_forward(sc.build_trace(network))(
        result.weights, data.pixel_arrays()
    )
    assert logits.argmax(axis=1).tolist() == [0, 1, 2, 0, 2]
