"""How long F_NN(P) is once every row is inlined (expanded to pixels), counted from
the layers' connections (model/connections.py) without building a row: what
latex.written_size gives on the inlined formula, for a refusal before the work
(inlining LeNet-5 took 80 s and 1 GB before its print was refused).

    sum of n > 1 terms     1 + sum over terms of (size(x) + 2) (+ 1 for a bias);
                           a term x w whose x is a product merges into it: + 1
    one term alone         that term; no term and no bias: 0 (size 1)
    max/min of n > 1 cells 1 + sum of the cells' sizes
    avg                    (1/d) times the sum of the cells (nested sums merge,
                           zeros drop out): 2 + that, or + 1 onto a product, + 0
                           onto a product with a number; nothing for d = 1
    f(z)                   1 + size(z) (leaky ReLU 2: its slope); f(0) = 0 stays 0
"""

from __future__ import annotations

import math

import numpy as np

from ..model.connections import Windows, layer_connections
from ..model.layers import Flatten

#: What a value's expanded formula is, as far as its written size cares: a product
#: written as a factor of another product merges into it (lecture_product), and so
#: does a sum into a sum (lecture_sum); a number coefficient merges with another;
#: a value 0 (a sum whose cells are all padding) drops out of sums and products.
OTHER, SUM, PRODUCT, SCALED, ZERO = 0, 1, 2, 3, 4  # SCALED: a number times


def inlined_size(network) -> float:
    """The largest output's written size (latex.written_size) with every row
    inlined (expanded to pixels), from the layers' connections: no trace row is
    built (inlining LeNet-5 took 80 s and 1 GB before its print was refused).
    Exact unless a value is a number other than 0 (sigmoid(0) = 1/2), whose
    folding only makes the formula shorter. Floats: exact below 2^53."""
    size = np.ones(math.prod(network.shapes[0]))
    kind = np.full(len(size), OTHER)
    for number, layer in enumerate(network.layers, start=1):
        if isinstance(layer, Flatten):
            continue
        conn = layer_connections(network, number)
        if isinstance(conn, Windows):
            size, kind = pooled_size(layer, conn, size, kind)
        else:
            size, kind = summed_size(conn, size, kind)
        function = layer.activation if hasattr(layer, "activation") else None
        if function is not None and not function.is_identity:
            zero = kind == ZERO
            size = size + np.where(zero, 0, 2 if function.kind == "leaky_relu" else 1)
            kind = np.where(zero & (function.kind in KEEP_ZERO), ZERO, OTHER)
            size = np.where(zero & (function.kind == "f"), 2, size)
    return float(size.max())


#: f(0) = 0 for these (f of 0 is 0, a number); sigmoid(0) = 1/2, f(0) is written.
KEEP_ZERO = ("relu", "leaky_relu", "tanh")


def only_read(start, reads, kept) -> np.ndarray:
    """Each row's input when it keeps exactly one (else any: callers mask it)."""
    rows = np.repeat(np.arange(len(start) - 1), np.diff(start))
    count = np.bincount(rows, kept, len(start) - 1)
    read = np.bincount(rows, np.where(kept, reads, 0), len(start) - 1).astype(int)
    return np.where(count == 1, read, 0)


def summed_size(conn, size, kind):
    """Sizes of x_1 w_1 + x_2 w_2 + ... (+ b): a product x w with x a product is
    one product (size(x) + 1), else size(x) + 2; one term alone is that term."""
    kept = kind[conn.inputs] != ZERO
    terms = size[conn.inputs] + np.where(kind[conn.inputs] >= PRODUCT, 1, 2)
    counts = np.bincount(conn.term_rows(), kept, conn.rows)
    bias = int(conn.bias is not None)
    total = np.bincount(conn.term_rows(), terms * kept, conn.rows) + bias
    n = counts + bias
    one = kind[only_read(conn.start, conn.inputs, kept)]
    one = np.where(one == SCALED, SCALED, PRODUCT)
    size = np.where(n > 1, 1 + total, np.where(n == 1, total, 1))
    alone = np.where((counts == 1) & (n == 1), one, np.where(n == 0, ZERO, OTHER))
    return size, np.where(n > 1, SUM, alone)


def pooled_size(layer, windows, size, kind):
    """Sizes of max/min(cells) or (1/d) (cell + cell + ...): nested sums flatten,
    a number merges into a product's, zeros drop out of the sum."""
    rows, cells = windows.cell_rows(), size[windows.cells]
    if layer.mode != "avg":
        counts = np.diff(windows.start)
        first = windows.cells[np.minimum(windows.start[:-1], len(windows.cells) - 1)]
        zero = np.bincount(rows, kind[windows.cells] != ZERO, windows.rows) == 0
        total = np.bincount(rows, cells, windows.rows)
        single = counts == 1
        size = np.where(single, size[first], np.where(zero, 1, 1 + total))
        kind = np.where(single, kind[first], np.where(zero, ZERO, OTHER))
        return size, kind
    kept = kind[windows.cells] != ZERO
    counts = np.bincount(rows, kept, windows.rows)
    flat = np.bincount(
        rows, (cells - (kind[windows.cells] == SUM)) * kept, windows.rows
    )
    one = only_read(windows.start, windows.cells, kept)
    single = counts == 1
    added = np.where(single, size[one], np.where(counts == 0, 1, 1 + flat))
    added_kind = np.where(single, kind[one], np.where(counts == 0, ZERO, SUM))
    merged = np.where(added_kind == SCALED, 0, np.where(added_kind == PRODUCT, 1, 2))
    scaled = (windows.divisor != 1) & (added_kind != ZERO)
    return (
        np.where(scaled, added + merged, added),
        np.where(scaled, SCALED, added_kind),
    )
