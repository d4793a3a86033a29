"""Comparing long written sums with the derived ones: terms are paired by their
expanded forms, so the order a writer chose costs nothing."""

import time

import symcnn as sc
from symcnn.formulas.formulacheck import Checker

NETWORK = sc.Network(sc.Input(height=16, width=16), sc.Dense(1))  # 257 terms


def test_a_long_sum_written_backwards_with_one_slip_is_located_at_once():
    ((_, lhs, rhs),) = sc.derive(NETWORK).lines("latex")[-1:]
    terms = rhs.replace("p_{11}", "p_{12}", 1).split(" + ")
    written = f"{lhs} = " + " + ".join(reversed(terms))
    checker = Checker(sc.build_trace(NETWORK))
    start = time.perf_counter()
    (verdict,) = checker.check(written)
    assert time.perf_counter() - start < 2  # 9 s pairing each term with each
    assert verdict.differences == (
        "term 257: p_{12} w_{11,0} should be p_{11} w_{11,0}",
    )
    assert (
        checker.check(f"{lhs} = " + " + ".join(reversed(rhs.split(" + "))))[0].status
        == "correct"
    )
