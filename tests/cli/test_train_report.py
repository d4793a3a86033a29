"""The training report, golden: weights listed once each and bounded, the learned
F_NN(P) written when it is exact and short or when asked for."""

import numpy as np
import sympy as sp
from conftest import DERIVATIONS

import symcnn as sc
from symcnn.cli.main import main
from symcnn.cli.train_report import MAX_LISTED_WEIGHTS, train_text
from symcnn.numeric.learned import Learned
from symcnn.numeric.training import TrainResult

NET = sc.Network(sc.Input(height=1, width=2), sc.Dense(1, activation="relu"))


def result(weights, **fields) -> TrainResult:
    weights = np.array(weights, dtype=float)
    return TrainResult(
        NET, weights, np.array([1.0, 0.0]), 0.0, 1, "tolerance", 0, 4, **fields
    )


def test_golden_report_of_snapped_weights_writes_the_short_exact_formula():
    trained = result([1.0, 0.500004, 1 / 3])
    learned = Learned((sp.S(1), sp.Rational(1, 2), sp.Rational(1, 3)), sp.S(0))
    assert train_text(sc.build_trace(NET), trained, learned) == "\n".join([
        "Final loss 0.000e+00 after 1 steps",
        "(stopped: tolerance; random start 1 of at most 4)",
        "Learned weights (rounded; = the fraction where one is within 1e-4):",
        "  w_{11,0} = 1",
        "  w_{12,0} = 0.500004 = 1/2",
        "  b_{0} = 0.333333 = 1/3",
        "Snapped to simple fractions: 3 of 3 weights",
        "Exact loss of the snapped weights: 0 (an exact zero-loss solution)",
        "Learned F_NN(P) = f(p_{11} + 1/2 p_{12} + 1/3)",
    ])  # fmt: skip


def test_golden_report_of_unsnapped_weights_leaves_the_formula_to_a_flag():
    trained = result([0.25, -0.123456789, 1.0])
    learned = Learned((sp.Rational(1, 4), None, sp.S(1)), None)
    trace = sc.build_trace(NET)
    text = train_text(trace, trained, learned)
    assert text.splitlines()[3:] == [
        "  w_{11,0} = 0.25 = 1/4",
        "  w_{12,0} = -0.123457",
        "  b_{0} = 1",
        "Snapped to simple fractions: 2 of 3 weights",
        "Learned F_NN(P): not written; symcnn train --formula writes it (3 digits)",
    ]
    forced = train_text(trace, trained, learned, formula=True).splitlines()[-1]
    assert forced == "Learned F_NN(P) = f(1/4 p_{11} - 0.123 p_{12} + 1)"
    hidden = train_text(trace, result([1, 1, 0]), Learned((1, 1, 0), 0), formula=False)
    assert "f(" not in hidden


def wide_spec(tmp_path):
    """A net of 49 weights: more than MAX_LISTED_WEIGHTS."""
    spec = tmp_path / "wide.toml"
    spec.write_text(
        "[input]\nheight = 1\nwidth = 2\n"
        '[[layers]]\ntype = "dense"\nunits = 12\nactivation = "relu"\n'
        '[[layers]]\ntype = "dense"\nunits = 1\n'
        '[data]\nsamples = [{ image = "01", y = 1 }, { image = "11", y = 0 }]\n'
    )
    return str(spec)


def test_weight_list_is_bounded_and_all_lists_every_one(tmp_path, capsys):
    spec = wide_spec(tmp_path)  # 2 * 12 + 12 + 12 + 1 = 49 weights
    assert main(["train", spec, "--steps", "2", "--quiet"]) == 0
    lines = capsys.readouterr().out.splitlines()
    listed = [line for line in lines if line.startswith(("  w_", "  b_"))]
    assert len(listed) == MAX_LISTED_WEIGHTS
    more = 49 - MAX_LISTED_WEIGHTS
    note = f"  ... {more} more (--all lists every one; --save FILE writes them all)"
    assert note in lines
    assert main(["train", spec, "--steps", "2", "--quiet", "--all"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len([line for line in lines if line.startswith(("  w_", "  b_"))]) == 49
    assert not any(line.startswith("  ...") for line in lines)


def test_count11_report_never_repeats_a_whole_number(capsys):
    spec = str(DERIVATIONS / "count11.toml")
    assert main(["train", spec, "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "  b_{0} = 1\n" in out and "= 1  = 1" not in out
    assert "Learned F_NN(P): not written; symcnn train --formula" in out
    assert main(["train", spec, "--quiet", "--formula"]) == 0
    assert "Learned F_NN(P) = 1 + 0.728 f(" in capsys.readouterr().out


def test_run_report_fits_80_columns(capsys):
    assert main(["run", str(DERIVATIONS / "count11.toml")]) == 0
    lines = capsys.readouterr().out.splitlines()
    note = "Learned F_NN(P): not written; symcnn train --formula writes it (3 digits)"
    assert note in lines and len(note) <= 80
    start = lines.index("== Training ==")
    weights = [line for line in lines[start:] if line.startswith(("  w_", "  b_"))]
    assert max(map(len, weights)) <= 80
