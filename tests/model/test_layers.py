"""Every layer of the lecture: exact numbers of slides L5-L8, PyTorch on random
architectures, and errors that name the layer."""

import numpy as np
import pytest
import sympy as sp
import torch
import torch_reference
from conftest import DERIVATIONS
from hypothesis import HealthCheck, given, settings
from strategies import pooled_architectures

import symcnn as sc

L5_IMAGE = [[4, 3, 1, 5], [1, 3, 4, 8], [4, 5, 4, 3], [6, 5, 9, 4]]


def grid(array):
    """(1, h, w) exact array -> nested lists of sympy numbers, for comparisons."""
    return [[sp.nsimplify(v) for v in row] for row in array[0]]


def spec_values(name, weights=True):
    """Each layer's exact values on the spec's first image, from the symbolic
    network."""
    spec = sc.read_spec(DERIVATIONS / f"{name}.toml")
    file = DERIVATIONS / f"{name}-weights.toml"
    exact = sc.read_weight_file(file).resolve(spec.network) if weights else ()
    trace = sc.build_trace(spec.network)
    image = spec.data.samples[0].image
    return trace, exact, image, sc.forward_exact(trace, exact, image)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("l5_pooling", [[4, 8], [6, 9]]),
        ("l5_pooling_min", [[1, 1], [4, 3]]),
        ("l5_pooling_avg", [[sp.Rational(11, 4), sp.Rational(9, 2)], [5, 5]]),
    ],
)
def test_l5_pooling_of_the_4x4_example(name, expected):
    *_, layers = spec_values(name, weights=False)
    assert grid(layers[1].values) == expected


def test_l6_each_channel_and_the_sum():
    trace, weights, image, layers = spec_values("l6_multichannel")
    assert grid(layers[1].values) == [[19, 13, 15], [28, 16, 20], [23, 18, 25]]
    per_channel = sc.channel_contributions(trace, weights, image, 1)
    assert [grid(block) for block in per_channel] == [
        [[7, 5, 3], [4, 7, 5], [7, 2, 8]],
        [[5, 3, 10], [13, 1, 13], [7, 12, 11]],
        [[7, 5, 2], [11, 8, 2], [9, 4, 6]],
    ]


def test_l7_three_filters_then_the_1x1_filter():
    *_, layers = spec_values("l7_filters")
    diagonal, ones, anti = layers[1].values
    assert diagonal.tolist() == [[0, 3, 1], [2, 1, 3], [3, 3, 1]]
    assert ones.tolist() == [[4, 5, 4], [6, 6, 6], [7, 8, 7]]
    assert anti.tolist() == [[1, 3, 0], [3, 1, 2], [1, 3, 3]]
    assert grid(layers[2].values) == [[-3, 1, -3], [-1, -4, -1], [-3, -2, -3]]


def test_l8_weight_count_is_374():
    network = sc.read_spec(DERIVATIONS / "l8_weight_count.toml").network
    summary = sc.summary_json(network)
    assert [row["weights"] for row in summary["layers"][1:]] == [300, 0, 72, 2]
    assert [row["arithmetic"] for row in summary["layers"][1:]] == [
        "4·3·5·5 = 300",
        "",
        "2·4·3·3 = 72",
        "1·2·1·1 = 2",
    ]
    assert [row["output_shape"] for row in summary["layers"]] == [
        [3, 10, 10],
        [4, 6, 6],
        [4, 3, 3],
        [2, 1, 1],
        [1, 1, 1],
    ]
    assert summary["total_weights"] == 374 and summary["total_biases"] == 0


@pytest.mark.parametrize("bias", [False, True])
def test_parameter_counts_agree_with_pytorch_numel(bias):
    network = sc.Network(
        sc.Input(channels=3, height=10, width=10),
        sc.Conv2D(4, 5, bias=bias),
        sc.MaxPool2D(2),
        sc.Conv2D(2, 3, bias=bias),
        sc.Conv2D(1, 1, bias=bias),
        sc.Flatten(),
        sc.Dense(3, bias=bias),
    )
    model = torch.nn.Sequential(
        torch.nn.Conv2d(3, 4, 5, bias=bias),
        torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(4, 2, 3, bias=bias),
        torch.nn.Conv2d(2, 1, 1, bias=bias),
        torch.nn.Flatten(),
        torch.nn.Linear(1, 3, bias=bias),
    )
    assert len(network.parameters) == sum(p.numel() for p in model.parameters())


def test_l5_pooling_latex_uses_max():
    network = sc.read_spec(DERIVATIONS / "l5_pooling.toml").network
    (first, *_) = sc.derive(network).lines("latex")
    assert first[1:] == ("m_{11}", r"\max(p_{11}, p_{12}, p_{21}, p_{22})")
    avg = sc.read_spec(DERIVATIONS / "l5_pooling_avg.toml").network
    assert (
        sc.derive(avg).lines("latex")[0][2]
        == r"\frac{p_{11} + p_{12} + p_{21} + p_{22}}{4}"
    )


def test_padding_same_matches_pytorch_for_an_even_kernel():
    network = sc.Network(
        sc.Input(height=3, width=4), sc.Conv2D(1, (2, 2), padding="same")
    )
    assert network.shapes[1] == (1, 3, 4)
    theta = np.array([1.0, 2.0, 3.0, 4.0])
    images = np.arange(12.0).reshape(1, 1, 3, 4)
    ours = sc.compile_forward(sc.build_trace(network))(theta, images)
    weight = torch.tensor(theta).reshape(1, 1, 2, 2)
    theirs = torch.nn.functional.conv2d(torch.tensor(images), weight, padding="same")
    np.testing.assert_allclose(ours, theirs.flatten(1).numpy())


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: sc.Network(sc.Input(height=3, width=3), sc.MaxPool2D(2)),
            r"layer 1 \(MaxPool2D\): input 3x3 is not divisible by pool size 2x2 with "
            r"stride 2x2 \(the lecture's rule\); pad it to 4x4, .* floor=True",
        ),
        (
            lambda: sc.Conv2D(1, 2, stride=0),
            r"Conv2D: `stride`: 0 is not an integer >= 1",
        ),
        (
            lambda: sc.Conv2D(1, 2, stride=2, padding="same"),
            r"`padding` 'same' needs stride 1 \(as in PyTorch\)",
        ),
        (
            lambda: sc.Pool2D(2, mode="median"),
            r"`mode` 'median' is not a pooling \(did you mean 'min'\?\); "
            r"use one of max, min, avg",
        ),
        (lambda: sc.MaxPool2D(2, padding=2), r"more than half the window"),
        (
            lambda: sc.Network(sc.Input(height=2, width=2), sc.AvgPool2D(3)),
            r"layer 1 \(AvgPool2D\): `size` 3x3 is larger than its input 2x2",
        ),
    ],
)
def test_bad_architectures_name_the_layer(build, message):
    with pytest.raises(sc.SymcnnError, match=message):
        build()


def test_floor_drops_the_cells_left_over_as_pytorch_does():
    network = sc.Network(sc.Input(height=3, width=3), sc.MaxPool2D(2, floor=True))
    assert network.shapes[1] == (1, 1, 1)


def test_weight_file_with_the_wrong_channels_is_named(tmp_path):
    spec = sc.read_spec(DERIVATIONS / "l6_multichannel.toml")
    path = tmp_path / "w.toml"
    path.write_text("[layers.1]\nweight = [[[[1, 0], [0, 1]]]]\n")
    with pytest.raises(
        sc.WeightsError,
        match=(
            r"\[layers.1\].weight: shape 1x1x2x2 but layer 1 \(Conv2D\) "
            r"has weights of shape "
            r"1x3x3x3 \(filters 1 x channels 3 x kernel 3x3, PyTorch's layout\)"
        ),
    ):
        sc.read_weight_file(path).resolve(spec.network)


def test_max_pool_ties_follow_the_chosen_convention():
    """Gradient at a tie: to the first maximal cell (PyTorch) or the last."""
    image = [[1, 1], [0, 1]]  # three ones tie for the max
    data = sc.Dataset.from_rows([(image, 0)])
    gradients = {}
    for tie in ("first", "last"):
        network = sc.Network(
            sc.Input(height=2, width=2),
            sc.Conv2D(1, 1, name="a"),
            sc.MaxPool2D(2, tie=tie),
        )
        report = sc.check(network, {"w": 2}, data)
        gradients[tie] = report.gradient
        assert (
            len(report.kinks) == 1
            and f"to the {tie} winning cell" in report.kinks[0].convention
        )
        from symcnn.cli.check_report import check_text

        text = check_text(report)
        assert "P1 (11/01): max(a_{11}, a_{12}, a_{21}, a_{22}) is tied" in text
    # L = (2 max(p) - 0)^2 = 4, dL/dw = 2 * 2 * (winning pixel) = 4 either way here,
    # but the adjoint reaches a different cell: check it on a net with per-cell weights.
    assert gradients["first"] == gradients["last"] == (4,)
    network = sc.Network(
        sc.Input(height=2, width=2), sc.MaxPool2D(2), sc.Dense(1, bias=False)
    )
    theta = np.array([1.0])
    ours = sc.compile_objective(sc.build_trace(network), data)(theta)
    assert ours == (1.0, pytest.approx(np.array([2.0])))


def test_tie_gradient_goes_where_pytorch_sends_it():
    network = sc.Network(
        sc.Input(height=2, width=2),
        sc.Conv2D(1, 1, name="a", bias=True),
        sc.MaxPool2D(2),
        sc.Dense(1),
    )
    data = sc.Dataset.from_rows([([[3, 3], [3, 1]], 1)])
    theta = np.array([1.0, 0.0, 2.0, 0.5])  # w, b, then dense w and bias
    ours = sc.compile_objective(sc.build_trace(network), data)(theta)
    theirs = torch_reference.loss_and_gradient(network, theta, data)
    assert ours[0] == pytest.approx(theirs[0])
    np.testing.assert_allclose(ours[1], theirs[1])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pooled_architectures())
def test_every_layer_agrees_exact_compiled_and_pytorch(case):
    network, samples, seed = case
    rng = np.random.default_rng(seed)
    # Rational weights with denominators 8: exact in float64, so all three must agree
    # bit for bit up to float rounding of sums; continuous images avoid ties.
    weights = [
        sp.Rational(int(n), 8) for n in rng.integers(-16, 17, len(network.parameters))
    ]
    theta = np.array([float(w) for w in weights])
    images = rng.integers(-40, 41, (samples, *network.shapes[0])) / 8
    trace = sc.build_trace(network)
    compiled = sc.compile_layer_values(trace)(theta, images)
    theirs = torch_reference.layer_outputs(
        network, torch.tensor(theta), torch.tensor(images)
    )
    for index, image in enumerate(images):
        exact_image = np.array(
            [sp.Rational(int(v * 8), 8) for v in image.flat], dtype=object
        ).reshape(image.shape)
        exact = sc.forward_exact(trace, weights, exact_image)
        for number, layer in enumerate(exact[1:], start=1):
            expected = np.array([float(v) for v in layer.values.flat])
            np.testing.assert_allclose(compiled[number][index], expected, atol=1e-12)
            np.testing.assert_allclose(
                theirs[number - 1][index].numpy(), expected, atol=1e-12
            )
    data = sc.Dataset.from_rows(
        [(image.tolist(), [0.5] * network.output_size) for image in images]
    )
    reference = torch_reference.loss_and_gradient(network, theta, data)
    for backend in ("auto", "llvm"):  # llvm: the same conventions at ties and kinks
        ours = sc.compile_objective(trace, data, backend=backend)(theta)
        assert ours[0] == pytest.approx(reference[0], rel=1e-10, abs=1e-12)
        np.testing.assert_allclose(ours[1], reference[1], rtol=1e-9, atol=1e-10)
