"""Sums of products as a table of slot numbers, built from index arrays with NumPy:
the rows that one compiled loop of the vectorized C backend runs (c_soa.py).

Almost every term of a network's loss and gradient is a product of two values,
``x w`` (conv and dense sums), ``dA w`` (their adjoints) or ``dA x`` (their weight
gradients): LeNet-5's 286,904 trace terms make ~800,000 such products, and printed
as C statements they were 15 MB of source that gcc took ~100 s to compile. As a
table they are two int32 numbers each, read by one loop; c_layers.py makes them
from the layers' connections (model/connections.py) without a SymPy object.

Slots: every per-sample value (an input, a layer's value, an adjoint, an output) has
a *vector slot* (one double per sample of a block); parameters and numbers have
*scalar slots* (one double for all samples), written ~k in a table (negative). A
term is ``vector slot * (vector or scalar slot)``, summed left to right in the
order given, so a row in the trace's term order computes what the trace's printed
C statement computes, bit for bit (x w == w x and x 1 == x in IEEE arithmetic; no
fused multiply-add).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..model.connections import starts_of

ONES = 0  # vector slot 0 holds 1.0 on every lane: V[ONES] * S[~b] is S[~b]


def grouped(keys: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """(start, order): entries sorted stably by key (0 <= key < count), keeping
    their order within a key, and the CSR starts of keys 0 ... count - 1."""
    order = np.argsort(keys, kind="stable")
    return starts_of(np.bincount(keys, minlength=count)), order


def insert_terms(start, a, b, rows, new_a, new_b, *, first: bool):
    """(start, a, b) with one more term (new_a[k], new_b[k]) in row rows[k], before
    the row's terms (first=True) or after them."""
    counts = np.diff(start)
    keys = np.concatenate(
        [
            2 * np.repeat(np.arange(len(counts)), counts) + int(first),
            2 * rows + 1 - first,
        ]
    )
    order = np.argsort(keys, kind="stable")
    start = starts_of(counts + np.bincount(rows, minlength=len(counts)))
    return start, np.concatenate([a, new_a])[order], np.concatenate([b, new_b])[order]


@dataclass
class Table:
    """Tabled rows: row r writes vector slot dest[r] with the sum over terms
    start[r] <= j < start[r+1] of V[a[j]] * (V[b[j]] if b[j] >= 0 else S[~b[j]]).
    A row without terms is given one, ONES * S[zero], so that it writes 0."""

    zero: int  # the scalar slot holding 0.0
    dest: list = field(default_factory=list)
    counts: list = field(default_factory=list)
    a: list = field(default_factory=list)
    b: list = field(default_factory=list)
    rows: int = 0

    def add(self, dest, start, a, b) -> tuple[int, int]:
        """Rows writing `dest` (their terms in CSR form); their span (first, last)."""
        empty = np.flatnonzero(np.diff(start) == 0)
        if len(empty):
            ones, zeros = np.full(len(empty), ONES), np.full(len(empty), ~self.zero)
            start, a, b = insert_terms(start, a, b, empty, ones, zeros, first=False)
        self.dest.append(np.asarray(dest))
        self.counts.append(np.diff(start))
        self.a.append(np.asarray(a))
        self.b.append(np.asarray(b))
        self.rows += len(dest)
        return self.rows - len(dest), self.rows

    def packed(self) -> np.ndarray:
        """One int32 array: [rows, terms, dest..., start..., a..., b...]."""
        counts = np.concatenate([np.zeros(0, np.int64), *self.counts])
        parts = [self.dest, [starts_of(counts)], self.a, self.b]
        body = [np.concatenate([np.zeros(0, np.int64), *part]) for part in parts]
        header = np.array([self.rows, int(counts.sum())])
        packed = np.concatenate([header, *body])
        if packed.size and (packed.max() >= 2**31 or packed.min() < -(2**31)):
            raise OverflowError("the program's table does not fit in int32")
        return packed.astype(np.int32)
