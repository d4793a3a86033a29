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


def l5_checker():
    from conftest import DERIVATIONS

    from symcnn.files.spec import read_spec

    spec = read_spec(DERIVATIONS / "l5_pooling.toml")
    return Checker(sc.build_trace(spec.network), spec.data)


@pytest.mark.parametrize(
    "formula",
    [
        r"m_{11} = \max(p_{22}, p_{11}, p_{21}, p_{12})",
        r"m_{11} = \max(\max(p_{11}, p_{12}), \max(p_{21}, p_{22}))",
        r"m_{11} = \max(p_{11}, p_{12}, p_{21}, p_{22}, p_{11})",
        r"m_{22} = \max(p_{34}, p_{33}, p_{44}, p_{43})",
    ],
)
def test_a_pooling_max_is_the_same_in_any_order(formula):
    # B7: a window's cells in another order, nested or repeated: the same maximum
    assert [v.status for v in l5_checker().check(formula)] == ["correct"]


def test_a_wrong_cell_of_a_max_is_named_whatever_the_order():
    (verdict,) = l5_checker().check(r"m_{11} = \max(p_{22}, p_{13}, p_{21}, p_{12})")
    assert verdict.differences == ("\\max(...) > term 2: p_{13} should be p_{11}",)


def test_a_value_on_the_specs_own_sample():
    # B8: slide L5 computes on its 4x4 sample, not a binary image
    checker = l5_checker()
    right = checker.check(r"m_{11} = \max(4, 3, 1, 3) = 4")
    assert [v.status for v in right] == ["correct", "correct"]
    assert right[0].reason == "on the image 4 3 1 5 / 1 3 4 8 / 4 5 4 3 / 6 5 9 4"
    wrong = checker.check(r"m_{12} = \max(1, 5, 4, 8) = 5")
    assert [v.status for v in wrong] == ["correct", "wrong"]
    (cell,) = checker.check(r"m_{11} = \max(4, 3, 2, 3)")  # no 2 in that window
    assert cell.status == "wrong"


def test_a_word_name_in_text_or_operatorname_is_the_layers_name():
    # C12: \text{hidden}_{1} read as "h" (the padding split the word from its index)
    network = sc.Network(
        sc.Input(height=1, width=2), sc.Dense(2, activation="relu", name="hidden"),
        sc.Dense(1),
    )  # fmt: skip
    checker = Checker(sc.build_trace(network))
    for word in (r"\text{hidden}", r"\operatorname{hidden}", r"\mathrm{hidden}"):
        formula = f"{word}_{{2}} = p_{{11}} w_{{11,2}} + p_{{12}} w_{{12,2}} + b_{{2}}"
        assert [v.status for v in checker.check(formula)] == ["correct"], word
