"""User numbers to exact Rationals, without ever evaluating user text.

Every number is bounded before it is built: at most MAX_NUMBER_DIGITS digits once
written out in full, so "1e100000000" (a hundred million digits, minutes to build)
and integers over Python's 4300-digit printing limit are refused in a microsecond.

Numbers are read as fractions.Fraction without SymPy (`to_fraction`), so that a spec
is read and checked without importing it (`symcnn summary`: 0.16 s of import saved);
`to_rational` and the `Exact` fields give SymPy Rationals where those are asked for.
"""

from __future__ import annotations

import datetime
import math
import numbers
import re
import sys
from dataclasses import MISSING
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

from ..errors import SymcnnError
from ..limits import MAX_NUMBER_DIGITS

if TYPE_CHECKING:
    import sympy as sp

#: The least integer with more than MAX_NUMBER_DIGITS digits.
LARGEST = 10**MAX_NUMBER_DIGITS

#: A decimal as Fraction reads it: digits (with _), a point, an exponent; or a ratio.
DECIMAL = re.compile(
    r"\s*[+-]?(?P<digits>[0-9_]*(?:\.[0-9_]*)?)(?:[eE](?P<exponent>[+-]?[0-9_]+))?\s*"
)
RATIO = re.compile(r"\s*[+-]?(?P<digits>[0-9_]+\s*/\s*[0-9_]+)\s*")


def digit_count(integer: int) -> int:
    """Decimal digits of |integer|, without str() (refused over 4300 digits)."""
    size = abs(integer)
    if size == 0:
        return 1
    estimate = int(size.bit_length() * math.log10(2))  # too small by at most 1
    return estimate + (size >= 10**estimate)


def written_digits(text: str) -> int | None:
    """How many digits `text` has written out in full ("1e300": 301, "1/3": 2, "0.5":
    2); None when it is not written as Fraction reads numbers, in ASCII."""
    if not text.isascii():
        return None
    decimal = DECIMAL.fullmatch(text)
    if decimal is not None:
        digits = sum(char.isdigit() for char in decimal["digits"])
        exponent = decimal["exponent"] or "0"
        if len(exponent) > MAX_NUMBER_DIGITS:
            return len(exponent)  # int() of it would be refused (or slow)
        return digits + abs(int(exponent))
    ratio = RATIO.fullmatch(text)
    if ratio is not None:
        return sum(char.isdigit() for char in ratio["digits"])
    return None


def not_a_number(value: object, where: str) -> SymcnnError:
    if isinstance(value, numbers.Real) and math.isinf(value):  # TOML's 1e1000 is inf
        return SymcnnError(
            f"{where}: {value!r}: the number is too large, beyond float64 (over "
            "1.8e308, as TOML and Python read 1e1000); write a number up to 1e308, "
            "or an exact one in quotes ('1e300')"
        )
    shown = shown_value(value)
    if isinstance(value, (datetime.date, datetime.time)):  # TOML's dates and times
        return SymcnnError(
            f"{where}: {shown} is a date or time, not a number (TOML reads 1979-05-27 "
            "unquoted as a date); write 1, -1, 0.5 or '1/2'"
        )
    is_scalar = isinstance(value, np.generic)  # np.True_ has shape () too
    if getattr(value, "shape", None) == () and not is_scalar:  # torch.tensor(0.5)
        return SymcnnError(
            f"{where}: {shown} is a 0-d array, not a number; give the number itself "
            "(value.item() for a float64 one), or the exact value in quotes ('1/2')"
        )
    return SymcnnError(f"{where}: {shown} is not a number; write 1, -1, 0.5 or '1/2'")


def shown_value(value: object, width: int = 60) -> str:
    """A user's value as a message shows it: repr, cut to `width` characters; a TOML
    date or time as written (1979-05-27, not datetime.date(1979, 5, 27))."""
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    text = repr(value)
    return text if len(text) <= width else text[: width - 3] + "..."


def too_long(where: str, shown: str) -> SymcnnError:
    return SymcnnError(
        f"{where}: {shown} is over the limit of {MAX_NUMBER_DIGITS} digits written "
        "out (limits.MAX_NUMBER_DIGITS); write a number of at most "
        f"{MAX_NUMBER_DIGITS} digits (1e308 has 309)"
    )


def check_text(text: str, value: object, where: str) -> None:
    """A SymcnnError for `text` (a user's string, or a float's repr) that is not a
    number as Fraction writes them, or has more than MAX_NUMBER_DIGITS digits written
    out (digits plus exponent), before anything is built from it."""
    digits = written_digits(text)
    if digits is None:  # Fraction would read other scripts' digits, unbounded
        raise not_a_number(value, where)
    if digits > MAX_NUMBER_DIGITS:
        shown = repr(text) if len(text) <= 40 else repr(text[:37] + "...")
        raise too_long(where, shown)


def check_integers(parts: tuple[int, ...], where: str) -> None:
    """A SymcnnError for an integer of more than MAX_NUMBER_DIGITS digits."""
    for part in parts:
        if abs(part) >= LARGEST:
            raise too_long(where, f"a number of {digit_count(part)} digits")


def to_fraction(value: object, where: str) -> Fraction:
    """An exact Fraction for 2, -1, '1/2', '0.25' or 0.1 (a float is read as its
    shortest decimal, so 0.1 is 1/10, not the binary double nearest to it; a float32
    or float16 as the shortest decimal of its own precision, np.float32(0.1) is 1/10
    too); NumPy's integers and floats are numbers like Python's; at most
    MAX_NUMBER_DIGITS digits written out (1e308 is 309). SymPy-free: a SymPy Rational
    is taken as its fraction (there is none before SymPy is imported)."""
    if type(value) is Fraction:
        check_integers((value.numerator, value.denominator), where)
        return value
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, (numbers.Real, str)
    ):
        raise not_a_number(value, where)
    sympy = sys.modules.get("sympy")
    if sympy is not None and isinstance(value, sympy.Basic):
        if not isinstance(value, sympy.Rational):  # a Float: not exact
            raise not_a_number(value, where)
        check_integers((int(value.p), int(value.q)), where)
        return Fraction(int(value.p), int(value.q))
    if isinstance(value, (numbers.Integral, Fraction)):
        text = Fraction(int(value)) if isinstance(value, numbers.Integral) else value
        check_integers((text.numerator, text.denominator), where)
    elif isinstance(value, numbers.Real) and not isinstance(value, str):
        # str, not repr: NumPy 2's repr is "np.float64(0.1)", its str "0.1" (and a
        # float32's str is float32's shortest decimal, not the widened double's)
        text = str(value) if math.isfinite(value) else repr(value)
        check_text(text, value, where)
    else:
        text = value
        check_text(text, value, where)
    try:
        return Fraction(text)
    except ZeroDivisionError:
        raise SymcnnError(
            f"{where}: {value!r} divides by zero; give a nonzero denominator"
        ) from None
    except (ValueError, OverflowError):
        raise not_a_number(value, where) from None


def to_rational(value: object, where: str) -> sp.Rational:
    """to_fraction's number as a SymPy Rational (a Rational given is returned as it
    is)."""
    import sympy as sp

    if isinstance(value, sp.Rational):
        check_integers((int(value.p), int(value.q)), where)
        return value
    return as_sympy(to_fraction(value, where))


def as_sympy(value):
    """`value` with its Fractions as SymPy Rationals (an Integer when whole, as
    sp.Rational(p, q) gives): a Fraction, a tuple of values, an object array of
    numbers; anything else as it is. An array is converted when its first number is a
    Fraction, as all of to_fraction's arrays are (data.py): the arrays of SymPy
    numbers a program builds (every_image's 65,536 images) are not scanned."""
    kind = type(value)  # not isinstance: Fraction's ABC check is 5x slower
    if kind is Fraction:
        import sympy as sp

        return sp.Rational(value.numerator, value.denominator)
    if kind is tuple:
        kinds = set(map(type, value))
        if Fraction in kinds or tuple in kinds:
            return tuple(as_sympy(item) for item in value)
        return value
    is_objects = getattr(value, "dtype", None) is not None and value.dtype.kind == "O"
    if is_objects and value.size and type(value.flat[0]) is Fraction:
        converted = value.copy()
        for position, item in enumerate(value.flat):
            converted.flat[position] = as_sympy(item)
        return converted
    return value


class Exact:
    """A dataclass field of exact numbers held SymPy-free (as `to_fraction` reads
    them) and read as SymPy Rationals (`as_sympy`, once, then kept): a spec is read
    and checked without SymPy, while `sample.image` or `activation.slope` are the
    SymPy numbers every formula uses. `given(obj, name)` is the value as stored.

    A data descriptor, as dataclasses support them: the default (class access) is
    `default`; a frozen dataclass's __init__ stores through __set__."""

    def __init__(self, default=MISSING):
        self.default = default

    def __set_name__(self, owner, name: str) -> None:
        self.name = name
        self.given, self.sympy = f"_{name}_given", f"_{name}_sympy"  # obj.__dict__

    def __get__(self, obj, owner=None):
        if obj is None:
            if self.default is MISSING:  # dataclasses: a field without a default
                raise AttributeError(self.name)
            return self.default
        state = obj.__dict__
        value = state.get(self.sympy, MISSING)
        if value is MISSING:
            value = state[self.sympy] = as_sympy(state[self.given])
        return value

    def __set__(self, obj, value) -> None:
        obj.__dict__[self.given] = value
        obj.__dict__.pop(self.sympy, None)


def given(obj, name: str):
    """Field `name` of `obj` as stored (Fractions for numbers a spec gave), without
    SymPy; the field itself when it is no Exact field."""
    key = f"_{name}_given"
    return obj.__dict__[key] if key in obj.__dict__ else getattr(obj, name)
