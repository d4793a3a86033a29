"""Loops of the vectorized C program: one SymPy row printed once, run over many slots.

A layer's activations are one row pattern over its values, h_i := f(z_i); a pooling
layer's windows of n cells are one pattern y := max(x_1, ..., x_n) over an index
table of slot numbers (given at run time, after the program's table); their
adjoints likewise. Each pattern is a row on placeholder symbols, built and
differentiated by the same code as the trace's rows (symbolic/trace.py,
symbolic/adjoint.py: ReLU'(0) as the layer chose, ties to the first or last cell),
and printed once as the body of a C loop:

    for (long i = 0; i < COUNT; i++) {
      const int *idx = T + OFFSET + i * STRIDE;   (pooling: the window's slots)
      for (long c = 0; c < PER; c++)  W[(SUMS + i) * PER + c] = v_relu(...);
    }

on vectors of WIDTH samples where c_lanes.py has the functions (ReLU, pooling, their
derivatives), else one lane at a time (sigmoid, tanh, the loss). A pattern prints
the same arithmetic as the trace's row, so the values are the same bit for bit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby

import numpy as np
import sympy as sp

from .c_backend import PART_CHARS, CTracePrinter, split
from .c_lanes import CLanesPrinter, on_lanes

PART_SIGNATURE = "const double *restrict t, double *restrict V, const int *restrict T"


@dataclass(frozen=True)
class Statement:
    """target := expr (target += expr with accumulate), on placeholder symbols."""

    target: sp.Symbol
    expr: sp.Expr
    accumulate: bool = False


@dataclass
class Loops:
    """The printed functions part0, part1, ... and the index tables they read (one
    int32 array, T in C, handed over after the program's table)."""

    parts: list[str] = field(default_factory=list)
    indices: list[np.ndarray] = field(default_factory=list)
    size: int = 0  # int32 numbers in the index tables so far

    def index(self, table: np.ndarray) -> int:
        """Add an index table; its offset in T."""
        self.indices.append(np.asarray(table, dtype=np.int64).reshape(-1))
        self.size += self.indices[-1].size
        return self.size - self.indices[-1].size

    def loop(self, count: int, slots: dict, statements, index=None) -> list[int]:
        """Parts running `statements` for i < count, `slots` giving each placeholder
        symbol's vector slot as C (reading i, and idx[k] with index = (offset,
        stride)); the numbers of the new parts."""
        vectors = dict.fromkeys(slots)
        lanes = CLanesPrinter({s: f"W[{e} * PER + c]" for s, e in slots.items()})
        lanes.vectors = vectors
        scalar = CTracePrinter({s: f"v[{e} * LANES]" for s, e in slots.items()})
        first = len(self.parts)
        for vector, run in groupby(statements, lambda s: on_lanes(s.expr, vectors)):
            printer = lanes if vector else scalar
            lines = [
                f"      {printer.names[s.target]} {'+=' if s.accumulate else '='} "
                f"{printer.doprint(s.expr)};"
                for s in run
            ]
            for chunk in split(lines, PART_CHARS):
                self.parts.append(
                    loop_part(len(self.parts), count, chunk, vector, index)
                )
        return list(range(first, len(self.parts)))


def loop_part(number: int, count: int, lines, vector: bool, index) -> str:
    """One C function: the lines for every i < count, on every lane of a block."""
    head = f"NOINLINE void part{number}({PART_SIGNATURE})\n{{\n"
    if vector:
        head += "  vw *restrict W = (vw *)V;\n"
    head += f"  for (long i = 0; i < {count}; i++) {{\n"
    if index is not None:
        offset, stride = index
        head += f"    const int *idx = T + {offset} + i * {stride};\n"
    if vector:
        inner = "    for (long c = 0; c < PER; c++) {\n"
    else:
        inner = "    for (long l = 0; l < LANES; l++) {\n      double *v = V + l;\n"
    return head + inner + "\n".join(lines) + "\n    }\n  }\n}\n"
