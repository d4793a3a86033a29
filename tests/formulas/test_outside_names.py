"""A name with the network's letter but an index the network does not have is a
wrong formula, said why and marked; a letter the network does not use stays not
understood."""

from conftest import count11_network, l1_network

import symcnn as sc
from symcnn.formulas.formulacheck import Checker
from symcnn.formulas.texfile import annotate, check_tex

COUNT11 = Checker(sc.build_trace(count11_network()))


def only_verdict(formula: str, checker: Checker = COUNT11):
    (verdict,) = checker.check(formula)
    return verdict


def test_a_pixel_outside_the_image_is_wrong():
    verdict = only_verdict("a_{11} = p_{11} w_1 + p_{32} w_2")
    assert (verdict.lhs, verdict.status) == ("a_{11}", "wrong")
    assert verdict.differences == (
        "p_{32} is outside the 2x3 image (p_{11} to p_{23})",
    )
    assert verdict.marks == ((22, 28),)  # p_{32}, to underline


def test_a_weight_the_network_lacks_is_wrong_with_the_layers_weights():
    verdict = only_verdict("a_{11} = p_{11} w_1 + p_{12} w_3")
    assert verdict.status == "wrong"
    assert verdict.differences == (
        "w_{3} is not in this network: layer 1 (Conv2D) has the weights w_{1}, w_{2}; "
        "layer 2 (Dense) has the weights w_{11,1}, w_{12,1}, ..., w_{22,4} (16); "
        "layer 3 (Dense) has the weights w_{1,0}, w_{2,0}, w_{3,0}, w_{4,0}",
    )


def test_a_bias_and_a_named_value_outside_the_network_are_wrong():
    bias = only_verdict("F_{NN}(P) = b_0 + b_5")
    assert bias.differences == (
        "b_{5} is not in this network: layer 2 (Dense) has the biases b_{1}, b_{2}, "
        "b_{3}, b_{4}; layer 3 (Dense) has the biases b_{0}",
    )
    value = only_verdict("a_{33} = p_{11} w_1")
    assert (value.lhs, value.status) == ("a_{33}", "wrong")
    assert value.differences == (
        "a_{33} is not in this network: layer 1 (Conv2D) has the values a_{11}, "
        "a_{12}, a_{21}, a_{22}",
    )


def test_letters_the_network_does_not_use_stay_not_understood():
    verdict = only_verdict("a_{11} = q_{11} w_1")
    assert verdict.status == "not understood"
    assert verdict.reason == "q_{11} is not a name of this network"


def test_a_pixel_or_weight_on_the_left_is_not_a_formula_of_the_network():
    for formula in ("w_{3} = 1", "p_{32} = 1"):
        verdict = only_verdict(formula)
        assert verdict.status == "not understood"
        assert verdict.reason == "its left side is not a value the network names"


def test_same_letter_case_and_channels():
    l1 = Checker(sc.build_trace(l1_network()), same_letter_case=True)
    verdict = only_verdict("a_{11} = p_{11} W_{11} + p_{41} W_{12}", l1)
    assert verdict.differences == (
        "p_{41} is outside the 3x3 image (p_{11} to p_{33})",
    )
    rgb = sc.Network(sc.Input(channels=3, height=2, width=2), sc.Conv2D(1, 1, name="a"))
    verdict = only_verdict("a_{11} = p_{4,11} w_1", Checker(sc.build_trace(rgb)))
    assert verdict.differences == (
        "p_{4,11} is outside the 2x2 image of 3 channels (p_{1,11} to p_{3,22})",
    )


def test_in_a_tex_file_the_name_is_underlined():
    tex = "Slide L3: $a_{11} = p_{11} w_1 + p_{32} w_2$ and $w_5 = 1$.\n"
    results = check_tex(COUNT11, tex)
    assert [
        (block.line, [v.status for v in verdicts]) for block, verdicts in results
    ] == [(1, ["wrong"])]
    assert annotate(tex, results) == (
        "Slide L3: $a_{11} = p_{11} w_1 + \\underline{p_{32}} w_2$ and $w_5 = 1$.\n"
        "% symcnn: a_{11} is wrong: p_{32} is outside the 2x3 image "
        "(p_{11} to p_{23})\n"
    )
