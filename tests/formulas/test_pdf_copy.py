"""verify reads what a PDF copy gives (U+2212 minus, en dash, no-break and thin
spaces, multiplication dots) as ASCII; a formula it cannot read is labelled with its
written left side, not "?"; a .tex with nothing to check is an error (exit 2)."""

import pytest
from conftest import DERIVATIONS

from symcnn.cli.main import main

COUNT11 = str(DERIVATIONS / "count11.toml")


def verify(capsys, *argv):
    code = main(["verify", COUNT11, *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    "formula",
    [
        "a_{11} = p_{11} w_{1} \u2212 p_{12} w_{2}",
        "a_{11} = p_{11} w_{1} \u2013 p_{12} w_{2}",
        "a_{11}\u00a0=\u2009p_{11}\u00b7w_{1} \u2212 p_{12}\u22c5w_{2}",
    ],
)
def test_a_pdf_minus_is_a_minus(capsys, formula):
    code, out, _ = verify(capsys, "--formula", formula)
    assert code == 1
    assert out == (
        "a_{11}: wrong: term 2: - p_{12} w_{2} should be p_{12} w_{2}\n"
        "0 correct, 1 wrong, 0 not understood\n"
    )


def test_a_formula_not_understood_is_named_by_its_left_side(capsys):
    code, out, _ = verify(capsys, "--formula", "a_{11} = p_{11} w_{1} + ^^")
    assert code == 1  # not understood fails a CI gate as wrong does (report C16)
    assert out.startswith("a_{11}: not understood: ")


def test_pdf_text_in_a_tex_file_is_checked(capsys, tmp_path):
    tex = tmp_path / "copied.tex"
    tex.write_text(
        "$a_{11} = p_{11} w_{1} + p_{12} w_{2}$ and "
        "$a_{12} = p_{12} w_{1} \u2212 p_{13} w_{2}$\n"
    )
    code, out, _ = verify(capsys, "--tex", str(tex))
    assert code == 1
    assert out == (
        "line 1: a_{11}: correct\n"
        "line 1: a_{12}: wrong: term 2: - p_{13} w_{2} should be p_{13} w_{2}\n"
        "1 correct, 1 wrong, 0 not understood\n"
    )


@pytest.mark.parametrize(
    "text, says",
    [
        ("", "'X' has no equations: no $...$"),
        ("Only prose, and $x$ without an equals sign.\n", "'X' has no equations"),
        ("Some $x = 1$ and $y = 2$.\n", "none of the 2 equation(s) in 'X' has a left"),
    ],
)
def test_a_tex_with_nothing_to_check_is_an_error(capsys, tmp_path, text, says):
    tex = tmp_path / "notes.tex"
    tex.write_text(text)
    code, out, err = verify(capsys, "--tex", str(tex))
    assert code == 2 and out == ""
    assert err.startswith("symcnn verify: error: " + says.replace("X", str(tex)))
    assert "nothing was checked" in err


def test_lines_without_equations_say_which_lines(capsys, tmp_path):
    tex = tmp_path / "notes.tex"
    tex.write_text("$a_{11} = p_{11} w_{1} + p_{12} w_{2}$\n\n\n")
    code, _, err = verify(capsys, "--tex", str(tex), "--lines", "2-3")
    assert code == 2 and f"'{tex}' on lines 2-3 has no equations" in err


def test_blocks_ending_and_starting_with_a_pdf_minus_are_joined(capsys, tmp_path):
    """continues() sees U+2212 as "-": a - (-p_{12} w_{2}) split over two blocks."""
    tex = tmp_path / "split.tex"
    tex.write_text("$$a_{11} = p_{11} w_{1} \u2212$$\n$$\u2212p_{12} w_{2}$$\n")
    code, out, _ = verify(capsys, "--tex", str(tex))
    assert code == 0
    assert out == "line 1: a_{11}: correct\n1 correct, 0 wrong, 0 not understood\n"
