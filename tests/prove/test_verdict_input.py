"""sc.Verdict checks its mode and number as check's --tol/--threshold do."""

import pytest
import sympy as sp

from symcnn.errors import SymcnnError
from symcnn.prove.verdicts import Verdict


@pytest.mark.parametrize(
    "args, words",
    [
        (("bogus", 1), "mode 'bogus' is not one of exact, tol, threshold, argmax"),
        (("tol", -1), "Verdict tol -1: a tolerance is >= 0"),
        (("threshold", "abc"), "Verdict threshold: 'abc' is not a number"),
        (("tol",), 'Verdict("tol") needs its number'),
        (("exact", 1), "Verdict('exact') takes no number (got 1)"),
    ],
)
def test_bad_verdicts_are_refused_by_name(args, words):
    with pytest.raises(SymcnnError) as caught:
        Verdict(*args)
    assert words in str(caught.value)


def test_numbers_are_read_exactly():
    assert Verdict("tol", "0.1").value == sp.Rational(1, 10)
    assert Verdict("threshold", 0.5).value == sp.Rational(1, 2)
    assert Verdict("tol", 0).value == 0


def test_a_long_number_is_described_as_a_decimal():
    assert Verdict("tol", "1e400").describe() == "|F - Y| <= about 1.000000e+400"
    assert Verdict("threshold", "1/3").describe() == "F >= 1/3 read as 1, else 0"
    assert Verdict("threshold", "-1e-30").describe() == (
        "F >= about -1.000000e-30 read as 1, else 0"
    )
