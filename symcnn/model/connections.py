"""Which input value meets which weight: conv, dense and pooling layers as index
arrays (CSR: row r's entries are start[r] <= j < start[r+1]), in the trace's term
order. The trace builds its SymPy rows from these (symbolic/trace.py) and the
vectorized C backend its tables (numeric/c_layers.py): one definition for both.

Values are numbered flat, channel-major (PyTorch's flatten): x[c, i, j] is
x.flat[(c H + i) W + j]; a layer's rows are its values in that order, and a weight
is its flat index in the layer's weight array (PyTorch's layout).

    conv   a[k,i,j] = sum_{c,u,v} x[g C/G + c, s i + u - top, s j + v - left]
                      w[k,c,u,v] (+ b_k): c < C/G in filter k's group g, the kernel
                      in raster order within each channel, padded cells no term,
                      the bias last;
    dense  z[n] = sum_m x[m] w[n,m] + b_n (the bias first with bias_first);
    pool   the cells of window (c, i, j) in raster order, padded cells left out;
           avg divides by n m (count_include_pad) or by the cells it covers.

Built with NumPy index arithmetic over all positions at once, never a Python loop
per term (LeNet-5: 286,904 terms).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .layers import Conv2D, Dense, Pool2D


@dataclass(frozen=True)
class Connections:
    """Row r = sum over j of x[inputs[j]] w[weights[j]] (start[r] <= j <
    start[r+1]), plus the bias b[bias[r]] when `bias` is not None: after the terms,
    or before them with bias_first. weight_first: the trace writes w x, not x w."""

    start: np.ndarray
    inputs: np.ndarray
    weights: np.ndarray
    bias: np.ndarray | None = None
    bias_first: bool = False
    weight_first: bool = False

    @property
    def rows(self) -> int:
        return len(self.start) - 1

    def term_rows(self) -> np.ndarray:
        """The row of every term."""
        return np.repeat(np.arange(self.rows), np.diff(self.start))


@dataclass(frozen=True)
class Windows:
    """Pooling window r over the input cells cells[j], start[r] <= j < start[r+1],
    in raster order; an average divides by divisor[r]."""

    start: np.ndarray
    cells: np.ndarray
    divisor: np.ndarray

    @property
    def rows(self) -> int:
        return len(self.start) - 1

    def cell_rows(self) -> np.ndarray:
        """The window of every cell."""
        return np.repeat(np.arange(self.rows), np.diff(self.start))


def grid(out_shape, window, stride, pads, in_shape):
    """(row, col, valid) of cell (u, v) of the window at output (i, j), as arrays of
    shape (1, OH, OW, 1, n, m) (row, col broadcast) and `valid` of full shape
    without the channel axes: where the cell lies inside the unpadded input."""
    (_, oh, ow), (n, m), (sh, sw), (top, left) = out_shape, window, stride, pads
    i = np.arange(oh).reshape(1, oh, 1, 1, 1, 1)
    j = np.arange(ow).reshape(1, 1, ow, 1, 1, 1)
    u = np.arange(n).reshape(1, 1, 1, 1, n, 1)
    v = np.arange(m).reshape(1, 1, 1, 1, 1, m)
    row, col = sh * i + u - top, sw * j + v - left
    valid = (row >= 0) & (row < in_shape[1]) & (col >= 0) & (col < in_shape[2])
    return row, col, valid


def starts_of(counts: np.ndarray) -> np.ndarray:
    """CSR starts from the number of entries per row."""
    return np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)


def starts(valid: np.ndarray, rows: int) -> np.ndarray:
    """CSR starts from the mask of kept entries, one row per leading position."""
    return starts_of(valid.reshape(rows, -1).sum(axis=1))


def conv_connections(layer: Conv2D, in_shape, out_shape) -> Connections:
    """The terms of every a[k,i,j] (module docstring)."""
    channels, height, width = in_shape
    filters = out_shape[0]
    reads, per_group = channels // layer.groups, filters // layer.groups
    (kh, kw), pads = layer.kernel, (layer.padding[0][0], layer.padding[1][0])
    row, col, valid = grid(out_shape, layer.kernel, layer.stride, pads, in_shape)
    k = np.arange(filters).reshape(-1, 1, 1, 1, 1, 1)
    c = np.arange(reads).reshape(1, 1, 1, -1, 1, 1)
    u = np.arange(kh).reshape(1, 1, 1, 1, -1, 1)
    v = np.arange(kw).reshape(1, 1, 1, 1, 1, -1)
    full = (filters, *out_shape[1:], reads, kh, kw)
    mask = np.broadcast_to(valid, full)
    channel = (k // per_group) * reads + c
    inputs = np.broadcast_to((channel * height + row) * width + col, full)[mask]
    weights = np.broadcast_to(((k * reads + c) * kh + u) * kw + v, full)[mask]
    rows = int(np.prod(out_shape))
    bias = np.arange(filters).repeat(rows // filters) if layer.bias else None
    return Connections(starts(mask, rows), inputs, weights, bias)


def dense_connections(layer: Dense, size: int) -> Connections:
    """z[n] = sum_m x[m] w[n,m] (+ b_n): every input in order, weight n size + m."""
    units = layer.units
    return Connections(
        np.arange(units + 1, dtype=np.int64) * size,
        np.tile(np.arange(size, dtype=np.int64), units),
        np.arange(units * size, dtype=np.int64),
        np.arange(units) if layer.bias else None,
        layer.bias_first,
        layer.weight_first,
    )


def pool_windows(layer: Pool2D, in_shape, out_shape) -> Windows:
    """The cells of every pooling window (module docstring)."""
    channels, height, width = in_shape
    (top, _), (left, _) = layer.pads(height, width)
    row, col, valid = grid(out_shape, layer.size, layer.stride, (top, left), in_shape)
    c = np.arange(channels).reshape(-1, 1, 1, 1, 1, 1)
    full = (channels, *out_shape[1:], 1, *layer.size)
    mask = np.broadcast_to(valid, full)
    cells = np.broadcast_to((c * height + row) * width + col, full)[mask]
    start = starts(mask, int(np.prod(out_shape)))
    if layer.count_include_pad:
        divisor = np.full(len(start) - 1, layer.size[0] * layer.size[1])
    else:
        divisor = np.diff(start)
    return Windows(start, cells, divisor)


def layer_connections(network, number: int) -> Connections | Windows:
    """Layer `number`'s connections (conv, dense) or windows (pooling)."""
    layer = network.layers[number - 1]
    in_shape, out_shape = network.shapes[number - 1], network.shapes[number]
    if isinstance(layer, Conv2D):
        return conv_connections(layer, in_shape, out_shape)
    if isinstance(layer, Dense):
        return dense_connections(layer, int(np.prod(in_shape)))
    if isinstance(layer, Pool2D):
        return pool_windows(layer, in_shape, out_shape)
    raise TypeError(f"layer {number} ({layer.kind}) has no connections")
