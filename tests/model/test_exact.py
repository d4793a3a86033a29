"""User numbers to exact Rationals: bounded before they are built."""

import time
from fractions import Fraction

import pytest
import sympy as sp

import symcnn as sc
from symcnn.errors import SymcnnError
from symcnn.model.exact import digit_count, to_rational, written_digits


@pytest.mark.parametrize(
    ("value", "exact"),
    [
        (2, sp.Integer(2)),
        ("1/2", sp.Rational(1, 2)),
        ("-.5e-3", sp.Rational(-1, 2000)),
        ("1_000", sp.Integer(1000)),
        (0.1, sp.Rational(1, 10)),
        (1e308, sp.Integer(10) ** 308),
        (5e-324, sp.Rational(5, 10**324)),
        ("9" * 1000, sp.Integer(10**1000 - 1)),
        (Fraction(1, 3), sp.Rational(1, 3)),
    ],
    ids=lambda value: str(value)[:20],
)
def test_numbers_within_the_limit_are_exact(value, exact):
    assert to_rational(value, "w") == exact


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1e100000000", r"^w: '1e100000000' is over the limit of 1000 digits"),
        ("1e-1000", r"^w: '1e-1000' is over the limit of 1000 digits written out"),
        ("1" * 1001, r"^w: '1111111111111111111111111111111111111\.\.\.' is over"),
        ("1e" + "9" * 5000, r"^w: '1e99999999999999999999999999999999999\.\.\.' is"),
        (10**1000, r"^w: a number of 1001 digits is over the limit"),
        (10**5000, r"^w: a number of 5001 digits is over the limit"),
        (Fraction(1, 10**1000), r"^w: a number of 1001 digits is over the limit"),
        (sp.Integer(10) ** 2000, r"^w: a number of 2001 digits is over the limit"),
    ],
    ids=lambda value: (
        str(value)[:20] if isinstance(value, str) else type(value).__name__
    ),
)
def test_numbers_over_the_limit_are_refused_at_once(value, message):
    # Before: "1e100000000" took minutes; 10**5000 broke every message that printed it.
    started = time.perf_counter()
    with pytest.raises(SymcnnError, match=message):
        to_rational(value, "w")
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize("text", ["²", "٣", "١e١٠٠٠٠٠٠٠٠", "inf", "", "0x10"])
def test_text_that_is_not_an_ascii_number_is_not_a_number(text):
    # Fraction reads other scripts' digits: "١e١٠٠٠٠٠٠٠٠" would be 10**100000000.
    with pytest.raises(SymcnnError, match=rf"^w: {text!r} is not a number; write 1"):
        to_rational(text, "w")


def test_a_zero_denominator_is_named():
    for text in ("1/0", "-3/0"):
        with pytest.raises(SymcnnError) as caught:
            to_rational(text, "w")
        assert str(caught.value) == (
            f"w: {text!r} divides by zero; give a nonzero denominator"
        )


def test_digits_are_counted_without_printing():
    for number in (0, 7, 10, 99, 100, 10**999, 10**1000 - 1, 10**1000):
        assert digit_count(number) == len(str(number))
    assert digit_count(-(10**5000)) == 5001
    assert written_digits("1e300") == 301
    assert written_digits("1/3") == 2
    assert written_digits("x") is None


def test_the_api_refuses_a_huge_target_and_pixel():
    with pytest.raises(SymcnnError, match=r"sample 1 \(P1\): target: a number of"):
        sc.Dataset.from_rows([("011/001", 10**5000)])
    with pytest.raises(SymcnnError, match=r"pixel \(0, 0, 0\): '1e9999' is over"):
        sc.Dataset.from_rows([([["1e9999"]], 1)])
