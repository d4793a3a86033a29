"""NaN and infinities through every backend: the same NaN pattern as the numpy backend
(the reference for our conventions; PyTorch's for NaN: relu(NaN) = NaN, a NaN cell
wins its max or min pool). The C backends once turned NaN into numbers at ReLU
(``x > 0 ? x : 0``) and at pooling (``b > a ? b : a`` keeps a when b is NaN)."""

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import LEAKY_DYADIC, architectures, pooled_architectures

import symcnn as sc

# NaN and inf are the inputs here: NumPy's "invalid value" warnings are expected.
pytestmark = pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")

BACKENDS = ("python", "numpy", "c", "c-scalar")
FORWARD_BACKENDS = ("c", "c-scalar")  # the forward pass has no python backend
SPECIAL = (np.nan, np.inf, -np.inf)


def same_pattern(ours, theirs, backend):
    ours, theirs = np.asarray(ours, float), np.asarray(theirs, float)
    np.testing.assert_array_equal(np.isnan(ours), np.isnan(theirs), err_msg=backend)
    np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12, err_msg=backend)


def check_every_backend(network, samples, seed, special, where):
    rng = np.random.default_rng(seed)
    trace = sc.build_trace(network)
    theta = sc.initial_weights(network, seed)
    images = rng.integers(-1, 2, size=(samples, *network.shapes[0])).astype(float)
    if where == "pixels":
        images.reshape(-1)[rng.integers(0, images.size)] = special
    else:
        theta[rng.integers(0, len(theta))] = special
    # a Dataset refuses NaN pixels: the loss sees the weights' special value only
    finite = np.where(np.isfinite(images), images, 0.0)
    data = sc.Dataset.from_rows(
        [(x.tolist(), [1] * network.output_size) for x in finite]
    )
    reference_f = sc.compile_forward(trace, backend="numpy")(theta, images)
    reference_l = sc.compile_objective(trace, data, backend="numpy")(theta)
    for backend in FORWARD_BACKENDS:
        same_pattern(
            sc.compile_forward(trace, backend=backend)(theta, images),
            reference_f,
            backend,
        )
    for backend in ("python", "c", "c-scalar"):
        loss, gradient = sc.compile_objective(trace, data, backend=backend)(theta)
        same_pattern([loss, *gradient], [reference_l[0], *reference_l[1]], backend)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    architectures(activations=("identity", "relu", LEAKY_DYADIC, "sigmoid")),
    st.sampled_from(SPECIAL),
    st.sampled_from(["pixels", "weights"]),
)
def test_nan_and_inf_give_numpys_pattern_on_every_backend(case, special, where):
    network, samples, seed = case
    check_every_backend(network, samples, seed, special, where)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pooled_architectures(),
    st.sampled_from(SPECIAL),
    st.sampled_from(["pixels", "weights"]),
)
def test_nan_in_pooled_nets_gives_numpys_pattern_on_every_backend(case, special, where):
    network, samples, seed = case
    check_every_backend(network, samples, seed, special, where)


@pytest.mark.parametrize("backend", (*BACKENDS, "llvm"))
@pytest.mark.parametrize("activation", ["relu", "leaky_relu"])
def test_a_nan_pixel_or_weight_gives_nan_as_in_pytorch(backend, activation):
    # atk1's case: pixels [nan, 1] gave F = 1 and a NaN weight a loss of 4.0 in C
    network = sc.Network(
        sc.Input(channels=1, height=1, width=2),
        sc.Dense(2, activation=activation),
        sc.Dense(1),
    )
    trace = sc.build_trace(network)
    theta = np.ones(len(network.parameters))
    hidden = torch.nn.functional.relu(torch.tensor([np.nan, 1.0]) @ torch.ones(2, 2))
    assert torch.isnan(hidden).all()
    if backend not in ("python", "llvm"):  # no forward pass of their own
        forward = sc.compile_forward(trace, backend=backend)
        assert np.isnan(forward(theta, np.array([[[[np.nan, 1.0]]]]))).all()
        assert np.isnan(forward(theta, np.array([[[[np.inf, -np.inf]]]]))).all()
    data = sc.Dataset.from_rows([("01", 1)])
    loss, gradient = sc.compile_objective(trace, data, backend=backend)(
        np.r_[np.nan, theta[1:]]
    )
    assert np.isnan(loss) and np.isnan(gradient).all()


@pytest.mark.parametrize("backend", ("numpy", *FORWARD_BACKENDS))
@pytest.mark.parametrize("mode", ["max", "min"])
def test_a_nan_cell_wins_its_pool(backend, mode):
    network = sc.Network(
        sc.Input(channels=1, height=1, width=3),
        sc.Pool2D((1, 3), mode=mode),
        sc.Dense(1),
    )
    trace = sc.build_trace(network)
    forward = sc.compile_forward(trace, backend=backend)
    for cells in ([1.0, 2.0, np.nan], [np.nan, 2.0, 1.0], [2.0, np.nan, 1.0]):
        assert np.isnan(forward(np.ones(2), np.array([[[cells]]]))).all(), cells


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("mode", ["max", "min"])
def test_an_infinite_weight_gives_numpys_nan_through_a_pool(backend, mode):
    # inf * [1, 0, -1] = [inf, nan, -inf]: Python's max(inf, nan, -inf) is inf
    network = sc.Network(
        sc.Input(channels=1, height=1, width=3),
        sc.Conv2D(1, (1, 1), bias=False),
        sc.Pool2D((1, 3), mode=mode),
        sc.Dense(1),
    )
    trace = sc.build_trace(network)
    data = sc.Dataset.from_rows([([[[1, 0, -1]]], 1)])
    with np.errstate(all="ignore"):
        loss, gradient = sc.compile_objective(trace, data, backend=backend)(
            np.array([np.inf, 1.0, 0.0])
        )
    assert np.isnan(loss) and np.isnan(gradient).all()


@pytest.mark.parametrize("activation", ["relu", "leaky_relu"])
def test_a_huge_weight_gives_the_same_finite_gradient_on_every_backend(activation):
    # (w x)^2 overflows: Python's float ** raises, NumPy's gives inf; the python
    # backend once returned an all-NaN gradient where the others give 2e206
    network = sc.Network(
        sc.Input(channels=1, height=1, width=1),
        sc.Dense(1, activation=activation),
        sc.Dense(1),
    )
    trace = sc.build_trace(network)
    data = sc.Dataset.from_rows([([[1]], 0)])
    theta = np.array([1e200, 0.0, 1000.0, 0.0])
    with np.errstate(all="ignore"):
        results = [
            sc.compile_objective(trace, data, backend=backend)(theta)
            for backend in BACKENDS
        ]
    for loss, gradient in results:
        assert loss == np.inf
        np.testing.assert_array_equal(gradient, results[1][1])
    assert np.isfinite(results[0][1][0])
