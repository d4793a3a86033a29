"""model/connections.py: which input meets which weight, as exact index arrays, and
the trace's rows made from them."""

import numpy as np
import sympy as sp

import symcnn as sc
from symcnn.model.connections import layer_connections


def test_a_padded_conv_lists_each_windows_cells_and_weights_in_raster_order():
    """1x3x3 input, one 2x2 kernel, stride 1, padding 1: 16 outputs; a corner sees
    one cell (the kernel's opposite corner), an edge two, the middle four."""
    network = sc.Network(sc.Input(height=3, width=3), sc.Conv2D(1, 2, padding=1))
    conv = layer_connections(network, 1)
    assert conv.start.tolist() == [
        0, 1, 3, 5, 6, 8, 12, 16, 18, 20, 24, 28, 30, 31, 33, 35, 36,
    ]  # fmt: skip
    assert conv.inputs.tolist() == [
        0, 0, 1, 1, 2, 2,  # row 0: p11 | p11 p12 | p12 p13 | p13
        0, 3, 0, 1, 3, 4, 1, 2, 4, 5, 2, 5,
        3, 6, 3, 4, 6, 7, 4, 5, 7, 8, 5, 8,
        6, 6, 7, 7, 8, 8,
    ]  # fmt: skip
    assert conv.weights.tolist() == [
        3, 2, 3, 2, 3, 2,  # the kernel's bottom row
        1, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 2,
        1, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 2,
        1, 0, 1, 0, 1, 0,  # its top row
    ]  # fmt: skip
    assert conv.bias is None


def test_groups_read_their_own_channels_and_the_bias_has_its_filter():
    network = sc.Network(
        sc.Input(channels=4, height=2, width=2),
        sc.Conv2D(2, 1, groups=2, bias=True),
        sc.Dense(2, bias_first=True, weight_first=True),
    )
    conv = layer_connections(network, 1)
    assert conv.start.tolist() == [0, 2, 4, 6, 8, 10, 12, 14, 16]
    # filter 1 reads channels 1-2 (pixels 0-7), filter 2 channels 3-4 (8-15)
    assert conv.inputs.tolist() == [
        0,
        4,
        1,
        5,
        2,
        6,
        3,
        7,
        8,
        12,
        9,
        13,
        10,
        14,
        11,
        15,
    ]
    assert conv.weights.tolist() == [0, 1] * 4 + [2, 3] * 4
    assert conv.bias.tolist() == [0, 0, 0, 0, 1, 1, 1, 1]
    dense = layer_connections(network, 2)
    assert dense.start.tolist() == [0, 8, 16]
    assert dense.inputs.tolist() == list(range(8)) * 2
    assert dense.weights.tolist() == list(range(16))
    assert (dense.bias.tolist(), dense.bias_first, dense.weight_first) == ([0, 1], 1, 1)


def test_avg_pool_without_padded_cells_divides_by_the_cells_it_covers():
    """2x3 input, 2x2 windows, stride 1, padding 1: 3x4 windows per channel, the
    corners cover one cell, the edges two, the middle four."""
    network = sc.Network(
        sc.Input(channels=2, height=2, width=3),
        sc.Pool2D(2, mode="avg", stride=1, padding=1, count_include_pad=False),
    )
    pool = layer_connections(network, 1)
    per_channel = [1, 2, 2, 1, 2, 4, 4, 2, 1, 2, 2, 1]
    assert pool.divisor.tolist() == per_channel * 2
    assert np.diff(pool.start).tolist() == per_channel * 2
    assert pool.cells[:12].tolist() == [0, 0, 1, 1, 2, 2, 0, 3, 0, 1, 3, 4]
    assert pool.cells[24:28].tolist() == [6, 6, 7, 7]  # channel 2 starts at pixel 6
    counted = sc.Network(
        sc.Input(channels=2, height=2, width=3), sc.AvgPool2D(2, stride=1, padding=1)
    )
    assert set(layer_connections(counted, 1).divisor.tolist()) == {4}


def test_the_trace_writes_its_rows_from_the_connections():
    """a_{11} of the padded conv is p_{11} w_{22} alone; a_{22} all four terms."""
    network = sc.Network(
        sc.Input(height=3, width=3), sc.Conv2D(1, 2, padding=1, name="a")
    )
    rows = sc.build_trace(network).rows
    assert sp.srepr(rows[0].expr) == sp.srepr(
        sp.Mul(network.symbol("p_{11}"), network.symbol("w_{22}"), evaluate=False)
    )
    assert str(rows[5].expr) == "p_1_1*w_1_1 + p_1_2*w_1_2 + p_2_1*w_2_1 + p_2_2*w_2_2"
