"""Numbers of the network (a leaky slope, f'(0), an average's 1/(n m)) as code that
every backend reads as the same double: float(number), correctly rounded.

A whole number up to 2^53 is written as itself (exact in double everywhere); any
other number as the shortest decimal that reads back as float(number) (Python's
repr; C compilers and Python both round decimal literals correctly). Printing p/q
or a large integer as it is would not do: C truncates an integer literal beyond
64 bits (a slope of 1e20 gave a loss 1e2 times off) and divides two already
rounded doubles, and NumPy refuses integers beyond 64 bits. A number beyond float64
is refused, named, before anything runs.
"""

from __future__ import annotations

import math

import sympy as sp

from ..errors import SymcnnError
from ..model.pooling import rivals

#: Every whole number of this size or less is exact in float64.
EXACT_INTEGERS = 2**53


def short(number: sp.Rational) -> str:
    """A number as a user reads it: exact when short, else three digits."""
    text = str(number)
    return text if len(text) <= 24 else str(sp.Float(number, 3)).lower()


def float_literal(number: sp.Rational) -> str:
    """Code for `number` that Python, NumPy and C all read as float(number)."""
    if number.q == 1 and abs(number.p) <= EXACT_INTEGERS:
        return str(number.p)
    value = float(number)
    if not math.isfinite(value):
        raise SymcnnError(
            f"the network holds the constant {short(number)}, beyond float64 "
            "(about 1.8e308), so no compiled backend can compute with it; use a "
            "smaller slope or grad_at_zero, or check it exactly (symcnn check)"
        )
    return repr(value)


def check_layer_constants(network) -> None:
    """A SymcnnError naming the layer and field of an activation constant that
    float64 cannot hold (before anything is compiled)."""
    for number, layer in enumerate(network.layers, start=1):
        activation = getattr(layer, "activation", None)
        for field in ("slope", "grad_at_zero"):
            value = getattr(activation, field, None)
            if value is not None and not math.isfinite(float(value)):
                raise SymcnnError(
                    f"layer {number} ({type(layer).__name__}): `{field}` is "
                    f"{short(value)}, beyond float64 (about 1.8e308), so it cannot "
                    f"be trained or evaluated numerically; use a `{field}` below "
                    "1e308 in size"
                )


class SafeNames:
    """Printer mixin for generated code: every symbol as the identifier in `names`
    (``_a3``, ``_v17`` in Python, array slots in C), whatever the user's letters, so
    that a parameter called ``max``, ``numpy`` or ``tanh`` never shadows a function
    the code calls; every number as the double all backends use (float_literal)."""

    def __init__(self, names: dict[sp.Symbol, str], settings: dict):
        super().__init__(settings)
        self.names = names

    def _print_Symbol(self, symbol):
        return self.names[symbol]

    def _print_Integer(self, number):
        return float_literal(number)

    def _print_Rational(self, number):
        return float_literal(number)


class TraceOrder:
    """Printer mixin for C-like code: a sum's terms in the trace's order as they are
    (SymPy's printers sort them), and a product of symbols (most rows are sums of x w)
    as their names joined by *, no signs or powers to look for."""

    def _print_Add(self, expr, order=None):
        code = ""
        for term in expr.args:
            printed = self._print(term)
            if printed.startswith("-"):
                code += f" - {printed[1:]}" if code else printed
            else:
                code += f" + {printed}" if code else printed
        return code

    def _print_Mul(self, expr):
        if all(factor.is_Symbol for factor in expr.args):  # x w: no signs, no powers
            return "*".join(self.names[factor] for factor in expr.args)
        return super()._print_Mul(expr)


class PoolPrinting:
    """Printer mixin for C-like code (C, JavaScript): a max or min pool as nested
    max2/min2 calls in raster order (max2 keeps its first argument on a tie, as the
    trace does), and a pooling winner as 1 when its cell beats every rival: strictly
    those before it, loosely those after it (pooling.rivals), so the first tied cell
    wins. WINNER wraps the joined tests, TEST writes one."""

    WINNER = "(double)({})"  # C: no branches, 30% faster to compile
    TEST = "{} {} {}"

    def _fold(self, name, expr):
        code = self._print(expr.args[0])
        for cell in expr.args[1:]:
            code = f"{name}({code}, {self._print(cell)})"
        return code

    def _print_PoolMax(self, expr):
        return self._fold("max2", expr)

    def _print_PoolMin(self, expr):
        return self._fold("min2", expr)

    def _winner(self, expr, strict, loose):
        position, cells = int(expr.args[0]), expr.args[1:]
        me = self._print(cells[position])
        tests = [
            self.TEST.format(me, strict if is_strict else loose, self._print(rival))
            for rival, is_strict in rivals(position, cells)
        ]
        return self.WINNER.format(" & ".join(tests))

    def _print_MaxWinner(self, expr):
        return self._winner(expr, ">", ">=")

    def _print_MinWinner(self, expr):
        return self._winner(expr, "<", "<=")
