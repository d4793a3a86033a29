"""User text in documents is text, never LaTeX: titles, spec comments and file names
are escaped; pdflatex runs without shell escape, reads and writes only its private
folder, is stopped after a time limit, and never leaves files beside the user's."""

import os
import re
import shutil

import pytest
from conftest import DERIVATIONS

import symcnn as sc
from symcnn.cli.main import main
from symcnn.typeset import document
from symcnn.typeset.document import pdf_bytes, standalone
from symcnn.typeset.latex import TEXT_ESCAPES, escape_text
from symcnn.typeset.summary import summary_latex

needs_pdflatex = pytest.mark.skipif(
    shutil.which("pdflatex") is None and not os.environ.get("SYMCNN_REQUIRE_LATEX"),
    reason="pdflatex is not installed (CI installs texlive-latex-base)",
)

HOSTILE = [
    r"Net \protect\catcode`\^=7 \input /etc/passwd",
    r"\loop\iftrue\repeat",
    r"\catcode`\%=12 \def\x{\input{/etc/passwd}}\x",
    "^^5cinput{/etc/passwd} ^^5c^^5c",
    "100% {sure} & $5 #1 a_b ~x <y> |z|",
    "two\nlines\n\nand a blank one\r\n\ttab",
    "\\\x00null\x1b[31m\u200bzero width",
    "é ß € 中文 😀",
]


def user_commands(latex: str) -> str:
    """What is left of `latex` once our own escapes are taken out: a backslash
    left there would be a command the user wrote."""
    for escaped in sorted(TEXT_ESCAPES.values(), key=len, reverse=True):
        latex = latex.replace(escaped, "")
    return latex


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_holds_no_command_of_the_user(text):
    latex = escape_text(text)
    rest = user_commands(latex)
    assert not set(rest) & set("\\{}$&#^_%~\n\r\x00")
    assert "\n" not in latex


def test_escape_text_writes_each_special_character_literally():
    assert escape_text(r"\input{x} 50% a_b ^^5c ~") == (
        r"\textbackslash{}input\{x\} 50\% a\_b "
        r"\textasciicircum{}\textasciicircum{}5c \textasciitilde{}"
    )
    assert escape_text("a\n\nb\x00c 中") == "a bc ?"
    assert escape_text("Übung é") == "Übung é"


def hostile_spec(folder, comment: str):
    """count11 under a hostile file name with a hostile first comment line."""
    text = (DERIVATIONS / "count11.toml").read_text().splitlines()
    path = folder / "n#e%t_~$&{x}.toml"
    path.write_text("\n".join([f"# {comment}", *text[1:]]) + "\n")
    return path


@needs_pdflatex
def test_hostile_titles_and_names_are_text_in_a_compiled_pdf(tmp_path, capsys):
    spec = hostile_spec(tmp_path, HOSTILE[0] + " ^^5c % " + HOSTILE[1])
    tex = tmp_path / "out.tex"
    title = " ".join(HOSTILE)
    assert main(["document", str(spec), "-o", str(tex), "--pdf", "--title", title]) == 0
    assert (tmp_path / "out.pdf").read_bytes()[:5] == b"%PDF-"
    text = tex.read_text()
    headings = [line for line in text.splitlines() if "section" in line]
    assert len(headings) == 2
    for heading in headings:
        inside = heading.split("{", 1)[1].rsplit("}", 1)[0]
        assert "\\" not in user_commands(inside)
    assert "\\input" not in text and "\\catcode" not in text and "\\loop" not in text
    assert r"\texttt{n\#e\%t\_\textasciitilde{}\$\&\{x\}.toml}" in text


@needs_pdflatex
def test_derive_document_title_is_the_escaped_file_name(tmp_path, capsys):
    spec = hostile_spec(tmp_path, "x")
    tex = tmp_path / "d.tex"
    assert main(["derive", str(spec), "--document", "-o", str(tex)]) == 0
    assert r"\section*{n\#e\%t\_\textasciitilde{}\$\&\{x\}.toml}" in tex.read_text()
    assert document.compile_pdf(tex).read_bytes()[:5] == b"%PDF-"


def test_a_leaky_relu_layer_is_text_in_the_layers_table():
    net = sc.Network(
        sc.Input(height=2, width=3), sc.Dense(2, activation="leaky_relu"), sc.Dense(1)
    )
    assert r"1: Dense 2 (leaky\_relu) & " in summary_latex(net)


@needs_pdflatex
def test_pdflatex_reads_no_file_outside_its_folder():
    for path in ("/etc/passwd", "../../../../etc/passwd"):
        with pytest.raises(
            sc.SymcnnError,
            match=r"^pdflatex failed on the document:\n! LaTeX Error: File `"
            + re.escape(path)
            + r"\.tex' not found\.\nl\.\d+ \\input\{",
        ):
            pdf_bytes(standalone(rf"\input{{{path}}}"))


@needs_pdflatex
def test_pdflatex_writes_no_file_outside_its_folder_and_runs_no_command(tmp_path):
    target = tmp_path / "written.txt"
    with pytest.raises(sc.SymcnnError, match=r"! I can't write on file"):
        pdf_bytes(standalone(rf"\immediate\openout1={target} \immediate\write1{{x}}"))
    shell = tmp_path / "shell"
    pdf = pdf_bytes(standalone(rf"\immediate\write18{{touch {shell}}}text"))
    assert pdf[:5] == b"%PDF-"
    assert not target.exists() and not shell.exists()


@needs_pdflatex
def test_a_looping_document_is_stopped_at_the_time_limit(monkeypatch):
    monkeypatch.setattr(document, "PDFLATEX_SECONDS", 1)
    with pytest.raises(
        sc.SymcnnError, match=r"pdflatex ran for more than 1 s on loop\.tex and was"
    ):
        pdf_bytes(standalone(r"\loop\iftrue\repeat"), "loop.tex")


def test_document_pdf_is_refused_before_any_work_when_it_exists(tmp_path, capsys):
    tex, pdf = tmp_path / "x.tex", tmp_path / "x.pdf"
    pdf.write_bytes(b"mine")
    spec = str(DERIVATIONS / "count11.toml")
    assert main(["document", spec, "-o", str(tex), "--pdf"]) == 2
    assert "x.pdf' exists; pass --force" in capsys.readouterr().err
    assert pdf.read_bytes() == b"mine" and not tex.exists()


@needs_pdflatex
def test_document_force_replaces_the_pdf_and_leaves_nothing_else(tmp_path, capsys):
    tex, pdf = tmp_path / "x.tex", tmp_path / "x.pdf"
    pdf.write_bytes(b"mine")
    tex.write_text("mine")
    spec = str(DERIVATIONS / "count11.toml")
    assert main(["document", spec, "-o", str(tex), "--pdf", "--force"]) == 0
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert tex.read_text().startswith(r"\documentclass")
    assert sorted(os.listdir(tmp_path)) == ["x.pdf", "x.tex"]


def test_document_pdf_without_pdflatex_is_refused_before_any_work(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.setattr(document.shutil, "which", lambda name: None)
    tex = tmp_path / "x.tex"
    spec = str(DERIVATIONS / "count11.toml")
    assert main(["document", spec, "-o", str(tex), "--pdf"]) == 2
    err = capsys.readouterr().err
    assert "needs pdflatex, which is not installed, so nothing was written" in err
    assert "leave out --pdf to write the .tex only" in err
    assert not tex.exists()
