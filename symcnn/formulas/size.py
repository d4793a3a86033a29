"""How large a typed formula becomes when compared, bounded before SymPy computes it.

Comparing expands both sides down to pixels and weights (compare.py), so a short
text can ask for a huge amount of work: (p_{11} + ... + p_{23})^{16} expands to
20,349 terms (seconds), a product of such powers to hundreds of millions, and
((9^{16})^{16})^{16} is a number of 3,000 digits. The bounds follow the rules of
expanding, on the parsed formula and without expanding it:

    terms(a + b) = terms(a) + terms(b)      digits(a + b) = max(digits) + 1
    terms(a b)   = terms(a) terms(b)        digits(a b)   = digits(a) + digits(b)
    terms(a^n)   = terms(a)^|n|             digits(a^n)   = digits(a) |n|
    terms(f(x))  = 1 (x is bounded too)     digits(f(x))  = max(digits of x)

A named value (a_{11}) counts the terms of its own expanded formula.
"""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

from ..limits import MAX_FORMULA_DIGITS, MAX_FORMULA_TERMS
from .texparse import ParseError


def check_size(expr: sp.Expr, symbol_terms: Callable[[sp.Symbol], int]) -> None:
    """A ParseError when `expr` (as parsed, unevaluated) could expand to more than
    MAX_FORMULA_TERMS terms or compute a number of more than MAX_FORMULA_DIGITS
    digits; `symbol_terms(s)` is the number of terms `s` stands for."""
    Bounds(symbol_terms).size(expr)


class Bounds:
    def __init__(self, symbol_terms: Callable[[sp.Symbol], int]):
        self.symbol_terms = symbol_terms

    def size(self, expr: sp.Expr) -> tuple[int, int]:
        """(terms, digits) bounds of `expr` expanded; raises at the first part over a
        limit, so no bound grows past the limits times one step."""
        terms, digits = self.node(expr)
        if terms > MAX_FORMULA_TERMS:
            raise ParseError(
                f"the formula could expand to {terms:,} terms, over the limit of "
                f"{MAX_FORMULA_TERMS:,} (symcnn.limits.MAX_FORMULA_TERMS); write "
                "products of sums and their powers out as the network computes them"
            )
        if digits > MAX_FORMULA_DIGITS:
            raise ParseError(
                f"the formula computes numbers of up to {digits:,} digits, over the "
                f"limit of {MAX_FORMULA_DIGITS:,} (symcnn.limits.MAX_FORMULA_DIGITS); "
                "use smaller numbers or exponents"
            )
        return terms, digits

    def node(self, expr: sp.Expr) -> tuple[int, int]:
        if expr.is_Rational:
            return 1, number_digits(expr)
        if expr.is_Symbol:
            return self.symbol_terms(expr), 1
        parts = [self.size(arg) for arg in expr.args]
        if expr.is_Add:
            return sum(t for t, _ in parts), max(d for _, d in parts) + 1
        if expr.is_Mul:
            terms = 1
            for t, _ in parts:
                terms *= t
            return terms, sum(d for _, d in parts)
        if expr.is_Pow and expr.exp.is_Integer:
            (terms, digits), n = parts[0], abs(int(expr.exp))
            return terms**n, digits * max(n, 1)
        # f(...), max(...), a number SymPy keeps symbolic: one term outside
        return 1, max((d for _, d in parts), default=1)


def number_digits(number: sp.Rational) -> int:
    """Decimal digits of numerator and denominator (from their bit lengths: printing
    a long integer is what Python limits)."""
    bits = int(number.p).bit_length() + int(number.q).bit_length()
    return bits * 30103 // 100000 + 2
