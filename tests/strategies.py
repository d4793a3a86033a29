"""Hypothesis strategies and random values shared by the property tests."""

import numpy as np
import sympy as sp
from hypothesis import strategies as st

import symcnn as sc


def random_rationals(count, seed):
    """Dyadic rationals n / 2^k: float64 holds them and their small sums exactly, so
    the compiled program sees the same kinks (ReLU arguments exactly 0) as the exact
    one; with other denominators rounding can put a float on the other side."""
    rng = np.random.default_rng(seed)
    return [
        sp.Rational(int(n), int(d))
        for n, d in zip(rng.integers(-9, 10, count), rng.choice([1, 2, 4, 8], count))
    ]


@st.composite
def architectures(draw, activations=("identity", "relu", "tanh", "sigmoid")):
    """Random small nets: 1-2 conv layers (stride, padding, bias, activation), then
    0-1 hidden dense layers and a dense output of 1-2 units, all with default names."""
    channels = draw(st.integers(1, 2))
    height, width = draw(st.integers(2, 5)), draw(st.integers(2, 5))
    layers, h, w = [], height, width
    for _ in range(draw(st.integers(1, 2))):
        padding = draw(st.integers(0, 1))
        kh = draw(st.integers(1, min(3, h + 2 * padding)))
        kw = draw(st.integers(1, min(3, w + 2 * padding)))
        stride = draw(st.integers(1, 2))
        layers.append(
            sc.Conv2D(
                draw(st.integers(1, 2)),
                (kh, kw),
                stride=stride,
                padding=padding,
                floor=True,  # PyTorch's: a stride may leave cells over
                bias=draw(st.booleans()),
                activation=draw(st.sampled_from(activations)),
            )
        )
        h, w = (
            (h + 2 * padding - kh) // stride + 1,
            (w + 2 * padding - kw) // stride + 1,
        )
    if draw(st.booleans()):
        layers.append(
            sc.Dense(
                draw(st.integers(1, 3)),
                activation=draw(st.sampled_from(activations[1:])),
            )
        )
    outputs = draw(st.integers(1, 2))
    layers.append(sc.Dense(outputs, bias=draw(st.booleans())))
    samples = draw(st.integers(1, 40))
    seed = draw(st.integers(0, 2**16))
    return (
        sc.Network(sc.Input(channels=channels, height=height, width=width), *layers),
        samples,
        seed,
    )


#: A dyadic slope: with 0.01, float sums of slope * x that cancel exactly can leave
#: 3e-18, so a compiled ReLU after them sees no kink where the exact verifier does.
LEAKY_DYADIC = sc.activation("leaky_relu", slope="1/128")


@st.composite
def pooled_architectures(draw):
    """1-3 conv/pool layers (channels, kernels, strides, padding, pooling modes, floor),
    an optional Flatten, then a dense head."""
    channels = draw(st.integers(1, 3))
    height, width = draw(st.integers(3, 6)), draw(st.integers(3, 6))
    shape, layers = (channels, height, width), []
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.booleans()):
            padding = draw(st.sampled_from([0, 1, (0, 1), "same"]))
            stride = 1 if padding == "same" else draw(st.integers(1, 2))
            pads = 2 if padding == 1 else (1 if padding == (0, 1) else 0)
            limit_h = shape[1] + (pads if padding != (0, 1) else 0)
            limit_w = shape[2] + pads
            kernel = (
                draw(st.integers(1, min(3, limit_h))),
                draw(st.integers(1, min(3, limit_w))),
            )
            layer = sc.Conv2D(
                draw(st.integers(1, 3)),
                kernel,
                stride=stride,
                padding=padding,
                floor=True,
                bias=draw(st.booleans()),
                activation=draw(st.sampled_from(["relu", LEAKY_DYADIC, "identity"])),
            )
        else:
            size = (
                draw(st.integers(1, min(2, shape[1]))),
                draw(st.integers(1, min(2, shape[2]))),
            )
            padding = draw(st.sampled_from([0, 1])) if size == (2, 2) else 0
            layer = sc.Pool2D(
                size,
                mode=draw(st.sampled_from(["max", "min", "avg"])),
                stride=draw(st.sampled_from([None, 1])),
                floor=True,
                padding=padding,
            )
        try:
            probe = sc.Network(
                sc.Input(channels=shape[0], height=shape[1], width=shape[2]), layer
            )
        except sc.ShapeError:
            continue
        shape = probe.shapes[1]
        layers.append(layer)
    if draw(st.booleans()):
        layers.append(sc.Flatten())
    layers.append(sc.Dense(draw(st.integers(1, 2))))
    network = sc.Network(
        sc.Input(channels=channels, height=height, width=width), *layers
    )
    return network, draw(st.integers(1, 5)), draw(st.integers(0, 2**16))


