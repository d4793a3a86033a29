"""verify's rounding tolerance is opt-in (verify --decimals N) and then only derive's
rounding to N digits (attack report A2, B6)."""

import sympy as sp
from conftest import count11_network

import symcnn as sc
from symcnn.formulas.formulacheck import Checker
from symcnn.formulas.texfile import check_tex
from symcnn.typeset.derivation import Derivation

DATA = sc.Dataset.from_rows([("011/001", "0.46"), ("110/011", 2), ("101/010", 0)])


def test_a_rounded_target_weight_or_value_is_wrong_without_decimals():
    net = count11_network()
    trace = sc.build_trace(net)
    checker = Checker(trace, DATA)
    (target,) = checker.check(
        r"L(w) = (F_{NN}(P_{1}) - 0.5)^{2} + (F_{NN}(P_{2}) - 2)^{2} "
        r"+ (F_{NN}(P_{3}) - 0)^{2}"
    )
    assert target.status == "wrong"
    weights = [sp.Rational(23, 50)] + [sp.Integer(1)] * (len(trace.parameters) - 1)
    weighted = Checker(trace, DATA, weights)
    (weight,) = weighted.check(r"a_{11} = 0.5 p_{11} + p_{12}")
    assert weight.status == "wrong"
    (split,) = weighted.check(r"a_{11} = 0.5 p_{11} + 0.5 p_{12} + 0.5 p_{12}")
    assert split.status == "wrong"
    # with --decimals 1 derive prints 0.46 as 0.5: then it is right, said so
    (rounded,) = Checker(trace, DATA, weights, decimals=1).check(
        r"a_{11} = 0.5 p_{11} + p_{12}"
    )
    assert (rounded.status, rounded.reason) == (
        "correct",
        "to 1 significant digits (--decimals 1)",
    )
    # but not at --decimals 3, where derive prints 0.46
    (three,) = Checker(trace, DATA, weights, decimals=3).check(
        r"a_{11} = 0.5 p_{11} + p_{12}"
    )
    assert three.status == "wrong"


def test_a_leaky_slope_is_not_rounded():
    # B6: the slope 1/3 is printed exact in its own line, the weights 3/7 as 0.429
    network = sc.Network(
        sc.Input(height=2, width=4),
        sc.Conv2D(1, (1, 1), activation=sc.activation("leaky_relu", slope="1/3"),
                  name="c", bias=False),
        sc.MaxPool2D(2),
        sc.Dense(1, bias=False),
    )  # fmt: skip
    trace = sc.build_trace(network)
    weights = [sp.Integer(1), sp.Rational(3, 7), sp.Rational(3, 7)]
    printed = Derivation(trace, None, weights, 3).to_latex()
    assert "0.429 \\max(" in printed
    checker = Checker(trace, None, weights, decimals=3)
    found = [v for _, verdicts in check_tex(checker, printed) for v in verdicts]
    assert len(found) == 19 and {v.status for v in found} == {"correct"}
    exact = Checker(trace, None, weights)  # without --decimals: 0.429 is not 3/7
    assert {v.status for _, vs in check_tex(exact, printed) for v in vs} == {
        "correct",
        "wrong",
    }


def test_a_residual_is_rounded_as_one_number():
    # derive --decimals 4 prints F - y summed: (sigma(-1) + 1/3 + 1) as 1.333, not
    # 1/3 -> 0.3333 plus 1 (hypothesis found it in test_derive_round_trip)
    network = sc.Network(
        sc.Input(height=3, width=3), sc.Conv2D(1, (1, 2)),
        sc.Dense(1, activation="sigmoid"), sc.Dense(1),
    )  # fmt: skip
    trace = sc.build_trace(network, loss="squared_error")
    data = sc.Dataset.from_rows([("000/000/000", -1)])
    weights = [sp.Integer(0)] * 8 + [sp.Integer(1), sp.Integer(1), sp.Rational(1, 3)]
    printed = Derivation(trace, data, weights, 4).to_latex(expanded=True)
    assert r"+ 1.333\right)^{2}" in printed
    checker = Checker(trace, data, weights, decimals=4)
    found = [v for _, verdicts in check_tex(checker, printed) for v in verdicts]
    assert found and {v.status for v in found} == {"correct"}


def test_derives_default_output_for_a_pt_file_reads_back(tmp_path, capsys):
    # .pt weights are floats: derive prints them to 7 digits by default, and verify
    # reads them so without --decimals (derive's rule); an exact reading would not
    from conftest import DERIVATIONS

    from symcnn.cli.main import main
    from symcnn.files.torchfiles import write_state_dict

    spec_path = str(DERIVATIONS / "count11.toml")
    spec = sc.read_spec(spec_path)
    floats = [1 / 3 + k / 7 for k in range(len(spec.network.parameters))]
    pt = tmp_path / "w.pt"
    write_state_dict(spec.network, floats, pt)
    tex = tmp_path / "d.tex"
    argv = [spec_path, "--weights", str(pt)]
    assert main(["derive", *argv, "--format", "latex", "-o", str(tex)]) == 0
    assert "0.3333333 p_{11}" in tex.read_text()
    capsys.readouterr()
    assert main(["verify", *argv, "--tex", str(tex)]) == 0
    out = capsys.readouterr().out
    assert out.rstrip().endswith(" correct, 0 wrong, 0 not understood")
    assert "to 7 significant digits (--decimals 7)" in out
