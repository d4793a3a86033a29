"""Exact numbers as decimals of N significant digits, rounded from the exact value.

A weight read as 1/10 prints as 0.1 with any N, never as the float64 nearest it
(0.10000000000000001 with 17): the digits come from integer arithmetic on the
Rational (decimal.Context.divide rounds the exact quotient once, half to even), not
from float(). The layout is printf's %g: fixed while the leading digit's exponent X
is -4 <= X < N, else scientific (1e+08); trailing zeros dropped.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal

import sympy as sp

from ..errors import SymcnnError
from .widths import FLOAT_DECIMALS as FLOAT_DECIMALS  # re-exported: latex

#: The most significant digits --decimals takes (a float64 needs at most 17).
MOST_DECIMALS = 17
#: Numbers this large or this small (but not 0) print as exact fractions, as they
#: are: no float holds them, so a decimal of them is no reader's number.
BEYOND_FLOAT = sp.Rational(10) ** 300


def check_decimals(decimals: object, where: str) -> int | None:
    if decimals is None:
        return None
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not (
        1 <= decimals <= MOST_DECIMALS
    ):
        raise SymcnnError(
            f"{where} {decimals!r}: write numbers with 1 to {MOST_DECIMALS} "
            "significant digits (a float64 needs at most 17), or leave it out for "
            "exact fractions"
        )
    return decimals


def significant(number: sp.Rational, decimals: int) -> tuple[str, str, int]:
    """(sign, digits, X): |number| rounded to `decimals` significant digits as
    0.digits... * 10^(X + 1), i.e. d.ddd * 10^X, trailing zeros dropped."""
    # ties away from zero, as taught (2.5 -> 3 with one digit); the value is exact
    context = Context(prec=decimals, rounding=ROUND_HALF_UP)
    quotient = context.divide(Decimal(abs(int(number.p))), Decimal(int(number.q)))
    _, digit_tuple, exponent = quotient.as_tuple()
    digits = "".join(map(str, digit_tuple)).rstrip("0") or "0"
    leading = exponent + len(digit_tuple) - 1
    return ("-" if number < 0 else ""), digits, leading


def fixed_text(sign: str, digits: str, leading: int) -> str:
    """d.ddd * 10^leading written without an exponent: 0.0005, 2.75, 120."""
    if leading < 0:
        return f"{sign}0.{'0' * (-leading - 1)}{digits}"
    whole, fraction = digits[: leading + 1], digits[leading + 1 :]
    whole += "0" * (leading + 1 - len(whole))
    return f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}"


def scientific_text(sign: str, digits: str, leading: int) -> str:
    """d.ddd * 10^leading as printf writes it: 1.5e+08, 2e-05."""
    mantissa = f"{digits[0]}.{digits[1:]}" if len(digits) > 1 else digits
    return f"{sign}{mantissa}e{'-' if leading < 0 else '+'}{abs(leading):02d}"


def is_beyond_float(number: sp.Rational) -> bool:
    return number != 0 and not (1 / BEYOND_FLOAT < abs(number) < BEYOND_FLOAT)


def needs_scientific(number: sp.Rational, decimals: int) -> bool:
    """Whether %g would write this non-whole number with an exponent."""
    leading = significant(number, decimals)[2]
    return not -4 <= leading < decimals


def decimal_text(number: sp.Rational, decimals: int, *, scientific=None) -> str:
    """A non-whole exact number as a decimal of at most `decimals` significant digits
    (13421773/134217728 -> 0.1 with 7; 1/3 -> 0.33333333333333333 with 17); whole
    numbers and numbers beyond float range as they are. `scientific` forces the
    layout (True: 2e+08, False: fixed); None decides as %g does."""
    number = sp.Rational(number)
    whole = number.is_Integer and scientific is not True
    if whole or number == 0 or is_beyond_float(number):
        return str(number)
    sign, digits, leading = significant(number, decimals)
    if scientific is None:
        scientific = not -4 <= leading < decimals
    if scientific:
        return scientific_text(sign, digits, leading)
    return fixed_text(sign, digits, leading)


def grid_texts(numbers, decimals: int) -> list[str]:
    """Every number of one grid (a layer's values) as decimal_text with one layout
    for all: scientific for every non-zero number (whole ones too, rounded) when any
    non-whole number needs an exponent, else fixed; never 1e+08 beside 246913579."""
    numbers = [sp.Rational(number) for number in numbers]
    scientific = any(
        not number.is_Integer
        and not is_beyond_float(number)
        and needs_scientific(number, decimals)
        for number in numbers
    )
    return [decimal_text(n, decimals, scientific=scientific) for n in numbers]
