"""Pooling as SymPy functions of our own: max and min over a window, and their
derivatives with the tie convention written where it is defined.

Never ``sympy.Max``: it compares its symbolic arguments on every construction (43 s to
build the L8 net instead of 0.3 s: NUMERICS.md). The derivative of max(x_1..x_n) with
respect to x_i is 1 where x_i is the winning cell and 0 elsewhere; on a tie the winner
is the first maximal cell in the order given (raster order: PyTorch's max_pool2d
convention), or the last when the trace passes the cells reversed.
"""

from __future__ import annotations

import sympy as sp


class _Pool(sp.Function):
    """best(x_1, ..., x_n) over one pooling window; exact on numbers."""

    best = staticmethod(max)
    numpy_name = "numpy.maximum"

    @classmethod
    def eval(cls, *cells):
        if len(cells) == 1:
            return cells[0]
        if all(cell.is_Number for cell in cells):
            return cls.best(cells)
        return None

    def _numpycode(self, printer):
        code = printer._print(self.args[0])
        for cell in self.args[1:]:
            code = f"{self.numpy_name}({code}, {printer._print(cell)})"
        return code

    def _pythoncode(self, printer):
        cells = ", ".join(printer._print(cell) for cell in self.args)
        return f"{self.best.__name__}({cells})"


class PoolMax(_Pool):
    """max(x_1, ..., x_n) over one pooling window."""


class PoolMin(_Pool):
    """min(x_1, ..., x_n) over one pooling window (min-pooling is -max_pool(-x))."""

    best = staticmethod(min)
    numpy_name = "numpy.minimum"


class _Winner(sp.Function):
    """d best(x_1..x_n) / d x_i: 1 if x_i is the first winning cell, else 0.

    Called as Winner(i, x_1, ..., x_n) with i 0-based; x_i wins when it beats every
    earlier cell strictly and every later cell or ties it."""

    best = staticmethod(max)
    strict, loose = ">", ">="

    @classmethod
    def eval(cls, position, *cells):
        if len(cells) == 1:
            return sp.S.One
        if all(cell.is_Number for cell in cells):
            return sp.S.One if winner(int(position), cells, cls.best) else sp.S.Zero
        return None

    def _numpycode(self, printer):
        position, cells = int(self.args[0]), self.args[1:]
        me = printer._print(cells[position])
        tests = [
            f"({me} {self.strict if strict else self.loose} {printer._print(rival)})"
            for rival, strict in rivals(position, cells)
        ]
        return "(" + " & ".join(tests) + ")"

    _pythoncode = _numpycode


class MaxWinner(_Winner):
    """d max / d x_i: 1 for the first maximal cell."""


class MinWinner(_Winner):
    """d min / d x_i: 1 for the first minimal cell."""

    best = staticmethod(min)
    strict, loose = "<", "<="


def rivals(position: int, cells) -> list[tuple[sp.Expr, bool]]:
    """(cell, strict) for every cell but cells[position]: to win, cells[position] must
    beat each earlier cell strictly (strict=True) and each later one or tie it; every
    backend prints its winner test from this, so all send ties to the same cell."""
    return [(cell, j < position) for j, cell in enumerate(cells) if j != position]


def winner(position: int, cells, best) -> bool:
    """True when cells[position] is the first cell equal to best(cells)."""
    value = best(cells)
    return list(cells).index(value) == position


POOL_FUNCTIONS = {"max": (PoolMax, MaxWinner), "min": (PoolMin, MinWinner)}


def pool_derivatives(expr: sp.Expr, tie: str = "first") -> dict[sp.Symbol, sp.Expr]:
    """d pool / d cell for every cell of a PoolMax or PoolMin row; ties go to the
    first winning cell in raster order, or the last with tie="last"."""
    winner_function = MaxWinner if expr.func is PoolMax else MinWinner
    cells = expr.args if tie == "first" else expr.args[::-1]
    return {
        cell: winner_function(sp.Integer(i), *cells) for i, cell in enumerate(cells)
    }


def tied(expr: sp.Expr, values: dict) -> bool:
    """True when two or more cells of a max/min row share the winning value."""
    cells = [values.get(cell, cell) for cell in expr.args]
    best = max(cells) if expr.func is PoolMax else min(cells)
    return cells.count(best) > 1


def tie_convention(row) -> str:
    """The tie rule of a pool row, in words."""
    kind = "max" if row.expr.func is PoolMax else "min"
    which = "first" if row.tie == "first" else "last"
    extra = " (PyTorch's)" if which == "first" else ""
    return (
        f"{kind}-pooling tie: the gradient goes to the {which} winning cell in raster "
        f"order{extra}"
    )
