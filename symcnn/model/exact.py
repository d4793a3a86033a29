"""User numbers to exact Rationals, without ever evaluating user text."""

from __future__ import annotations

from fractions import Fraction

import sympy as sp

from ..errors import SymcnnError


def to_rational(value: object, where: str) -> sp.Rational:
    """An exact Rational for 2, -1, '1/2', '0.25' or 0.1 (a float is read as its
    shortest decimal, so 0.1 is 1/10, not the binary double nearest to it)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Fraction)):
        if isinstance(value, sp.Rational):
            return value
        raise SymcnnError(
            f"{where}: {value!r} is not a number; write 1, -1, 0.5 or '1/2'"
        )
    try:
        fraction = Fraction(repr(value) if isinstance(value, float) else value)
    except (ValueError, ZeroDivisionError):
        raise SymcnnError(
            f"{where}: {value!r} is not a number; write 1, -1, 0.5 or '1/2'"
        ) from None
    return sp.Rational(fraction.numerator, fraction.denominator)
