"""One chain, one image: the value links of `lhs = ... = ...` hold on the same binary
image (attack report A1: each link was matched to its own image)."""

import pytest
from conftest import L4_WEIGHTS, count11_network

import symcnn as sc
from symcnn.formulas.formulacheck import Checker


@pytest.fixture(scope="module")
def checker():
    net = count11_network()
    weights = sc.resolve(net, L4_WEIGHTS, missing="zero")
    return Checker(sc.build_trace(net), weights=weights)


def statuses(checker, formula):
    return [v.status for v in checker.check(formula)]


@pytest.mark.parametrize(
    "formula, wrong",
    [
        (r"F_{NN}(P) = 3 = 4", "4 should be 3 (on the image 011/111, "),
        (r"a_{11} = 2 = 1", "1 should be 2 (on the image 110/000, "),
        (
            r"F_{NN}(P) = f(0+1-1)+f(1+1-1)+f(0+0-1)+f(0+1-1) \\ &= 0+1+0+0 \\ &= 3",
            "3 should be 1 (on the image 001/011, ",
        ),
    ],
)
def test_a_value_link_must_hold_on_the_image_of_the_links_before(
    checker, formula, wrong
):
    verdicts = checker.check(formula)
    assert [v.status for v in verdicts[:-1]] == ["correct"] * (len(verdicts) - 1)
    assert verdicts[-1].status == "wrong"
    (difference,) = verdicts[-1].differences
    assert difference.startswith(wrong), difference


def test_the_slide_l4_chain_is_correct(checker):
    formula = r"F_{NN}(P) = f(0+1-1)+f(1+1-1)+f(0+0-1)+f(0+1-1) = 0+1+0+0 = 1"
    assert statuses(checker, formula) == ["correct"] * 3


def test_an_f_of_a_value_no_image_gives_is_wrong(checker):
    # f(2) + 3 f(-1) sums to 2 (as on 000/111), but no unit of count11 gets 2
    verdicts = checker.check(r"F_{NN}(P) = f(2) + f(-1) + f(-1) + f(-1)")
    assert [v.status for v in verdicts] == ["wrong"]
    # the same value with the arguments of an image is right
    assert statuses(checker, r"F_{NN}(P) = f(1) + f(1) + f(0) + f(0)") == [
        "correct"
    ]


def test_a_division_by_zero_is_refused(checker):
    # A5: SymPy's 0/x with x = p_{11} - p_{11} would make the extra term vanish
    (verdict,) = checker.check(
        r"a_{11} = p_{11} w_{1} + p_{12} w_{2} + \frac{0}{p_{11} - p_{11}}"
    )
    assert verdict.status == "not understood"
    assert "divides by p_{11} - p_{11}, which is 0" in verdict.reason
    (literal,) = checker.check(r"a_{11} = p_{11} w_{1} + p_{12} w_{2} + \frac{1}{0}")
    assert literal.status == "not understood" and "divides by 0" in literal.reason
    (fine,) = checker.check(r"a_{11} = \frac{2 p_{11} w_{1}}{2} + p_{12} w_{2}")
    assert fine.status == "correct"
