"""The forms the held-out user test found verify misjudging, each as derive prints
it; altered copies judged wrong on the line altered; and the exact message for each
form verify cannot read."""

from pathlib import Path

import pytest
import sympy as sp
from conftest import DERIVATIONS, L4_WEIGHTS, count11_network
from slips import mutations

import symcnn as sc
from symcnn.cli.main import main
from symcnn.files.spec import read_spec
from symcnn.formulas.formulacheck import Checker
from symcnn.formulas.texfile import check_tex
from symcnn.model.data import Dataset
from symcnn.typeset.derivation import Derivation
from symcnn.typeset.document import standalone

COUNT11_DATA = Dataset.from_rows([("011/001", 1), ("110/011", 2), ("101/010", 0)])


def count11(weights: bool = True) -> Checker:
    network = count11_network()
    resolved = sc.resolve(network, L4_WEIGHTS, missing="zero") if weights else None
    return Checker(sc.build_trace(network), COUNT11_DATA, resolved)


def statuses(checker: Checker, *formulas: str) -> list[str]:
    return [v.status for text in formulas for v in checker.check(text)]


def test_the_loss_with_the_weights_put_in_and_its_value():
    checker = count11()
    printed = r"L(w) = (1 - 1)^{2} + (2 - 2)^{2} + (0 - 0)^{2} = 0"
    assert statuses(checker, printed, "L(w) = 0") == ["correct"] * 3
    (wrong,) = checker.check("L(w) = 1")
    assert wrong.differences == ("1 should be 0",)


def test_an_output_on_a_sample_is_a_left_side():
    checker = count11()
    assert statuses(checker, r"F_{NN}(P_{1}) = 1", r"F_{NN}(P_{2}) = 2") == [
        "correct",
        "correct",
    ]
    (wrong,) = checker.check(r"F_{NN}(P_{2}) = 3")
    assert (wrong.lhs, wrong.differences) == ("F_{NN}(P_{2})", ("3 should be 2",))
    (symbolic,) = count11(weights=False).check(r"F_{NN}(P_{3}) = b_{0}")
    assert symbolic.status == "wrong"


def test_a_document_is_read_line_by_line():
    checker = count11()
    derivation = Derivation(checker.trace, COUNT11_DATA, checker.weights)
    tex = standalone(f"\\[\n{derivation.to_latex()}\n\\]", title="count11.toml")
    found = [v for _, verdicts in check_tex(checker, tex) for v in verdicts]
    lines = tex.splitlines()
    assert [(v.line, v.lhs, v.status) for v in found] == [
        (lines.index(row) + 1, row.split(" &=")[0], "correct")
        for row in lines
        if " &= " in row and "where" not in row
        for _ in range(row.count("="))
    ]
    assert len(found) == 14


def test_an_altered_copy_is_wrong_on_the_line_altered():
    checker = count11()
    printed = Derivation(checker.trace, COUNT11_DATA, checker.weights).to_latex()
    slips = {
        "&= p_{12} w_{1} + p_{13} w_{2}": "&= p_{12} w_{1} - p_{13} w_{2}",
        "&= p_{21} w_{1} + p_{22} w_{2}": "&= p_{21} w_{1} + p_{23} w_{2}",
        "(2 - 2)^{2} + (0 - 0)^{2} = 0": "(2 - 1)^{2} + (0 - 0)^{2} = 0",
    }
    for right, slip in slips.items():
        assert printed.count(right) == 1
        tex = printed.replace(right, slip)
        found = [v for _, verdicts in check_tex(checker, tex) for v in verdicts]
        line = 1 + tex[: tex.index(slip)].count("\n")
        assert [v.line for v in found if v.status == "wrong"] == [line], slip
        assert all(v.status == "correct" for v in found if v.line != line)


MUTATED = ["count11", "l1_explicit", "l6_multichannel", "l9_embeddings_bias"]


@pytest.mark.parametrize("name", MUTATED)
def test_every_one_slip_in_a_shipped_derivation_is_found_on_its_line(name):
    spec = read_spec(DERIVATIONS / f"{name}.toml")
    trace = sc.build_trace(spec.network, loss=spec.loss)
    checker = Checker(trace, spec.data)
    printed = Derivation(trace, spec.data).to_latex(expanded=True)
    count = 0
    for line, tex in mutations(printed):
        found = [v for _, verdicts in check_tex(checker, tex) for v in verdicts]
        assert [v.line for v in found if v.status != "correct"] == [line], tex
        count += 1
    assert count >= 4


# -- the forms of other networks and losses ---------------------------------------


def small(loss: str, outputs: int = 1, activation="leaky_relu") -> sc.Network:
    return sc.Network(
        sc.Input(channels=1, height=2, width=2),
        sc.Conv2D(1, (1, 2), activation=activation, name="a"),
        sc.Dense(outputs),
    )


def test_lrelu_as_derive_prints_it():
    trace = sc.build_trace(small("squared_error"))
    checker = Checker(trace)
    formula = (
        r"F_{NN}(P) = \operatorname{LReLU}(a_{11}) w_{11,0} + "
        r"\operatorname{LReLU}(a_{21}) w_{21,0} + b_{0}"
    )
    assert statuses(checker, formula) == ["correct"]
    assert statuses(checker, formula.replace("a_{21}", "a_{11}")) == ["wrong"]


def test_a_loss_of_several_outputs():
    trace = sc.build_trace(small("squared_error", outputs=2))
    data = Dataset.from_rows([("01/11", [1, 0]), ("10/01", [0, 2])])
    checker = Checker(trace, data)
    loss = (
        r"L(w) = (F_{NN}(P_{1})_{1} - 1)^{2} + (F_{NN}(P_{1})_{2} - 0)^{2}"
        r" + (F_{NN}(P_{2})_{1} - 0)^{2} + (F_{NN}(P_{2})_{2} - 2)^{2}"
    )
    assert statuses(checker, loss) == ["correct"]
    (wrong,) = checker.check(loss.replace("- 2)", "- 1)"))
    assert wrong.differences == (
        "term 4: (F_{NN}(P_{2})_{2} - 1)^{2} should be (F_{NN}(P_{2})_{2} - 2)^{2}",
    )


def weights_of(trace, values: dict):
    return sc.resolve(trace.network, values, missing="zero")


@pytest.mark.parametrize(
    "loss, outputs, targets, printed, value",
    [
        (
            "cross_entropy",
            2,
            [1, 0],
            r"L(w) = -\log \operatorname{softmax}\left(F_{NN}(P_{1})\right)_{2}"
            r" - \log \operatorname{softmax}\left(F_{NN}(P_{2})\right)_{1}",
            r"L(w) = \log\left(e^{0} + e^{0}\right) + \log\left(e^{0} + e^{0}\right)"
            r" \approx 1.38629",
        ),
        (
            "binary_cross_entropy",
            1,
            [1, 0],
            r"L(w) = -\log \sigma\left(F_{NN}(P_{1})\right)"
            r" - \log\left(1 - \sigma\left(F_{NN}(P_{2})\right)\right)",
            r"L(w) = \log\left(1 + e^{0}\right) + \log\left(1 + e^{0}\right)"
            r" \approx 1.38629",
        ),
        (
            "mean_squared_error",
            1,
            [1, 0],
            r"L(w) = \frac{1}{2} \left((F_{NN}(P_{1}) - 1)^{2} + "
            r"(F_{NN}(P_{2}) - 0)^{2}\right)",
            r"L(w) = \frac{1}{2} \left((0 - 1)^{2} + (0 - 0)^{2}\right) = \frac{1}{2}",
        ),
    ],
)
def test_every_loss_as_derive_prints_it(loss, outputs, targets, printed, value):
    trace = sc.build_trace(small(loss, outputs), loss=loss)
    data = Dataset.from_rows(list(zip(["01/11", "10/01"], targets)))
    weights = weights_of(trace, {"w_{1}": 1, "w_{2}": -1})
    checker = Checker(trace, data, weights)
    assert statuses(checker, printed, value) == ["correct"] * 3
    derived = Derivation(trace, data, weights).to_latex(expanded=True)
    found = [v for _, verdicts in check_tex(checker, derived) for v in verdicts]
    assert [v.status for v in found] == ["correct"] * len(found) and found
    rounded = value.rsplit("=", 1)[0] + "= 2" if "approx" not in value else (
        value.replace("1.38629", "1.38")
    )
    assert "wrong" in statuses(checker, rounded)


def test_verify_compares_the_loss_the_spec_names(tmp_path: Path, capsys):
    spec = tmp_path / "bce.toml"
    spec.write_text(
        '[input]\nchannels = 1\nheight = 2\nwidth = 2\n[[layers]]\ntype = "dense"\n'
        'units = 1\n[data]\nsamples = [{ image = "01/11", y = 1 }]\n'
        '[train]\nloss = "binary_cross_entropy"\n'
    )
    formula = r"L(w) = -\log \sigma\left(F_{NN}(P_{1})\right)"
    assert main(["verify", str(spec), "--formula", formula]) == 0
    shown = capsys.readouterr().out
    assert shown == "L(w): correct\n1 correct, 0 wrong, 0 not understood\n"


# -- what verify cannot read: the exact messages ------------------------------------

UNREADABLE = {
    r"a_{11} = p11 w_{1} + p_{12} w_{2}": (
        "p11 at character 10 reads as p times 11, as TeX sets it; write p_{11}"
    ),
    r"a_{11} = p_11 w_{1} + p_{12} w_{2}": (
        "p_11 at character 10 reads as p_1 times 1, as TeX sets it; write p_{11}"
    ),
    r"F_{NN}(P_{4}) = 1": (
        "F_{NN}(P_{4}) at character 1: the spec has 3 samples, P_{1} to P_{3}"
    ),
    r"F_{NN}(P) = b_{0} + \dots + b_{1}": (
        r"\dots at character 21: a sum written with its middle left out (derive "
        "--elide) cannot be compared; write every term (derive --no-elide)"
    ),
    r"L(w) \approx 1.386": (
        r"\approx 1.386: a value rounded is compared with the value of L(w) with "
        "the weights put in (--weights); write = for a formula"
    ),
}


@pytest.mark.parametrize("formula", UNREADABLE, ids=range(len(UNREADABLE)))
def test_what_verify_cannot_read_says_what_and_how_to_write_it(formula):
    (verdict,) = count11(weights=False).check(formula)
    assert (verdict.status, verdict.reason) == ("not understood", UNREADABLE[formula])


def test_softmax_needs_its_output_number():
    trace = sc.build_trace(small("cross_entropy", 2), loss="cross_entropy")
    checker = Checker(trace, Dataset.from_rows([("01/11", 1)]))
    (verdict,) = checker.check(r"L(w) = -\log \operatorname{softmax}(F_{NN}(P_{1}))")
    assert verdict.reason == (
        "softmax at character 14 has no output number; write "
        r"\operatorname{softmax}(F_{NN}(P_{1}))_{2}"
    )



def test_a_layer_named_with_a_word_as_printed_and_as_typed():
    network = sc.Network(
        sc.Input(channels=1, height=2, width=2),
        sc.Conv2D(1, (1, 2), name="hidden"),
        sc.Dense(1),
    )
    checker = Checker(sc.build_trace(network))
    printed = (
        r"F_{NN}(P) = \mathrm{hidden}_{11} w_{11,0} + \mathrm{hidden}_{21} w_{21,0}"
    )
    typed = r"hidden_{11} = p_{11} w_1 + p_{12} w_2"
    assert statuses(checker, printed + " + b_{0}", typed) == ["correct", "correct"]
    (wrong,) = checker.check(printed.replace("hidden}_{21}", "hidden}_{11}"))
    assert wrong.status == "wrong"


def test_numbers_derive_rounds_with_decimals_are_read_to_their_digits():
    checker = count11(weights=False)
    thirds = [sp.Rational(k + 1, 3) for k in range(len(checker.trace.parameters))]
    exact = Checker(checker.trace, COUNT11_DATA, thirds)
    checker = Checker(checker.trace, COUNT11_DATA, thirds, decimals=4)
    printed = Derivation(checker.trace, COUNT11_DATA, thirds, 4).to_latex()
    assert "a_{11} &= 0.3333 p_{11} + 0.6667 p_{12}" in printed
    assert "= 8.044e+05" in printed  # the loss's value, rounded from the exact one
    found = [v for _, verdicts in check_tex(checker, printed) for v in verdicts]
    assert {v.status for v in found} == {"correct"} and len(found) == 14
    assert {v.reason for v in found} == {"", "to 4 significant digits (--decimals 4)"}
    # without --decimals a rounded number is wrong: only the writer says it rounded
    (unrounded,) = exact.check("a_{11} = 0.3333 p_{11} + 0.6667 p_{12}")
    assert unrounded.status == "wrong"
    (fewer,) = checker.check("a_{11} = 0.3 p_{11} + 0.7 p_{12}")  # not derive's 4
    assert fewer.status == "wrong"
    (slip,) = checker.check("a_{11} = 0.3334 p_{11} + 0.6667 p_{12}")
    assert slip.status == "wrong"
