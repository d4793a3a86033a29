"""The formula checker (issue 8, in progress): typed formulas against derived ones."""

import symcnn as sc
from conftest import count11_network, l1_network
from symcnn.formulacheck import Checker

# Slide L1 as the printed lecture has it (cnn-lecture.ru.txt, line 59): the second
# term's first filter row reads p_{23}w_{21} where p_{22} W_{21} is right.
L1_PRINTED = (
    r"F_{NN}(P) = f(f(p_{11}w_{11} + p_{12}w_{12} + p_{21}w_{21} + p_{22}w_{22})v_{11}"
    r" + f(p_{12}w_{11} + p_{13}w_{12} + p_{23}w_{21} + p_{23}w_{22})v_{12}"
    r" + f(p_{21}w_{11} + p_{22}w_{12} + p_{31}w_{21} + p_{32}w_{22})v_{21}"
    r" + f(p_{22}w_{11} + p_{23}w_{12} + p_{32}w_{21} + p_{33}w_{22})v_{22})"
)


def l1_checker():
    return Checker(sc.build_trace(l1_network()), same_letter_case=True)


def test_finds_the_l1_slip_and_nothing_else():
    (verdict,) = l1_checker().check(L1_PRINTED)
    assert verdict.status == "wrong"
    assert verdict.differences == (
        "f(...) > term 2 > f(...) > term 3: p_{23} W_{21} should be p_{22} W_{21}",
    )


def test_the_corrected_l1_formula_and_the_chain_are_correct():
    corrected = L1_PRINTED.replace("p_{23}w_{21}", "p_{22}w_{21}")
    assert [v.status for v in l1_checker().check(corrected)] == ["correct"]
    chain = r"F_{NN}(P)=f(a)=f(f(a_{11})v_{11}+f(a_{12})v_{12}+f(a_{21})v_{21}+f(a_{22})v_{22})"
    assert [v.status for v in l1_checker().check(chain)] == ["correct", "correct"]


def test_each_a_ij_of_l1():
    checker = l1_checker()
    for formula in (
        r"a_{11} = p_{11} W_{11} + p_{12} W_{12} + p_{21} W_{21} + p_{22} W_{22}",
        r"a_{22} = p_{22} W_{11} + p_{23} W_{12} + p_{32} W_{21} + p_{33} W_{22}",
    ):
        assert [v.status for v in checker.check(formula)] == ["correct"]


def test_slips_are_located():
    checker = l1_checker()
    missing = checker.check(r"a_{12} = p_{12} W_{11} + p_{13} W_{12} + p_{22} W_{21}")
    assert missing[0].differences == ("missing term: p_{23} W_{22}",)
    sign = checker.check(
        r"a_{12} = p_{12} W_{11} - p_{13} W_{12} + p_{22} W_{21} + p_{23} W_{22}"
    )
    assert sign[0].differences == ("term 2: - p_{13} W_{12} should be p_{13} W_{12}",)


def test_unknown_names_are_not_understood_with_why():
    (verdict,) = l1_checker().check(r"a_{12} = q_{12} W_{11}")
    assert verdict.status == "not understood"
    assert verdict.reason == "q_{12} is not a name of this network"


def test_l3_and_l4_forms_of_count11():
    net = count11_network()
    trace = sc.build_trace(net)
    checker = Checker(trace)
    assert [v.status for v in checker.check(r"a_{11}=p_{11}w_1+p_{12}w_2")] == [
        "correct"
    ]
    from conftest import L4_WEIGHTS

    weights = sc.resolve(net, L4_WEIGHTS, missing="zero")
    with_weights = Checker(trace, weights=weights)
    slide = (
        r"F_{NN}(P)=f(a_{11}-1)+f(a_{12}-1)+f(a_{21}-1)+f(a_{22}-1)="
        r"f(p_{11}+p_{12}-1)+f(p_{12}+p_{13}-1)+f(p_{21}+p_{22}-1)+f(p_{22}+p_{23}-1)"
    )
    assert [v.status for v in with_weights.check(slide)] == ["correct", "correct"]
    assert [v.status for v in with_weights.check(r"a_{11}=p_{11}+p_{12}")] == [
        "correct"
    ]


def test_the_l2_loss():
    data = sc.Dataset.from_rows([("011/001", 1), ("110/011", 2), ("101/010", 0)])
    checker = Checker(sc.build_trace(count11_network()), data=data)
    written = r"L(w)=(F_{NN}(P1)-1)^2+(F_{NN}(P2)-2)^2+(F_{NN}(P3)-0)^2"
    assert [v.status for v in checker.check(written)] == ["correct"]
    (wrong,) = checker.check(written.replace("-2)^2", "-3)^2"))
    assert wrong.differences == (
        "term 2: (F_{NN}(P_{2}) - 3)^{2} should be (F_{NN}(P_{2}) - 2)^{2}",
    )
