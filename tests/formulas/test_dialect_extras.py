"""Notation a lecturer writes that is not a formula's content (\\label, \\tag,
\\nonumber, \\underline from --annotate), \\mathrm{ReLU}, and characters that only
look right (attack report C12, C13, C17, A3's annotated file read again)."""

import pytest
from conftest import L4_WEIGHTS, count11_network

import symcnn as sc
from symcnn.formulas.formulacheck import Checker

CHECKER = Checker(sc.build_trace(count11_network()))


@pytest.mark.parametrize(
    "formula",
    [
        r"a_{11} = p_{11} w_{1} + p_{12} w_{2} \label{eq:a11}",
        r"a_{11} = p_{11} w_{1} + p_{12} w_{2} \tag{3} \nonumber",
        r"a_{11} = \underline{p_{11} w_{1}} + p_{12} w_{2} \notag",
    ],
)
def test_read(formula):
    assert [v.status for v in CHECKER.check(formula)] == ["correct"]


def test_mathrm_relu_is_the_function():
    net = count11_network()
    weights = sc.resolve(net, L4_WEIGHTS, missing="zero")
    checker = Checker(sc.build_trace(net), weights=weights)
    slide = (
        r"F_{NN}(P) = \mathrm{ReLU}(a_{11} - 1) + \mathrm{relu}(a_{12} - 1) "
        r"+ f(a_{21} - 1) + \operatorname{ReLU}(a_{22} - 1)"
    )
    assert [v.status for v in checker.check(slide)] == ["correct"]
    (wrong,) = checker.check(slide.replace("a_{12} - 1", "a_{12} - 2"))
    assert wrong.status == "wrong"


def test_a_wrong_underlined_term_is_still_wrong():
    (verdict,) = CHECKER.check(r"a_{11} = \underline{p_{11} w_{2}} + p_{12} w_{2}")
    assert verdict.status == "wrong"


@pytest.mark.parametrize(
    "formula, named",
    [
        ("a_{11} = p_{1\u200b1} w_{1} + p_{12} w_{2}", "U+200B (ZERO WIDTH SPACE), an"),
        ("a_{11} = p_{11} w_{\uff11} + p_{12} w_{2}", "U+FF11 (FULLWIDTH DIGIT ONE), a "
         "lookalike of '1'"),
    ],
)  # fmt: skip
def test_an_invisible_or_lookalike_character_is_named(formula, named):
    (verdict,) = CHECKER.check(formula)
    assert verdict.status == "not understood"
    assert named in verdict.reason and verdict.reason.startswith("character ")
