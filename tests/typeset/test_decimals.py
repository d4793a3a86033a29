"""Numbers as decimals: weights read from floats (PyTorch) display as the decimals
they were written as, not as 27-digit dyadic fractions; hand weights stay exact."""

import pytest
import sympy as sp
import torch

import symcnn as sc
from conftest import DERIVATIONS
from symcnn.cli.main import main
from symcnn.typeset.latex import decimal_text, make_printer


def imported_model():
    model = torch.nn.Sequential(
        torch.nn.Conv2d(1, 1, (1, 2), bias=False),
        torch.nn.Flatten(),
        torch.nn.Linear(2, 1),
    )
    with torch.no_grad():
        model[0].weight[:] = torch.tensor([[[[0.1, -0.5]]]])
        model[2].weight[:] = torch.tensor([[0.25, 2.0]])
        model[2].bias[:] = torch.tensor([0.3])
    return model


def test_float32_weights_from_torch_derive_as_their_decimals():
    imported = sc.from_torch(imported_model(), (1, 1, 3))
    assert imported["w_{1}"] == sp.Rational(13421773, 134217728)  # exact, as stored
    derivation = sc.derive(imported.network, None, imported)
    assert derivation.lines("text")[-1][2] == (
        "0.25 (0.1 p_{11} - 0.5 p_{12}) + 2 (0.1 p_{12} - 0.5 p_{13}) + 0.3"
    )
    exact = sc.derive(imported.network, None, imported, decimals=17)
    assert "0.10000000149011612 p_{11}" in exact.lines("latex")[-1][2]


def test_decimals_in_latex_replace_fractions():
    show = make_printer({}, "latex", decimals=3).doprint
    x = sp.Symbol("x")
    terms = sp.Add(sp.Rational(1, 3) * x, sp.Rational(-11, 4), evaluate=False)
    assert show(terms) == "0.333 x - 2.75"
    assert make_printer({}, "latex").doprint(sp.Rational(1, 3) * x) == r"\frac{x}{3}"


def test_decimal_text_keeps_whole_and_huge_numbers_exact():
    assert decimal_text(sp.Integer(10) ** 400, 7) == "1" + "0" * 400
    assert decimal_text(sp.Rational(1, 10**400), 7) == f"1/1{'0' * 400}"
    assert decimal_text(sp.Rational(2, 3), 4) == "0.6667"


@pytest.mark.parametrize("decimals", [0, 18, True, 2.5])
def test_bad_decimals_are_refused(decimals):
    with pytest.raises(sc.SymcnnError, match="1 to 17 significant digits"):
        make_printer({}, "text", decimals=decimals)


def test_derive_reads_a_pt_file_as_decimals(tmp_path, capsys):
    spec = tmp_path / "net.toml"
    spec.write_text(
        '[input]\nheight = 1\nwidth = 3\n[[layers]]\ntype = "conv"\nfilters = 1\n'
        'kernel = [1, 2]\n[[layers]]\ntype = "dense"\nunits = 1\n'
    )
    imported = sc.from_torch(imported_model(), (1, 1, 3))
    model = sc.to_torch(imported.network, imported)
    torch.save(model.state_dict(), tmp_path / "net.pt")
    assert main(["derive", str(spec), "--weights", str(tmp_path / "net.pt")]) == 0
    out = capsys.readouterr().out
    assert "0.25 (0.1 p_{11} - 0.5 p_{12}) + 2 (0.1 p_{12} - 0.5 p_{13}) + 0.3" in out
    assert main(["derive", str(DERIVATIONS / "count11.toml"), "--decimals", "0"]) == 2
    assert "--decimals 0: write numbers with 1 to 17" in capsys.readouterr().err
