"""The bar for slides and documents: every shipped derivation compiles with pdflatex
as Beamer frames at the slide preset and at 0.8 of it, and as `document` (article
and --beamer), with no Overfull \\hbox or \\vbox over 1 pt in the log. One pdflatex
run per document: each derivation's frames at both widths share one."""

import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import DERIVATIONS, L4_WEIGHTS, count11_network

import symcnn as sc
from symcnn.cli.main import main
from symcnn.typeset.beamer import (
    GENERIC,
    SLIDE_WIDTH,
    SUBSTITUTED,
    beamer_document,
    block_latex,
    derivation_frames,
    frame_latex,
)
from symcnn.typeset.beamer_document import spec_frames
from symcnn.typeset.document import (
    PAGE_WIDTH,
    has_beamer,
    read_parts,
    run_pdflatex,
    spec_section,
    standalone,
)

#: Too large to derive (billions of terms): shipped to be summarized only.
SUMMARY_ONLY = {"vgg16", "alexnet"}
SPECS = sorted(
    p
    for p in DERIVATIONS.glob("*.toml")
    if not p.stem.endswith("-weights") and p.stem not in SUMMARY_ONLY
)
# CI sets SYMCNN_REQUIRE_LATEX=1 and installs Beamer (texlive-latex-recommended,
# texlive-pictures): there, no skipping.
needs_beamer = pytest.mark.skipif(
    (shutil.which("pdflatex") is None or not has_beamer())
    and not os.environ.get("SYMCNN_REQUIRE_LATEX"),
    reason="pdflatex with Beamer is not installed (CI installs it: .ci/run)",
)
OVERFULL = re.compile(r"^Overfull \\[hv]box \((\d+(?:\.\d+)?)pt too \w+\).*$", re.M)


def overfull(latex: str, tmp_path: Path, tolerance: float = 1.0) -> list[str]:
    """pdflatex's Overfull \\hbox and \\vbox warnings over `tolerance` points for the
    document `latex` (it must compile)."""
    (tmp_path / "document.tex").write_text(latex, encoding="utf-8")
    log, returncode = run_pdflatex(tmp_path, "the test document")
    assert returncode == 0, log[-3000:]
    return [m.group(0) for m in OVERFULL.finditer(log) if float(m.group(1)) > tolerance]


def derive_frames(path: Path, width: float) -> str:
    parts = read_parts(path)
    return derivation_frames(parts.derivation, width=width, **parts.style)


@needs_beamer
@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_every_derivation_fits_beamer_frames_at_the_preset_and_at_0_8(spec, tmp_path):
    frames = [derive_frames(spec, SLIDE_WIDTH), derive_frames(spec, 0.8 * SLIDE_WIDTH)]
    assert overfull(beamer_document("\n\n".join(frames), spec.stem), tmp_path) == []


@pytest.fixture(scope="module")
def every_spec():
    """Every derivation read once for the four documents (the exhaustive proofs
    behind them are the slow part)."""
    return [read_parts(path) for path in SPECS]


@needs_beamer
@pytest.mark.parametrize("scale", [1, 0.8])
def test_document_of_every_derivation_fits_the_page(scale, every_spec, tmp_path):
    width = scale * PAGE_WIDTH
    body = "\n\n".join(spec_section(parts, width=width) for parts in every_spec)
    assert overfull(standalone(body, "lecture"), tmp_path) == []


@needs_beamer
@pytest.mark.parametrize("scale", [1, 0.8])
def test_document_as_beamer_of_every_derivation_fits_the_frames(
    scale, every_spec, tmp_path
):
    width = scale * SLIDE_WIDTH
    body = "\n\n".join(spec_frames(parts, width=width) for parts in every_spec)
    assert overfull(beamer_document(body, "lecture"), tmp_path) == []


@needs_beamer
def test_the_log_check_catches_a_frame_too_tall_and_a_line_too_wide(tmp_path):
    """The bar can fail: 20 rows in one frame and a formula never broken."""
    rows = [r"a_{%d} &= p_{1} w_{1} + p_{2} w_{2}" % n for n in range(20)]
    tall = frame_latex("Too tall", [block_latex(GENERIC, rows)])
    wide = frame_latex(
        "Too wide", [block_latex(GENERIC, [" + ".join(["p_{11} w_{11}"] * 20)])]
    )
    found = overfull(beamer_document(tall + "\n" + wide), tmp_path)
    assert len(found) == 2
    assert found[0].startswith("Overfull \\vbox (")
    assert found[1].startswith("Overfull \\hbox (")


def test_frames_hold_one_idea_with_labelled_generic_and_substituted_blocks():
    net = count11_network()
    weights = sc.resolve(net, L4_WEIGHTS, missing="zero")
    derivation = sc.Derivation(sc.build_trace(net), None, weights)
    latex = derivation_frames(derivation)
    titles = re.findall(r"\\begin\{frame\}\{(.*)\}", latex)
    assert titles == [
        "Layer $a$",
        "The output $F_{NN}(P)$",
        "The output $F_{NN}(P)$ (continued)",
        "The activations",
    ]
    first = latex.split("\\end{frame}")[0]
    assert f"\\begin{{block}}{{{GENERIC}}}" in first
    assert f"\\begin{{block}}{{{SUBSTITUTED}}}" in first
    assert "a_{11} &= p_{11} w_{1} + p_{12} w_{2}" in first
    assert "a_{11} &= p_{11} + p_{12}" in first


def output_lines(latex: str) -> list[str]:
    output = latex.split("The output $F_{NN}(P)$}")[1].split("\\end{aligned}")[0]
    return [line.removesuffix(" \\\\") for line in output.splitlines() if "&" in line]


def test_one_neuron_per_line_on_slides():
    derivation = sc.derive(count11_network())
    wide = output_lines(derivation_frames(derivation, width=120, per_neuron=True))
    assert wide == [
        r"F_{NN}(P) &= b_{0} + w_{1,0} f(a_{11} w_{11,1} + a_{12} w_{12,1} + "
        r"a_{21} w_{21,1} + a_{22} w_{22,1} + b_{1})",
        *(
            rf"&\quad {{}}+ w_{{{k},0}} f(a_{{11}} w_{{11,{k}}} + a_{{12}} "
            rf"w_{{12,{k}}} + a_{{21}} w_{{21,{k}}} + a_{{22}} w_{{22,{k}}} "
            rf"+ b_{{{k}}})"
            for k in (2, 3, 4)
        ),
    ]
    # Narrower than a neuron: each neuron still starts its own line.
    lines = output_lines(derivation_frames(derivation, per_neuron=True))
    starts = [line for line in lines if re.search(r"w_\{\d,0\} f\(", line)]
    assert [line.split(" f(")[0] for line in starts] == [
        "F_{NN}(P) &= b_{0} + w_{1,0}",
        r"&\quad {}+ w_{2,0}",
        r"&\quad {}+ w_{3,0}",
        r"&\quad {}+ w_{4,0}",
    ]
    assert len(lines) == 8
    assert lines != output_lines(derivation_frames(derivation))


def test_derive_beamer_document_from_the_command_line(tmp_path, capsys):
    out = tmp_path / "slides.tex"
    spec = str(DERIVATIONS / "count11.toml")
    weights = str(DERIVATIONS / "count11-weights.toml")
    code = main(["derive", spec, "--beamer", "--document", "--weights", weights])
    latex = capsys.readouterr().out
    assert code == 0
    assert latex.startswith("\\documentclass[11pt]{beamer}")
    assert re.findall(r"\\begin\{frame\}(.*)", latex) == [
        "",  # the title page
        "{Layer $a$}",
        "{The output $F_{NN}(P)$}",
        "{The output $F_{NN}(P)$ (continued)}",
        "{The loss $L(w)$}",
        "{The activations}",
    ]
    code = main(["derive", spec, "--beamer", "--compose", "-o", str(out)])
    assert code == 2
    assert "--beamer writes the derivation's frames" in capsys.readouterr().err
    assert not out.exists()


def test_beamer_pdf_without_beamer_is_refused_before_any_work(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.setattr("symcnn.typeset.document.has_beamer", lambda: False)
    monkeypatch.setattr("shutil.which", lambda name: f"/usr/bin/{name}")
    out = tmp_path / "slides.tex"
    spec = str(DERIVATIONS / "count11.toml")
    code = main(["document", spec, "--beamer", "--pdf", "-o", str(out)])
    assert code == 2
    err = capsys.readouterr().err
    assert "--beamer --pdf needs LaTeX's Beamer class" in err
    assert "texlive-latex-recommended texlive-pictures" in err
    assert list(tmp_path.iterdir()) == []


@needs_beamer
def test_derive_beamer_frames_paste_into_a_plain_deck_even_twice(tmp_path, capsys):
    spec = str(DERIVATIONS / "l7_filters.toml")
    weights = str(DERIVATIONS / "l7_filters-weights.toml")
    assert main(["derive", spec, "--beamer", "--weights", weights]) == 0
    frames = capsys.readouterr().out
    assert frames.startswith("% symcnn frames:")
    deck = (
        "\\documentclass{beamer}\n\\usefonttheme[onlymath]{serif}\n"
        f"\\begin{{document}}\n{frames}\n{frames}\n\\end{{document}}\n"
    )
    assert overfull(deck, tmp_path) == []


@pytest.mark.parametrize("command", ["derive", "document"])
def test_a_width_below_min_width_is_refused_naming_the_limit(command, tmp_path, capsys):
    out = tmp_path / "out.tex"
    spec = str(DERIVATIONS / "count11.toml")
    code = main([command, spec, "--beamer", "--width", "12", "-o", str(out)])
    assert code == 2
    err = capsys.readouterr().err
    assert "--width 12 is too narrow: it counts digits as printed" in err
    assert "at least MIN_WIDTH = 20" in err
    assert not out.exists()
