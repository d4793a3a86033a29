"""Summaries as torchinfo prints them: parameters, mult-adds and memory per layer and
in total, equal to torchinfo 1.8's for the same models (torchinfo as the oracle), and
instant on VGG16 and AlexNet (no Network is built)."""

import json
import sys
import time
import tracemalloc

import torch
import torchinfo
from conftest import DERIVATIONS
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from torch import nn

import symcnn as sc
from symcnn.cli.main import main
from symcnn.errors import ShapeError
from symcnn.model.architecture import Architecture
from symcnn.typeset.summary import summary_json, summary_latex, summary_text

ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}


def spec_architecture(name: str) -> Architecture:
    return sc.read_spec(DERIVATIONS / f"{name}.toml", shapes_only=True).network


def torch_layer(layer, shape) -> tuple[list[nn.Module], nn.Module | None]:
    """The modules one symcnn layer is in PyTorch, and the one holding its
    parameters (None for pooling and Flatten). Padding is an explicit ZeroPad2d
    (symcnn pads top/bottom and left/right apart); it has no parameters."""
    if isinstance(layer, sc.Dense):
        linear = nn.Linear(shape[0] * shape[1] * shape[2], layer.units, layer.bias)
        return [nn.Flatten(), linear, *activation_modules(layer)], linear
    if isinstance(layer, sc.Flatten):
        return [nn.Flatten()], None
    if isinstance(layer, sc.Conv2D):
        (top, bottom), (left, right) = layer.padding
        conv = nn.Conv2d(
            shape[0],
            layer.filters,
            layer.kernel,
            stride=layer.stride,
            groups=getattr(layer, "groups", 1),
            bias=layer.bias,
        )
        pad = nn.ZeroPad2d((left, right, top, bottom))
        return [pad, conv, *activation_modules(layer)], conv
    (top, bottom), (left, right) = layer.pads(shape[1], shape[2])
    pooling = nn.AvgPool2d if layer.mode == "avg" else nn.MaxPool2d  # min: -max(-x)
    pool = pooling(layer.size, stride=layer.stride)
    return [nn.ZeroPad2d((left, right, top, bottom)), pool], None


def activation_modules(layer) -> list[nn.Module]:
    kind = layer.activation.kind
    return [ACTIVATIONS[kind]()] if kind in ACTIVATIONS else []


def torch_model(architecture: Architecture):
    """nn.Sequential of the architecture, and per layer its parameter module."""
    modules, owners = [], []
    for number, layer in enumerate(architecture.layers):
        built, owner = torch_layer(layer, architecture.shapes[number])
        modules += built
        owners.append(owner)
    return nn.Sequential(*modules), owners


def torchinfo_rows(model: nn.Module, shape) -> tuple[dict, torchinfo.ModelStatistics]:
    """torchinfo's summary of `model` on one image: {module: (params, mult-adds)}."""
    statistics = torchinfo.summary(model, input_size=(1, *shape), verbose=0)
    rows = {
        id(info.module): (info.num_params, info.macs)
        for info in statistics.summary_list
        if info.is_leaf_layer
    }
    return rows, statistics


def assert_equals_torchinfo(architecture, model, owners, input_shape) -> None:
    """Every layer's parameters and mult-adds, the totals and the memory."""
    rows, statistics = torchinfo_rows(model, input_shape)
    ours = summary_json(architecture)
    for row, owner in zip(ours["layers"][1:], owners):
        theirs = (0, 0) if owner is None else rows[id(owner)]
        assert (row["parameters"], row["mult_adds"]) == theirs, row["layer"]
    assert ours["total_parameters"] == statistics.total_params
    assert ours["total_mult_adds"] == statistics.total_mult_adds
    memory = ours["memory_bytes"]
    # torchinfo takes sys.getsizeof of the input's storage: the values, plus the
    # Python object's header (64 bytes), which symcnn leaves out.
    header = sys.getsizeof(torch.empty(0).untyped_storage())
    assert memory["input"] == statistics.total_input - header
    assert memory["forward_backward_pass"] == statistics.total_output_bytes
    assert memory["params"] == statistics.total_param_bytes


def vgg16_torch() -> nn.Sequential:
    """torchvision's vgg16 written out (torchvision is not installed here)."""
    layers, channels = [], 3
    for convs, filters in [(2, 64), (2, 128), (3, 256), (3, 512), (3, 512)]:
        for _ in range(convs):
            layers += [nn.Conv2d(channels, filters, 3, padding=1), nn.ReLU(True)]
            channels = filters
        layers.append(nn.MaxPool2d(2))
    return nn.Sequential(
        *layers,
        nn.AdaptiveAvgPool2d((7, 7)),
        nn.Flatten(),
        *(nn.Linear(25088, 4096), nn.ReLU(True), nn.Dropout()),
        *(nn.Linear(4096, 4096), nn.ReLU(True), nn.Dropout()),
        nn.Linear(4096, 1000),
    )


def alexnet_torch() -> nn.Sequential:
    """torchvision's alexnet written out: a 224x224 image padded by 2, and the
    adaptive average pooling to 6x6 that symcnn's fixed-size spec leaves out."""
    return nn.Sequential(
        *(nn.Conv2d(3, 64, 11, stride=4, padding=2), nn.ReLU(True), nn.MaxPool2d(3, 2)),
        *(nn.Conv2d(64, 192, 5, padding=2), nn.ReLU(True), nn.MaxPool2d(3, 2)),
        *(nn.Conv2d(192, 384, 3, padding=1), nn.ReLU(True)),
        *(nn.Conv2d(384, 256, 3, padding=1), nn.ReLU(True)),
        *(nn.Conv2d(256, 256, 3, padding=1), nn.ReLU(True), nn.MaxPool2d(3, 2)),
        nn.AdaptiveAvgPool2d((6, 6)),
        nn.Flatten(),
        *(nn.Dropout(), nn.Linear(9216, 4096), nn.ReLU(True)),
        *(nn.Dropout(), nn.Linear(4096, 4096), nn.ReLU(True)),
        nn.Linear(4096, 1000),
    )


def parameter_modules(model: nn.Module) -> list[nn.Module]:
    return [m for m in model if isinstance(m, (nn.Conv2d, nn.Linear))]


def owners_in_order(architecture, model) -> list:
    """The torch module of each symcnn layer: convs and linears in order, None for
    layers without parameters."""
    modules = iter(parameter_modules(model))
    return [
        next(modules) if isinstance(layer, (sc.Conv2D, sc.Dense)) else None
        for layer in architecture.layers
    ]


def test_vgg16_equals_torchinfo_layer_by_layer():
    architecture = spec_architecture("vgg16")
    model = vgg16_torch()
    owners = owners_in_order(architecture, model)
    assert_equals_torchinfo(architecture, model, owners, (3, 224, 224))
    ours = summary_json(architecture)
    assert ours["total_parameters"] == 138_357_544
    assert ours["total_mult_adds"] == 15_483_821_032
    assert ours["memory_bytes"]["forward_backward_pass"] == 108_453_696


def test_alexnet_227_equals_torchvisions_alexnet_on_224():
    """Same parameters and mult-adds: both give 64 x 55x55 after the first conv."""
    architecture = spec_architecture("alexnet")
    model = alexnet_torch()
    rows, statistics = torchinfo_rows(model, (3, 224, 224))
    ours = summary_json(architecture)
    owners = owners_in_order(architecture, model)
    for row, owner in zip(ours["layers"][1:], owners):
        theirs = (0, 0) if owner is None else rows[id(owner)]
        assert (row["parameters"], row["mult_adds"]) == theirs, row["layer"]
    assert ours["total_parameters"] == statistics.total_params == 61_100_840
    assert ours["total_mult_adds"] == statistics.total_mult_adds == 714_682_664
    assert ours["memory_bytes"]["forward_backward_pass"] == (
        statistics.total_output_bytes
    )


def test_vgg16_summary_is_instant_and_small(capsys):
    tracemalloc.start()
    started = time.perf_counter()
    code = main(["summary", str(DERIVATIONS / "vgg16.toml"), "--max-terms", "10"])
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    out = capsys.readouterr().out
    assert code == 0 and seconds < 2 and peak < 20_000_000
    assert "Total params: 138,357,544 (weights 138,344,128, biases 13,416)" in out
    assert "19: Dense 4096 (relu)" in out and "25088·4096 = 102,760,448" in out
    assert "Forward/backward pass size (MB): 108.45" in out
    assert "Params size (MB): 553.43" in out
    assert "Estimated Total Size (MB): 662.49" in out


def test_l8_summary_text_is_the_slide():
    network = sc.read_spec(DERIVATIONS / "l8_weight_count.toml").network
    assert summary_text(network) == "\n".join(
        [
            "layer                    output     weights        biases  "
            "parameters  mult-adds",
            "-----------------------  ---------  -------------  ------  "
            "----------  ---------",
            "input                    3 x 10x10  0              0       0"
            "           0",
            "1: Conv2D 4 filters 5x5  4 x 6x6    4·3·5·5 = 300  0       300"
            "         10,800",
            "2: MaxPool2D 2x2         4 x 3x3    0              0       0"
            "           0",
            "3: Conv2D 2 filters 3x3  2 x 1x1    2·4·3·3 = 72   0       72"
            "          72",
            "4: Conv2D 1 filter 1x1   1 x 1x1    1·2·1·1 = 2    0       2"
            "           2",
            "total                               374            0       374"
            "         10,874",
            "",
            "Total params: 374 (weights 374, biases 0)",
            "Total mult-adds: 10,874",
            "Input size (MB): 0.00",
            "Forward/backward pass size (MB): 0.00",
            "Params size (MB): 0.00",
            "Estimated Total Size (MB): 0.00 (float32, 4 bytes a value, as torchinfo)",
        ]
    )


def test_network_and_architecture_summarize_alike():
    spec = DERIVATIONS / "count11.toml"
    network = sc.read_spec(spec).network
    architecture = sc.read_spec(spec, shapes_only=True).network
    assert isinstance(network, sc.Network) and isinstance(architecture, Architecture)
    assert summary_json(network) == summary_json(architecture)
    assert summary_latex(network) == summary_latex(architecture)


def test_count11_json_counts_and_memory(capsys):
    assert main(["summary", str(DERIVATIONS / "count11.toml"), "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert [row["parameters"] for row in result["layers"]] == [0, 2, 20, 5]
    assert [row["mult_adds"] for row in result["layers"]] == [0, 8, 20, 5]
    assert result["total_parameters"] == 27 and result["total_mult_adds"] == 33
    # input 6 values; outputs with parameters 4 + 4 + 1, twice; 27 parameters
    assert result["memory_bytes"] == {
        "bytes_per_value": 4,
        "input": 24,
        "forward_backward_pass": 72,
        "params": 108,
        "total": 204,
    }


def test_latex_rows_group_thousands_and_escape_totals():
    text = summary_latex(spec_architecture("vgg16"))
    assert (
        r"19: Dense 4096 (relu) & $4096 \times 1\times 1$ & "
        r"$25088\cdot 4096 = 102{,}760{,}448$ & $4{,}096$ & $102{,}764{,}544$ & "
        r"$102{,}764{,}544$ \\"
    ) in text
    assert text.endswith(
        r"Estimated Total Size (MB): 662.49 (float32, 4 bytes a value, as torchinfo)"
    )


def test_summary_still_reports_a_shape_error_with_its_layer_and_line(tmp_path, capsys):
    spec = tmp_path / "big.toml"
    spec.write_text(
        "[input]\nheight = 4\nwidth = 4\n\n"
        '[[layers]]\ntype = "conv"\nfilters = 2\nkernel = 5\n'
    )
    assert main(["summary", str(spec)]) == 2
    err = capsys.readouterr().err
    assert "layer 1 (line 5): Conv2D: `kernel` 5x5 is larger than its input 4x4" in err


def test_architecture_refuses_what_a_network_refuses():
    try:
        Architecture(sc.Input(height=4, width=4), sc.Conv2D(1, 5))
    except ShapeError as error:
        assert "`kernel` 5x5 is larger than its input 4x4" in str(error)
    else:
        raise AssertionError("a 5x5 kernel on a 4x4 image was accepted")


@st.composite
def small_architectures(draw):
    """1-3 conv (groups, stride, padding, bias) or pooling layers, an optional
    Flatten, 0-2 dense layers; shapes that do not fit are drawn again."""
    channels = draw(st.integers(1, 4))
    shape = (channels, draw(st.integers(3, 8)), draw(st.integers(3, 8)))
    layers = []
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.booleans()):
            groups = draw(st.sampled_from([g for g in (1, 2, 4) if channels % g == 0]))
            # filters a multiple of groups: the next layer's channels
            channels = groups * draw(st.integers(1, 2))
            layers.append(
                sc.Conv2D(
                    channels,
                    (draw(st.integers(1, 3)), draw(st.integers(1, 3))),
                    stride=draw(st.integers(1, 2)),
                    padding=draw(st.sampled_from([0, 1, (0, 1)])),
                    groups=groups,
                    floor=True,
                    bias=draw(st.booleans()),
                    activation=draw(st.sampled_from(["relu", "tanh", None])),
                )
            )
        else:
            layers.append(
                sc.Pool2D(
                    draw(st.integers(1, 2)),
                    mode=draw(st.sampled_from(["max", "min", "avg"])),
                    padding=draw(st.sampled_from([0, "same"])),
                    floor=True,
                )
            )
    if draw(st.booleans()):
        layers.append(sc.Flatten())
    for _ in range(draw(st.integers(0, 2))):
        layers.append(sc.Dense(draw(st.integers(1, 5)), bias=draw(st.booleans())))
    try:
        input = sc.Input(channels=shape[0], height=shape[1], width=shape[2])
        return Architecture(input, *layers)
    except ShapeError:
        assume(False)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.filter_too_much]
)
@given(small_architectures())
def test_random_architectures_equal_torchinfo(architecture):
    torch.manual_seed(0)
    model, owners = torch_model(architecture)
    assert_equals_torchinfo(architecture, model, owners, architecture.shapes[0])
