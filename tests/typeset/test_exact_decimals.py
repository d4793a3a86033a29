"""--decimals N rounds the exact value (integer arithmetic), never a float64: 1/3 with
17 digits is 0.33333333333333333, not 0.33333333333333331; one layout per grid."""

import sympy as sp

from conftest import DERIVATIONS
from symcnn.cli.main import main
from symcnn.typeset.numbers import decimal_text, grid_texts


def test_seventeen_digits_come_from_the_exact_value():
    assert decimal_text(sp.Rational(1, 3), 17) == "0.33333333333333333"
    assert decimal_text(sp.Rational(1, 10), 17) == "0.1"
    assert decimal_text(sp.Rational(-1, 2000), 17) == "-0.0005"
    assert decimal_text(sp.Rational(-2, 3), 17) == "-0.66666666666666667"
    assert decimal_text(sp.Rational(99999, 100000), 3) == "1"
    assert decimal_text(sp.Rational(1, 20000), 3) == "5e-05"
    assert decimal_text(sp.Rational(1234567, 10), 3) == "1.23e+05"


def test_a_grid_has_one_layout():
    grid = [sp.Rational(200000001, 2), 246913579, 400000000 + sp.Rational(1, 3), 0]
    assert grid_texts(grid, 1) == ["1e+08", "2e+08", "4e+08", "0"]
    assert grid_texts([sp.Rational(11, 4), 2, 0], 3) == ["2.75", "2", "0"]


def test_check_and_derive_print_exact_decimals(tmp_path, capsys):
    weights = tmp_path / "w.toml"
    weights.write_text('missing = "zero"\n[weights]\n"b_0" = "1/3"\n')
    spec = str(DERIVATIONS / "count11.toml")
    assert main(["check", spec, "--weights", str(weights), "--decimals", "17"]) == 1
    out = capsys.readouterr().out
    assert "P1      011/001  0.33333333333333333  1  -0.66666666666666667" in out
    weights.write_text('missing = "zero"\n[weights]\n"w_1" = 0.1\n')
    assert main(["derive", spec, "--weights", str(weights), "--decimals", "17",
                 "--format", "text"]) == 0
    assert "a_{11} = 0.1 p_{11}\n" in capsys.readouterr().out


def test_forward_grid_is_not_half_scientific(tmp_path, capsys):
    spec = tmp_path / "g.toml"
    spec.write_text(
        '[input]\nheight = 1\nwidth = 3\n[[layers]]\ntype = "conv"\nfilters = 1\n'
        'kernel = [1, 1]\nname = "a"\n[data]\nsamples = [ { image = [[1, 2, 4]] } ]\n'
    )
    (tmp_path / "g-weights.toml").write_text('[weights]\n"w" = "100000000.5"\n')
    assert main(["forward", str(spec), "--decimals", "1"]) == 0
    assert "1e+08 2e+08 4e+08" in capsys.readouterr().out
    (tmp_path / "g-weights.toml").write_text('[weights]\n"w" = "-0.0005"\n')
    assert main(["forward", str(spec), "--decimals", "17"]) == 0
    assert "    -0.0005  -0.001  -0.002\n" in capsys.readouterr().out


def test_a_tie_rounds_away_from_zero_as_taught():
    # half to even (Python's format) showed 2.5 with one digit as 2, 0.25 as 0.2
    shown = [decimal_text(sp.Rational(v), 1) for v in ("5/2", "1/4", "-7/20", "-5/2")]
    assert shown == ["3", "0.3", "-0.4", "-3"]
