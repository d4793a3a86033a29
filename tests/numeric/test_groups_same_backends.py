"""Grouped and depthwise convolutions, strides with floor, TensorFlow's "same" pooling
and avg pooling without padded cells: the exact verifier and every backend give
PyTorch's loss and gradient (F.conv2d(groups=g), F.pad + pooling, avg_pool2d's
count_include_pad) on random architectures, at dyadic points where ReLUs sit on
their kink and pooling windows tie."""

import numpy as np
import pytest
import sympy as sp
import torch_reference
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import symcnn as sc

BACKENDS = ("python", "numpy", "c", "c-scalar", "llvm")


def divisors(n: int) -> list[int]:
    return [d for d in range(1, n + 1) if n % d == 0]


@st.composite
def grouped_conv(draw, channels: int) -> sc.Conv2D:
    groups = draw(st.sampled_from(divisors(channels)))  # channels: depthwise
    return sc.Conv2D(
        groups * draw(st.integers(1, 2)),
        (draw(st.integers(1, 3)), draw(st.integers(1, 3))),
        groups=groups,
        stride=draw(st.integers(1, 2)),
        padding=draw(st.sampled_from([0, 1, (0, 1)])),
        floor=draw(st.booleans()),
        bias=draw(st.booleans()),
        activation=draw(st.sampled_from(["relu", "identity"])),
    )


@st.composite
def same_pool(draw) -> sc.Pool2D:
    mode = draw(st.sampled_from(["max", "min", "avg", "avg"]))
    return sc.Pool2D(
        (draw(st.integers(1, 3)), draw(st.integers(1, 3))),
        mode=mode,
        stride=draw(st.sampled_from([None, 1, 2, (1, 2)])),
        padding=draw(st.sampled_from(["same", "same", 0, 1])),
        floor=draw(st.booleans()),
        count_include_pad=mode != "avg" or draw(st.sampled_from([True, False, False])),
    )


@st.composite
def grouped_architectures(draw):
    """1-3 grouped conv / pooling layers (those that fit their input), a dense
    head; with the number of samples and a seed."""
    channels = draw(st.integers(1, 4))
    height, width = draw(st.integers(2, 6)), draw(st.integers(2, 6))
    shape, layers = (channels, height, width), []
    for _ in range(draw(st.integers(1, 3))):
        conv = draw(st.booleans())
        try:  # a drawn padding may exceed half a small pooling window
            layer = draw(grouped_conv(shape[0])) if conv else draw(same_pool())
            probe = sc.Network(
                sc.Input(channels=shape[0], height=shape[1], width=shape[2]), layer
            )
        except sc.SymcnnError:
            continue
        shape = probe.shapes[1]
        layers.append(layer)
    layers.append(sc.Dense(draw(st.integers(1, 2))))
    network = sc.Network(
        sc.Input(channels=channels, height=height, width=width), *layers
    )
    return network, draw(st.integers(1, 4)), draw(st.integers(0, 2**16))


def dyadic_case(network, samples, seed):
    """Weights and images in eighths (exact in float64: every backend sees the exact
    kinks and ties), small integer targets."""
    rng = np.random.default_rng(seed)
    count = len(network.parameters)
    weights = [sp.Rational(int(n), 8) for n in rng.integers(-8, 9, count)]
    images = rng.integers(-2, 3, (samples, *network.shapes[0]))
    targets = rng.integers(-1, 2, (samples, network.output_size))
    data = sc.Dataset.from_rows(list(zip(images.tolist(), targets.tolist())))
    return weights, data


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grouped_architectures())
def test_exact_and_every_backend_equal_pytorch(case):
    network, samples, seed = case
    weights, data = dyadic_case(network, samples, seed)
    theta = np.array([float(w) for w in weights])
    loss, gradient = torch_reference.loss_and_gradient(network, theta, data)
    trace = sc.build_trace(network)
    exact = sc.check_trace(trace, weights, data)
    # An average over 3, 5 or 6 cells is not dyadic: in floats a ReLU or a tie that
    # sits exactly at its kink in exact arithmetic can land 1e-17 to either side, and
    # PyTorch then takes the other one-sided slope. Such cases say nothing here.
    averages = any(getattr(layer, "mode", None) == "avg" for layer in network.layers)
    assume(not (averages and exact.kinks))
    assert float(exact.loss) == pytest.approx(loss, rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(
        [float(g) for g in exact.gradient], gradient, rtol=1e-11, atol=1e-11
    )
    for backend in BACKENDS:
        ours, our_gradient = sc.compile_objective(trace, data, backend=backend)(theta)
        assert ours == pytest.approx(loss, rel=1e-12, abs=1e-12), backend
        np.testing.assert_allclose(
            our_gradient, gradient, rtol=1e-11, atol=1e-11, err_msg=backend
        )


def test_depthwise_conv_then_same_avg_pooling_gives_pytorchs_loss_everywhere():
    net = sc.Network(
        sc.Input(channels=3, height=5, width=5),
        sc.Conv2D(3, 2, groups=3, activation="relu", padding=(0, 1)),
        sc.AvgPool2D(3, stride=2, padding="same", count_include_pad=False),
        sc.Dense(1),
    )
    assert net.shapes[1:3] == ((3, 4, 6), (3, 2, 3))
    assert net.weights[0].shape == (3, 1, 2, 2)
    weights, data = dyadic_case(net, 6, 11)
    theta = np.array([float(w) for w in weights])
    loss, gradient = torch_reference.loss_and_gradient(net, theta, data)
    for backend in BACKENDS:
        ours, our_gradient = sc.compile_objective(
            sc.build_trace(net), data, backend=backend
        )(theta)
        assert ours == pytest.approx(loss, rel=1e-12), backend
        np.testing.assert_allclose(our_gradient, gradient, rtol=1e-11, atol=1e-12)
