"""Typed formulas nobody here wrote: deep nesting, huge powers and numbers, long
text. Each gets a verdict (never a RecursionError or minutes of SymPy), and the limit
it meets is named."""

import time

import pytest
from conftest import count11_network
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import symcnn as sc
from symcnn.formulas.formulacheck import Checker
from symcnn.formulas.texparse import ParseError, tokenize
from symcnn.limits import (
    MAX_FORMULA_CHARS,
    MAX_FORMULA_DEPTH,
    MAX_FORMULA_EXPONENT,
)

CHECKER = Checker(sc.build_trace(count11_network()))


def only_verdict(formula: str):
    (verdict,) = CHECKER.check(formula)
    return verdict


@pytest.mark.parametrize("opening, closing", [("(", ")"), ("{", "}"), ("f(", ")")])
def test_200_nested_brackets_are_not_understood_with_the_limit(opening, closing):
    formula = "a_{11} = " + opening * 200 + "p_{11} w_1" + closing * 200
    verdict = only_verdict(formula)
    assert verdict.status == "not understood"
    where = 9 + len(opening) * (MAX_FORMULA_DEPTH + 1)  # the 41st opening bracket
    assert verdict.reason == (
        f"brackets nest over {MAX_FORMULA_DEPTH} deep at character {where} "
        "(symcnn.limits.MAX_FORMULA_DEPTH); write the inner part as a named value"
    )


def test_the_deepest_formula_allowed_is_parsed_compared_and_printed():
    depth = MAX_FORMULA_DEPTH
    right = (
        r"\left(" * (depth - 1) + "p_{11} w_1 + p_{12} w_2" + r"\right)" * (depth - 1)
    )
    assert only_verdict(f"a_{{11}} = {{{right}}}").status == "correct"
    wrong = "a_{11} = " + "f(" * depth + "p_{11} w_1" + ")" * depth
    verdict = only_verdict(wrong)
    assert verdict.status == "wrong"
    assert verdict.differences[0].startswith("f(f(f(")
    assert verdict.differences[0].endswith(") should be p_{11} w_{1} + p_{12} w_{2}")


def test_nesting_is_counted_without_recursion():
    with pytest.raises(ParseError, match="brackets nest over 40 deep at character 41"):
        tokenize("(" * MAX_FORMULA_CHARS)  # more than Python's recursion limit


def test_a_formula_over_the_size_limit_is_not_understood():
    formula = "a_{11} = " + " + ".join(["p_{11} w_1"] * 2000)
    verdict = only_verdict(formula)
    assert verdict.status == "not understood"
    assert verdict.reason == (
        f"the formula is {len(formula):,} characters long, over the limit of "
        f"{MAX_FORMULA_CHARS:,} (symcnn.limits.MAX_FORMULA_CHARS); check it in parts, "
        "one equation at a time"
    )


@pytest.mark.parametrize(
    "formula, reason",
    [
        (
            "a_{11} = 9^{9^{9^{9}}}",
            "exponent not a whole number written out: ^{9^{9}}",
        ),
        ("a_{11} = 10^{10^{6}}", "exponent not a whole number written out: ^{10^{6}}"),
        ("a_{11} = 9^{17}", "exponent too large: ^{17}"),
        ("a_{11} = 2^{-17}", "exponent too large: ^{-17}"),
        ("a_{11} = p_{11}^{w_1}", "exponent not a whole number written out: ^{w_1}"),
        (
            r"a_{11} = 2^{\frac{1}{2}}",
            r"exponent not a whole number written out: ^{\frac{1}{2}}",
        ),
    ],
)
def test_powers_that_would_compute_huge_numbers_finish_at_once(formula, reason):
    start = time.perf_counter()
    verdict = only_verdict(formula)
    assert time.perf_counter() - start < 2
    assert verdict.status == "not understood"
    limit = MAX_FORMULA_EXPONENT
    assert verdict.reason == (
        f"{reason}; an exponent must be a whole number written out, from -{limit} to "
        f"{limit} (symcnn.limits.MAX_FORMULA_EXPONENT)"
    )


def test_small_powers_are_compared():
    assert only_verdict("a_{11} = (p_{11} w_1 + p_{12} w_2)^{1}").status == "correct"
    verdict = only_verdict("a_{11} = 2^{16} p_{11} w_1 + p_{12} w_2")
    assert verdict.differences == (
        "term 1: 2^{16} p_{11} w_{1} should be p_{11} w_{1}",
    )


SIX_PIXELS = "(p_{11} + p_{12} + p_{13} + p_{21} + p_{22} + p_{23})"


@pytest.mark.parametrize(
    "formula, message",
    [
        (  # 20,349 terms to expand: 9 s before the bound
            f"a_{{11}} = {SIX_PIXELS}^{{16}}",
            "the formula could expand to 2,821,109,907,456 terms, over the limit of "
            "10,000 (symcnn.limits.MAX_FORMULA_TERMS)",
        ),
        (  # a named value stands for its terms: a_{12} = p_{12} w_1 + p_{13} w_2
            "a_{11} = a_{12}^{14}",
            "the formula could expand to 16,384 terms",
        ),
        (
            "a_{11} = " + SIX_PIXELS * 6,
            "the formula could expand to 46,656 terms",
        ),
        (
            "a_{11} = ((9^{16})^{16})^{16}",
            "the formula computes numbers of up to 12,288 digits, over the limit of "
            "4,000 (symcnn.limits.MAX_FORMULA_DIGITS)",
        ),
        (
            "a_{11} = " + " ".join(["9" * 900] * 5),
            "the formula computes numbers of up to 4,510 digits",
        ),
        (
            "a_{11} = " + "9" * 1001,
            "the number at character 10 has 1,001 digits, over the limit of 1,000 "
            "(symcnn.limits.MAX_NUMBER_DIGITS); round it",
        ),
    ],
    ids=["power", "named-power", "product", "nested-powers", "digits", "literal"],
)
def test_formulas_that_would_expand_hugely_are_refused_before(formula, message):
    start = time.perf_counter()
    verdict = only_verdict(formula)
    assert time.perf_counter() - start < 2
    assert verdict.status == "not understood"
    assert verdict.reason.startswith(message)


def test_a_named_value_in_a_power_within_the_limits_is_compared():
    verdict = only_verdict("a_{11} = a_{12}^{2}")
    assert verdict.status == "wrong"
    assert verdict.differences == ("a_{12}^{2} should be p_{11} w_{1} + p_{12} w_{2}",)


PIECES = ["(", ")", "{", "}", "f(", r"\left(", r"\right)", "^{", "^", "2", "9",
          "16", "p_{11}", "w_1", "a_{12}", "+", "-", r"\cdot", r"\frac{", "=",
          ","]  # fmt: skip


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(PIECES), max_size=400).map("".join))
def test_random_bracket_soup_gets_a_verdict_quickly(text):
    start = time.perf_counter()
    verdicts = CHECKER.check("a_{11} = " + text)
    assert time.perf_counter() - start < 2
    assert {v.status for v in verdicts} <= {"correct", "wrong", "not understood"}
