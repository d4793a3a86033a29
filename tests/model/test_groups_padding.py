"""Layers PyTorch and Keras users write: grouped and depthwise convolutions, strides
that leave cells over (refused unless floor=True), TensorFlow's "same" pooling and
average pooling without the padded cells in the divisor."""

import numpy as np
import pytest
import sympy as sp
import torch
import torch.nn.functional as F
from conftest import DERIVATIONS

import symcnn as sc

#: 1 .. 25 in raster order: every pooled value names the cells it came from.
COUNTING = np.array([sp.Integer(v) for v in range(1, 26)], dtype=object).reshape(
    1, 5, 5
)


def pooled(layer, image=COUNTING):
    """The exact pooled grid of `layer` on `image` (channel 1)."""
    net = sc.Network(sc.Input(height=image.shape[1], width=image.shape[2]), layer)
    values = sc.forward_exact(sc.build_trace(net), [], image)[-1].values
    return values[0].tolist()


def test_grouped_conv_weights_have_pytorchs_layout_and_names():
    net = sc.Network(
        sc.Input(channels=4, height=3, width=3), sc.Conv2D(6, 2, groups=2)
    )
    assert net.weights[0].shape == (6, 2, 2, 2)  # (filters, channels/groups, kh, kw)
    assert net.weights[0][5, 1, 1, 1].name.latex == "w_{6,2,22}"
    assert len(net.parameters) == 48


def test_each_filter_reads_only_the_channels_of_its_group():
    net = sc.Network(
        sc.Input(channels=2, height=1, width=3),
        sc.Conv2D(2, (1, 2), groups=2, name="a"),  # depthwise: groups = channels
    )
    assert [p.name.latex for p in net.parameters] == [
        "w_{1,1}",
        "w_{1,2}",
        "w_{2,1}",
        "w_{2,2}",
    ]
    assert sc.derive(net).to_text().splitlines()[1:] == [
        "  a_{1,11} = p_{1,11} w_{1,1} + p_{1,12} w_{1,2}",
        "  a_{1,12} = p_{1,12} w_{1,1} + p_{1,13} w_{1,2}",
        "  a_{2,11} = p_{2,11} w_{2,1} + p_{2,12} w_{2,2}",
        "  a_{2,12} = p_{2,12} w_{2,1} + p_{2,13} w_{2,2}",
    ]


def test_grouped_conv_counts_only_the_terms_it_sums():
    net = sc.Network(
        sc.Input(channels=6, height=4, width=4), sc.Conv2D(6, 3, groups=3)
    )
    # 96 pixels + 6 x 2 x 2 values, each 2 channels x 3 x 3 products
    assert sc.build_trace(net).terms == 96 + 24 * 18


def test_groups_that_do_not_divide_the_filters_are_refused():
    with pytest.raises(
        sc.SymcnnError,
        match=r"Conv2D: `groups` 4 does not divide `filters` 6 .* use a number of "
        r"groups that divides 6",
    ):
        sc.Conv2D(6, 3, groups=4)


def test_groups_that_do_not_divide_the_channels_name_the_channel_count():
    with pytest.raises(
        sc.ShapeError,
        match=r"layer 1 \(Conv2D\): `groups` 2 does not divide its 3 input channels "
        r".* use a number of groups that divides 3",
    ):
        sc.Network(sc.Input(channels=3, height=3, width=3), sc.Conv2D(4, 2, groups=2))


@pytest.mark.parametrize("groups", [0, -1, 1.5, True, "2"])
def test_groups_must_be_a_positive_integer(groups):
    with pytest.raises(sc.SymcnnError, match=r"Conv2D: `groups`"):
        sc.Conv2D(2, 1, groups=groups)


def test_grouped_conv_equals_torch_conv2d_with_groups():
    rng = np.random.default_rng(5)
    net = sc.Network(
        sc.Input(channels=4, height=4, width=5),
        sc.Conv2D(6, (2, 3), groups=2, bias=True, padding=1),
    )
    theta = rng.normal(size=len(net.parameters))
    images = rng.normal(size=(3, 4, 4, 5))
    ours = sc.compile_forward(sc.build_trace(net))(theta, images)
    weight = torch.tensor(theta[:72]).reshape(6, 2, 2, 3)
    bias = torch.tensor(theta[72:])
    theirs = F.conv2d(torch.tensor(images), weight, bias, padding=1, groups=2)
    np.testing.assert_allclose(ours, theirs.flatten(1).numpy(), rtol=1e-12)


def test_a_conv_stride_that_leaves_cells_over_is_refused_like_pooling():
    with pytest.raises(
        sc.ShapeError,
        match=r"^layer 1 \(Conv2D\): input 6x6 is not divisible by kernel 3x3 with "
        r"stride 2x2 \(the lecture's rule\); pad it to 7x7, choose a stride that "
        r"divides, or pass floor=True to drop the cells left over as PyTorch does$",
    ):
        sc.Network(sc.Input(height=6, width=6), sc.Conv2D(1, 3, stride=2))


def test_the_suggested_size_counts_the_layers_own_padding():
    with pytest.raises(sc.ShapeError, match=r"input 6x5 .* pad it to 7x5"):
        sc.Network(
            sc.Input(height=6, width=5), sc.Conv2D(1, 3, stride=2, padding=1)
        )


def test_floor_drops_the_conv_cells_left_over_as_pytorch_does():
    net = sc.Network(
        sc.Input(height=6, width=6), sc.Conv2D(1, 3, stride=2, floor=True)
    )
    assert net.shapes[1] == (1, 2, 2)
    theta = np.arange(1.0, 10.0)
    image = np.arange(36.0).reshape(1, 1, 6, 6)
    ours = sc.compile_forward(sc.build_trace(net))(theta, image)
    weight = torch.tensor(theta).reshape(1, 1, 3, 3)
    theirs = F.conv2d(torch.tensor(image), weight, stride=2)
    np.testing.assert_allclose(ours, theirs.flatten(1).numpy(), rtol=1e-13)


@pytest.mark.parametrize("floor", [1, "yes", None])
def test_floor_must_be_true_or_false(floor):
    with pytest.raises(sc.SymcnnError, match=r"Conv2D: `floor`: .* not True or False"):
        sc.Conv2D(1, 3, floor=floor)


def test_same_max_pooling_pads_the_bottom_and_right_as_tensorflow():
    # TensorFlow's SAME: ceil(5/2) = 3 out, padding (3-1) 2 + 2 - 5 = 1, at the end
    layer = sc.MaxPool2D(2, padding="same")
    assert layer.pads(5, 5) == ((0, 1), (0, 1))
    assert pooled(layer) == [[7, 9, 10], [17, 19, 20], [22, 24, 25]]


def test_same_pooling_with_an_odd_window_pads_both_sides():
    layer = sc.MinPool2D(3, stride=2, padding="same")
    assert layer.pads(5, 5) == ((1, 1), (1, 1))
    assert pooled(layer) == [[1, 2, 4], [6, 7, 9], [16, 17, 19]]


def test_same_pooling_needs_no_padding_where_the_window_tiles():
    assert sc.MaxPool2D(2, padding="same").pads(4, 6) == ((0, 0), (0, 0))
    # TensorFlow drops what a stride skips: a 1x1 window with stride 3 over 5 cells
    assert sc.MaxPool2D(1, stride=3, padding="same").pads(5, 5) == ((0, 0), (0, 0))


def test_same_avg_pooling_counts_padded_zeros_by_default():
    quarter = sp.Rational(1, 4)
    assert pooled(sc.AvgPool2D(2, padding="same")) == [
        [4, 6, 15 * quarter],
        [14, 16, 35 * quarter],
        [43 * quarter, 47 * quarter, 25 * quarter],
    ]


def test_avg_without_padded_cells_divides_by_the_cells_it_covers():
    half = sp.Rational(1, 2)
    assert pooled(sc.AvgPool2D(2, padding="same", count_include_pad=False)) == [
        [4, 6, 15 * half],
        [14, 16, 35 * half],
        [43 * half, 47 * half, 25],
    ]
    net = sc.Network(
        sc.Input(height=3, width=3),
        sc.AvgPool2D(2, padding="same", count_include_pad=False, name="y"),
    )
    assert sc.derive(net).to_text().splitlines()[1:] == [
        "  y_{11} = 1/4 (p_{11} + p_{12} + p_{21} + p_{22})",
        "  y_{12} = 1/2 (p_{13} + p_{23})",
        "  y_{21} = 1/2 (p_{31} + p_{32})",
        "  y_{22} = p_{33}",
    ]


def test_count_include_pad_false_equals_torch_avg_pool2d():
    image = np.random.default_rng(2).normal(size=(2, 3, 5, 4))
    layer = sc.AvgPool2D(3, stride=2, padding=1, count_include_pad=False, floor=True)
    net = sc.Network(sc.Input(channels=3, height=5, width=4), layer)
    ours = sc.compile_forward(sc.build_trace(net))(np.zeros(0), image)
    theirs = F.avg_pool2d(
        torch.tensor(image), 3, stride=2, padding=1, count_include_pad=False
    )
    np.testing.assert_allclose(ours, theirs.flatten(1).numpy(), rtol=1e-13)


def test_count_include_pad_is_for_avg_pooling_only():
    with pytest.raises(
        sc.SymcnnError, match=r"`count_include_pad` False is for avg pooling, not 'max'"
    ):
        sc.MaxPool2D(2, count_include_pad=False)


def test_an_unknown_pool_padding_lists_the_choices():
    with pytest.raises(sc.SymcnnError, match=r"`padding` 'full' .* 'valid' or 'same'"):
        sc.MaxPool2D(2, padding="full")
    assert sc.MaxPool2D(2, padding="valid").padding == (0, 0)


SPEC = """
[input]
channels = 2
height = 5
width = 5

[[layers]]
type = "conv"
filters = 4
kernel = 2
stride = 2
groups = 2
floor = true

[[layers]]
type = "avgpool"
size = 2
padding = "same"
count_include_pad = false

[[layers]]
type = "dense"
units = 1
"""


def test_a_spec_says_groups_floor_same_and_count_include_pad(tmp_path):
    path = tmp_path / "net.toml"
    path.write_text(SPEC)
    net = sc.read_spec(path).network
    conv, pool = net.layers[:2]
    assert (conv.groups, conv.floor) == (2, True)
    assert (pool.padding, pool.count_include_pad) == ("same", False)
    assert net.shapes[1:3] == ((4, 2, 2), (4, 1, 1))


def test_a_spec_without_floor_names_the_line_and_the_fix(tmp_path):
    path = tmp_path / "net.toml"
    path.write_text(SPEC.replace("floor = true\n", ""))
    with pytest.raises(sc.SpecError, match=r"pass floor=True"):
        sc.read_spec(path)


def test_shipped_specs_need_no_floor():
    for spec in sorted(DERIVATIONS.glob("l*.toml")):
        if not spec.stem.endswith("-weights"):
            assert sc.read_spec(spec).network.layers  # none relied on a silent floor
