"""Whole LaTeX documents from specs, and their PDF through pdflatex.

One section per spec: its layers (the L8 table), its formulas (align*, broken to fit
the page), with given weights put in, every layer's values as number grids when the
spec has images without targets, and the exact check when it has targets. Documents
need only amsmath and color (texlive-latex-base)."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import SymcnnError
from ..files.spec import read_spec
from ..files.weights import beside, read_weight_file
from ..model.layers import Pool2D
from ..model.shapes import DEFAULT_MAX_TERMS
from ..prove.verify import check, forward_exact
from ..symbolic.trace import build_trace
from .derivation import Derivation
from .slides import COLOR_DEFINITIONS, grid_latex, pooling_blocks, step_trace
from .summary import summary_latex

#: Formulas are broken to this many visible characters, to fit an article's line.
PAGE_WIDTH = 70
#: A derivation longer than this (LaTeX characters) is shown with \dots in long sums.
ELIDE_ABOVE = 30_000
ELIDE_TERMS = 4

PREAMBLE = (
    r"""\documentclass[10pt]{article}
\usepackage[margin=2cm]{geometry}
\usepackage{amsmath}
\usepackage{color}
\allowdisplaybreaks
"""
    + COLOR_DEFINITIONS
    + "\n"
)


def standalone(body: str, title: str = "") -> str:
    """A compilable document around `body`."""
    heading = rf"\section*{{{escape(title)}}}" + "\n" if title else ""
    return PREAMBLE + "\\begin{document}\n" + heading + body + "\n\\end{document}\n"


def escape(text: str) -> str:
    """Plain text for LaTeX: the special characters made literal."""
    return re.sub(r"([&%$#_{}])", r"\\\1", text).replace("~", r"\textasciitilde{}")


def align(derivation: Derivation, *, width: int = PAGE_WIDTH, **options) -> str:
    """The derivation as an align* block (which may break across pages)."""
    latex = derivation.to_latex(width=width, **options)
    if len(latex) > ELIDE_ABOVE and "elide" not in options:
        latex = derivation.to_latex(width=width, elide=ELIDE_TERMS, **options)
    body = latex.removeprefix("\\begin{aligned}\n").removesuffix("\n\\end{aligned}")
    return "\\begin{align*}\n" + body + "\n\\end{align*}"


def spec_style(spec) -> dict:
    """The typesetting options of a spec's [latex] table, as Derivation takes them."""
    style = {}
    if "elide" in spec.latex:
        style["elide"] = spec.latex["elide"]
    if spec.latex.get("cdot"):
        style["mul_symbol"] = "dot"
    if spec.latex.get("expanded"):
        style["expanded"] = True
    return style


def spec_title(path: Path) -> str:
    """The first comment line of a spec file, else its name."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            return line.lstrip("# ").strip()
    return path.stem


def values_latex(spec, trace, weights) -> str:
    """Each image and every layer's values as number grids (pooling blocks coloured)."""
    parts = []
    first = spec.network.layers[0]
    for sample in spec.data.samples:
        layers = forward_exact(trace, weights, sample.image)
        grids = []
        for result in layers:
            label = "P" if result.number == 0 else f"\\text{{layer {result.number}}}"
            for channel, grid in enumerate(result.values):
                marks = {}
                if result.number == 0 and isinstance(first, Pool2D):
                    marks = pooling_blocks(grid.shape, first.size)
                name = (
                    label if len(result.values) == 1 else f"{label}_{{{channel + 1}}}"
                )
                grids.append(f"{name} = {grid_latex(grid, marks)}")
        parts.append(
            f"\\paragraph{{{escape(sample.name)}}}\n\\[\n"
            + ",\\quad\n".join(grids)
            + "\n\\]"
        )
    return "\n".join(parts)


def check_latex(spec, trace, weights) -> str:
    """The exact check in a few lines, and one value evaluated step by step."""
    report = check(trace, weights, spec.data)
    lines = [
        f"Exact check: $L(w) = {report.loss}$; the gradient is "
        + ("exactly $0$" if report.gradient_is_zero else "not $0$")
        + f"; {len(report.kinks)} kink(s) met."
    ]
    named = trace.equations()
    if named:
        name = trace.names[named[0].symbol].latex
        steps = step_trace(trace, weights, spec.data.samples[0].image, name)
        lines.append(f"On ${spec.data.samples[0].name}$: \\[ {steps} \\]")
    return "\n\n".join(lines)


def spec_section(
    path: str | Path, *, width: int = PAGE_WIDTH, max_terms: int = DEFAULT_MAX_TERMS
) -> str:
    """One section of LaTeX for a spec (and its `<name>-weights.toml`, if any)."""
    path = Path(path)
    spec = read_spec(path, max_terms=max_terms)
    trace = build_trace(spec.network)
    own = beside(path)
    weights = read_weight_file(own).resolve(spec.network) if own.exists() else None
    if weights is None and not spec.network.parameters:
        weights = ()
    has_targets = spec.data is not None and spec.data.has_targets
    parts = [
        f"\\section{{{escape(spec_title(path))}}}",
        f"\\texttt{{{escape(path.name)}}}\n\n" + summary_latex(spec.network),
        align(
            Derivation(
                trace,
                spec.data if has_targets else None,
                weights if spec.network.parameters else None,
            ),
            width=spec.latex.get("width", width),
            **spec_style(spec),
        ),
    ]
    exact = all(
        getattr(layer, "activation", None) is None or layer.activation.is_exact
        for layer in spec.network.layers
    )
    if spec.data is not None and not has_targets and weights is not None and exact:
        parts.append(values_latex(spec, trace, weights))
    if weights is not None and has_targets and exact:
        parts.append(check_latex(spec, trace, weights))
    return "\n\n".join(parts)


def compile_pdf(tex: Path) -> Path:
    """pdflatex -halt-on-error on `tex` (twice, for references); the PDF beside it. A
    failure is a SymcnnError that quotes LaTeX's error and the line it points to."""
    if shutil.which("pdflatex") is None:
        raise SymcnnError(
            "pdflatex is not installed; install TeX Live (Debian: apt-get install "
            "texlive-latex-base) or compile the .tex yourself"
        )
    with tempfile.TemporaryDirectory() as work:
        command = [
            "pdflatex",
            "-halt-on-error",
            "-interaction=nonstopmode",
            f"-output-directory={work}",
            str(tex.resolve()),
        ]
        result = subprocess.run(command, capture_output=True, text=True, timeout=300)
        if result.returncode != 0:
            raise SymcnnError(
                f"pdflatex failed on {tex}:\n{latex_error(result.stdout)}"
            )
        pdf = tex.with_suffix(".pdf")
        shutil.move(Path(work) / f"{tex.stem}.pdf", pdf)
    return pdf


def latex_error(log: str) -> str:
    """The '! ...' error lines of a LaTeX log and the 'l.<n>' line after them."""
    lines = log.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("!"):
            context = lines[index : index + 12]
            return "\n".join(part for part in context if part.startswith(("!", "l.")))
    return "\n".join(lines[-15:])
