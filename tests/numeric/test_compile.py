"""Compiled loss and gradient: equal to the exact ones, to finite differences and to
PyTorch (float64), on the lecture's network and on random architectures."""

import numpy as np
import pytest
import torch
import torch_reference
from conftest import count11_network
from hypothesis import HealthCheck, given, settings
from strategies import architectures, random_rationals

import symcnn as sc
from symcnn.numeric import compile as compile_module

# llvm: symengine, in the test extras
BACKENDS = ("python", "numpy", "c", "c-scalar", "llvm")


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("seed", range(5))
def test_compiled_equals_exact_at_random_rational_points(count11_data, backend, seed):
    net = count11_network()
    trace = sc.build_trace(net)
    weights = random_rationals(len(net.parameters), seed)
    exact = sc.check_trace(trace, weights, count11_data)
    objective = sc.compile_objective(trace, count11_data, backend=backend)
    loss, gradient = objective(np.array([float(w) for w in weights]))
    assert loss == pytest.approx(float(exact.loss), rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(
        gradient, [float(g) for g in exact.gradient], rtol=1e-12, atol=1e-12
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_gradient_agrees_with_central_finite_differences(count11_data, backend):
    trace = sc.build_trace(count11_network())
    objective = sc.compile_objective(trace, count11_data, backend=backend)
    theta = sc.initial_weights(trace.network, seed=3)
    _, gradient = objective(theta)
    h = 1e-6
    numeric = np.array(
        [
            (objective.loss(theta + h * e) - objective.loss(theta - h * e)) / (2 * h)
            for e in np.eye(len(theta))
        ]
    )
    np.testing.assert_allclose(gradient, numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("backend", BACKENDS)
def test_count11_agrees_with_pytorch(count11_data, backend):
    net = count11_network()
    theta = sc.initial_weights(net, seed=7)
    objective = sc.compile_objective(sc.build_trace(net), count11_data, backend=backend)
    loss, gradient = objective(theta)
    torch_loss, torch_gradient = torch_reference.loss_and_gradient(
        net, theta, count11_data
    )
    assert loss == pytest.approx(torch_loss, rel=1e-12)
    np.testing.assert_allclose(gradient, torch_gradient, rtol=1e-10, atol=1e-12)


def test_forward_agrees_with_pytorch_on_all_64_images():
    net = count11_network()
    theta = sc.initial_weights(net, seed=1)
    images = np.array([np.array(i, dtype=float) for i in sc.binary_images((1, 2, 3))])
    ours = sc.compile_forward(sc.build_trace(net))(theta, images)
    theirs = torch_reference.forward(net, torch.tensor(theta), torch.tensor(images))
    np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-12, atol=1e-12)


def test_auto_backend_picks_python_for_few_samples_and_c_for_many(
    count11_data, request
):
    trace = sc.build_trace(count11_network())
    assert sc.compile_objective(trace, count11_data).backend == "python"
    many = sc.Dataset.from_rows(
        [(sc.image_text(i), 0) for i in sc.binary_images((1, 2, 3))]
    )
    assert sc.compile_objective(trace, many).backend == "c"
    request.getfixturevalue("no_compiler")  # then NumPy, which needs none
    assert sc.compile_objective(trace, many).backend == "numpy"


def test_auto_backend_takes_c_for_a_mid_net_on_few_samples(request):
    # atk1: a 4,952-term net on 16 samples took python (5.6 ms a step against c's
    # 0.042 ms); python stays only where terms x samples is tiny (count-11: 18 x 4)
    net = sc.Network(
        sc.Input(channels=1, height=12, width=12),
        sc.Conv2D(4, (3, 3), activation="relu"),
        sc.Pool2D((2, 2)),
        sc.Dense(8, activation="relu"),
        sc.Dense(1),
    )
    assert sc.build_trace(net).terms * 16 > compile_module.AUTO_PYTHON_MAX_WORK
    assert compile_module.choose_backend("auto", 16, sc.build_trace(net).terms) == "c"
    assert compile_module.choose_backend("auto", 4, 18) == "python"
    request.getfixturevalue("no_compiler")
    assert compile_module.choose_backend("auto", 16, 4952) == "numpy"


def random_dataset(network, samples, seed):
    rng = np.random.default_rng(seed)
    rows = [
        (
            rng.integers(0, 3, network.shapes[0]).tolist(),
            rng.integers(-2, 3, network.output_size).tolist(),
        )
        for _ in range(samples)
    ]
    return sc.Dataset.from_rows(rows)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(architectures())
def test_random_architectures_agree_with_pytorch(case):
    network, samples, seed = case
    data = random_dataset(network, samples, seed)
    theta = sc.initial_weights(network, seed)
    torch_loss, torch_gradient = torch_reference.loss_and_gradient(network, theta, data)
    trace = sc.build_trace(network)
    for backend in BACKENDS:
        loss, gradient = sc.compile_objective(trace, data, backend=backend)(theta)
        assert loss == pytest.approx(torch_loss, rel=1e-10, abs=1e-12)
        np.testing.assert_allclose(gradient, torch_gradient, rtol=1e-9, atol=1e-11)
    outputs = sc.compile_forward(trace)(theta, data.pixel_arrays())
    expected = torch_reference.forward(
        network, torch.tensor(theta), torch.tensor(data.pixel_arrays())
    )
    np.testing.assert_allclose(outputs, expected.numpy(), rtol=1e-10, atol=1e-12)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(architectures(activations=("identity", "relu")))
def test_random_architectures_exact_equals_compiled(case):
    network, samples, seed = case
    data = random_dataset(network, min(samples, 6), seed)
    weights = random_rationals(len(network.parameters), seed)
    trace = sc.build_trace(network)
    exact = sc.check_trace(trace, weights, data)
    loss, gradient = sc.compile_objective(trace, data)(
        np.array([float(w) for w in weights])
    )
    assert loss == pytest.approx(float(exact.loss), rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(
        gradient, [float(g) for g in exact.gradient], rtol=1e-11, atol=1e-11
    )
