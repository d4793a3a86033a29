"""LaTeX for slides beyond formulas: step-by-step values, number grids, Python
functions through latexify-py, and whole documents that compile with pdflatex."""

import os
import shutil

import pytest
from conftest import DERIVATIONS, L4_WEIGHTS, count11_network

import symcnn as sc
from symcnn.cli.main import main
from symcnn.typeset.document import compile_pdf, spec_section, standalone
from symcnn.typeset.slides import (
    grid_latex,
    pooling_blocks,
    receptive_field,
    step_trace,
)

#: Too large to derive (billions of terms): shipped to be summarized only.
SUMMARY_ONLY = {"vgg16", "alexnet"}
SPECS = sorted(
    p
    for p in DERIVATIONS.glob("*.toml")
    if not p.stem.endswith("-weights") and p.stem not in SUMMARY_ONLY
)
# CI sets SYMCNN_REQUIRE_LATEX=1 and installs texlive-latex-base: there, no skipping.
needs_pdflatex = pytest.mark.skipif(
    shutil.which("pdflatex") is None and not os.environ.get("SYMCNN_REQUIRE_LATEX"),
    reason="pdflatex is not installed (CI installs texlive-latex-base)",
)


def test_step_trace_of_one_neuron_like_handcalcs():
    net = count11_network()
    weights = sc.resolve(net, L4_WEIGHTS, missing="zero")
    image = sc.parse_image("011/001", "P1")
    assert step_trace(sc.build_trace(net), weights, image, "a_{11}") == (
        r"a_{11} = p_{11} w_{1} + p_{12} w_{2} = 0 \cdot 1 + 1 \cdot 1 = 1"
    )
    with pytest.raises(sc.SymcnnError, match=r"'z_1' is not a named value.*a_\{11\}"):
        step_trace(sc.build_trace(net), weights, image, "z_1")


def test_grid_with_pooling_blocks_and_a_receptive_field():
    l5 = [[4, 3, 1, 5], [1, 3, 4, 8], [4, 5, 4, 3], [6, 5, 9, 4]]
    latex = grid_latex(l5, pooling_blocks((4, 4), (2, 2)))
    first_row = latex.splitlines()[1]
    assert first_row == (
        r"\colorbox{symcnnA}{$4$} & \colorbox{symcnnA}{$3$} & "
        r"\colorbox{symcnnB}{$1$} & \colorbox{symcnnB}{$5$} \\"
    )
    assert latex.count("symcnnA") == latex.count("symcnnB") == 8
    field = receptive_field((0, 1), (2, 2))
    assert set(field) == {(0, 1), (0, 2), (1, 1), (1, 2)}
    assert grid_latex([[1, 2], [3, 4]]) == (
        "\\begin{bmatrix}\n1 & 2 \\\\\n3 & 4\n\\end{bmatrix}"
    )


def count_11(p_11, p_12, p_13, p_21, p_22, p_23):
    return p_11 * p_12 + p_12 * p_13 + p_21 * p_22 + p_22 * p_23


def looping(x):
    for _ in range(3):
        x = x + 1
    return x


def test_python_target_through_latexify():
    assert sc.function_latex(count_11, name="Y") == (
        r"Y(p_{11}, p_{12}, p_{13}, p_{21}, p_{22}, p_{23}) = "
        r"p_{11} p_{12} + p_{12} p_{13} + p_{21} p_{22} + p_{22} p_{23}"
    )


def test_latexify_refusal_is_explained():
    with pytest.raises(
        sc.SymcnnError,
        match=r"latexify-py cannot turn 'looping' into a "
        r"formula: .*without loops",
    ):
        sc.function_latex(looping)


@needs_pdflatex
@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.name)
def test_every_derivation_document_compiles(spec, tmp_path):
    tex = tmp_path / f"{spec.stem}.tex"
    tex.write_text(standalone(spec_section(spec), title=spec.name))
    assert compile_pdf(tex).read_bytes()[:5] == b"%PDF-"


@needs_pdflatex
def test_document_command_builds_one_pdf_of_every_slide(tmp_path, capsys):
    tex = tmp_path / "lecture.tex"
    globbed = DERIVATIONS.glob("*.toml")  # weight files are skipped
    specs = [str(p) for p in globbed if p.stem not in SUMMARY_ONLY]
    assert main(["document", *specs, "-o", str(tex), "--pdf"]) == 0
    assert (tmp_path / "lecture.pdf").read_bytes()[:5] == b"%PDF-"
    text = tex.read_text()
    assert text.count("\\section{") == len(SPECS)
    assert r"a_{11} = p_{11} w_{1} + p_{12} w_{2} = 0 \cdot 1 + 1 \cdot 1 = 1" in text


@needs_pdflatex
def test_derive_document_with_width_compiles(tmp_path, capsys):
    tex = tmp_path / "count11.tex"
    spec = str(DERIVATIONS / "count11.toml")
    assert main(["derive", spec, "--document", "--width", "50", "-o", str(tex)]) == 0
    assert "\\usepackage{amsmath}" in tex.read_text()
    assert compile_pdf(tex).exists()


@needs_pdflatex
def test_a_latex_error_is_shown_with_its_line(tmp_path):
    tex = tmp_path / "broken.tex"
    tex.write_text(standalone("\\[ \\notacommand{x} \\]"))
    with pytest.raises(
        sc.SymcnnError,
        match=r"(?s)pdflatex failed.*! Undefined control "
        r"sequence.*l\.\d+",
    ):
        compile_pdf(tex)


def test_document_output_must_be_tex(capsys):
    code = main(["document", str(DERIVATIONS / "count11.toml"), "-o", "x.pdf"])
    assert code == 2 and "use a name ending in .tex" in capsys.readouterr().err
