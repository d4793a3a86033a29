"""A PDF with a formula running off the page says so on stderr, naming the section or
frame and how far it overhangs (pdflatex's Overfull \\hbox), instead of exiting 0
silently."""

import os
import shutil

import pytest

from conftest import DERIVATIONS
from symcnn.cli.main import main
from symcnn.typeset.overfull import overfull_warnings

needs_pdflatex = pytest.mark.skipif(
    shutil.which("pdflatex") is None and not os.environ.get("SYMCNN_REQUIRE_LATEX"),
    reason="pdflatex is not installed (CI installs texlive-latex-base)",
)

LATEX = "\\section{a}\nx\n\\begin{frame}{Layer $a$}\ny\nz\n\\end{frame}\n"
LOG = (
    "Overfull \\hbox (0.5pt too wide) detected at line 2\n"
    "Overfull \\hbox (13.22253pt too wide) detected at line 5\n"
    "Overfull \\hbox (2.0pt too wide) in paragraph at lines 4--5\n"
    "Overfull \\hbox (3.5pt too wide) in paragraph at lines 2--2\n"
    "Overfull \\vbox (63.66245pt too high) detected at line 6\n"
    "Overfull \\vbox (63.66245pt too high) has occurred while \\output is active []\n"
)


def test_overfull_boxes_are_told_by_heading_widest_first():
    assert overfull_warnings(LATEX, LOG, "d.tex") == [
        'warning: d.tex, frame "Layer $a$": 1 box too tall for the frame (Overfull '
        "\\vbox: its last lines are cut off), by 63.7 pt (source line 6); a larger "
        "--width makes fewer lines",
        'warning: d.tex, frame "Layer $a$": 2 lines too wide for the page '
        "(Overfull \\hbox), the widest by 13.2 pt (source lines 5, 4); a smaller "
        "--width breaks formulas sooner, --per-neuron puts each neuron on a line "
        "of its own",
        'warning: d.tex, section "a": 1 line too wide for the page (Overfull '
        "\\hbox), the widest by 3.5 pt (source line 2); a smaller --width breaks "
        "formulas sooner, --per-neuron puts each neuron on a line of its own",
    ]


@needs_pdflatex
def test_document_pdf_warns_of_an_overfull_line(tmp_path, capsys):
    output = tmp_path / "c.tex"
    spec = str(DERIVATIONS / "count11.toml")
    args = ["document", spec, "-o", str(output), "--pdf", "--width", "400"]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert err.startswith(
        f"warning: {output}, section \"The lecture's ``count 11'' network "
        "(slides L2-L3).\": 1 line too wide for the page (Overfull \\hbox), the "
        "widest by 60"
    )
    assert main([*args[:-2], "--force"]) == 0
    assert capsys.readouterr().err == ""


def test_a_fraction_with_a_bracket_below_counts_as_a_deep_line():
    from symcnn.typeset.beamer import DEEP_LINE_POINTS, TALL_LINE_POINTS, line_points

    deep = r"&\quad {}+ \frac{1}{10 \left(1 + e^{- \frac{2199}{10000}}\right)} - 1"
    assert line_points(deep) == DEEP_LINE_POINTS == 42.0
    assert line_points(r"\frac{3}{10} f(x) + \left(\frac{1}{2}\right)") == (
        TALL_LINE_POINTS
    )
