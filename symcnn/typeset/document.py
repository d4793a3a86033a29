"""Whole LaTeX documents from specs, and their PDF through pdflatex.

One section per spec: its layers (the L8 table), its formulas (align*, broken to fit
the page), with given weights put in, every layer's values as number grids when the
spec has images without targets, and the exact check when it has targets. Documents
need only amsmath and color (texlive-latex-base)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..errors import SymcnnError
from ..files.spec import read_spec
from ..files.tomlfile import read_text
from ..files.weights import beside, read_weight_file
from ..model.layers import Pool2D
from ..model.shapes import DEFAULT_MAX_TERMS
from ..prove.verify import check, forward_exact
from ..model.losses import EXACT_LOSSES
from ..symbolic.trace import build_trace
from ..limits import PDFLATEX_SECONDS
from .derivation import Derivation
from .latex import escape_text
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
    heading = rf"\section*{{{escape_text(title)}}}" + "\n" if title else ""
    return PREAMBLE + "\\begin{document}\n" + heading + body + "\n\\end{document}\n"


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
    for line in read_text(path, "spec file").splitlines():  # bounded, as every read
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
            f"\\paragraph{{{escape_text(sample.name)}}}\n\\[\n"
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


def explore_link(path: Path) -> str:
    """The line that sends readers to the spec's explorer page (symcnn explore)."""
    command = f"symcnn explore {path.name} -o {path.stem}.html"
    return (
        "Every value's formula, editable weights and training in a browser: "
        f"\\texttt{{{escape_text(command)}}}"
    )


def spec_section(
    path: str | Path, *, width: int = PAGE_WIDTH, max_terms: int = DEFAULT_MAX_TERMS
) -> str:
    """One section of LaTeX for a spec (and its `<name>-weights.toml`, if any)."""
    path = Path(path)
    spec = read_spec(path, max_terms=max_terms)
    trace = build_trace(spec.network, loss=spec.loss)
    own = beside(path)
    weights = read_weight_file(own).resolve(spec.network) if own.exists() else None
    if weights is None and not spec.network.parameters:
        weights = ()
    has_targets = spec.data is not None and spec.data.has_targets
    parts = [
        f"\\section{{{escape_text(spec_title(path))}}}",
        f"\\texttt{{{escape_text(path.name)}}}. {explore_link(path)}\n\n"
        + summary_latex(spec.network),
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
    exact = spec.loss in EXACT_LOSSES and all(
        getattr(layer, "activation", None) is None or layer.activation.is_exact
        for layer in spec.network.layers
    )
    if spec.data is not None and not has_targets and weights is not None and exact:
        parts.append(values_latex(spec, trace, weights))
    if weights is not None and has_targets and exact:
        parts.append(check_latex(spec, trace, weights))
    return "\n\n".join(parts)


def require_pdflatex() -> None:
    """Refuse (before any work) when pdflatex is not installed."""
    if shutil.which("pdflatex") is None:
        raise SymcnnError(
            "--pdf needs pdflatex, which is not installed, so nothing was written; "
            "install TeX Live (Debian: apt-get install texlive-latex-base), or leave "
            "out --pdf to write the .tex only and compile it elsewhere"
        )


#: pdflatex may read only the folder it runs in and TeX's own files (`p`: no
#: absolute paths, no `..`, no dot files) and write only there; no shell commands.
PDFLATEX_ENVIRONMENT = {"openin_any": "p", "openout_any": "p", "shell_escape": "f"}
PDFLATEX = (
    "pdflatex",
    "-no-shell-escape",
    "-interaction=nonstopmode",
    "-halt-on-error",
)


def pdf_bytes(latex: str, name: str = "the document") -> bytes:
    """The PDF of the document `latex`, compiled by pdflatex in a private temporary
    folder (its .aux and .log go with it), restricted as PDFLATEX_ENVIRONMENT says and
    stopped after PDFLATEX_SECONDS. A failure is a SymcnnError naming `name` and
    quoting LaTeX's first error and the line it points to."""
    require_pdflatex()
    with tempfile.TemporaryDirectory(prefix="symcnn-latex-") as work:
        (Path(work) / "document.tex").write_text(latex, encoding="utf-8")
        log, returncode = run_pdflatex(Path(work), name)
        pdf = Path(work) / "document.pdf"
        if returncode != 0 or not pdf.exists():
            raise SymcnnError(f"pdflatex failed on {name}:\n{latex_error(log)}")
        return pdf.read_bytes()


def run_pdflatex(work: Path, name: str) -> tuple[str, int]:
    """pdflatex on work/document.tex: (its output, its exit status). Its own process
    group, so that a timeout ends it and anything it started (mktexpk)."""
    try:
        process = subprocess.Popen(
            [*PDFLATEX, "document.tex"],
            cwd=work,
            env={**os.environ, **PDFLATEX_ENVIRONMENT},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    except OSError as error:
        raise SymcnnError(f"cannot run pdflatex on {name}: {error.strerror}") from None
    try:
        output, _ = process.communicate(timeout=PDFLATEX_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise SymcnnError(
            f"pdflatex ran for more than {PDFLATEX_SECONDS} s on {name} and was "
            "stopped (a document of symcnn's compiles in seconds); compile the .tex "
            "yourself to see where it loops"
        ) from None
    return output.decode("utf-8", errors="replace"), process.returncode


def compile_pdf(tex: Path) -> Path:
    """The PDF of the .tex file `tex` beside it (pdf_bytes; replaced atomically, and
    nothing else is written beside it)."""
    tex = Path(tex)
    pdf = tex.with_suffix(".pdf")
    write_atomically(pdf, pdf_bytes(read_text(tex, ".tex file"), str(tex)))
    return pdf


def write_atomically(path: Path, data: bytes) -> None:
    """data into a temporary file beside `path`, then renamed over it: a reader sees
    the old file or the new one, never half of one."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        # The mode a new file would get (the umask's), not mkstemp's private 0600.
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temporary, 0o666 & ~mask)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def latex_error(log: str) -> str:
    """LaTeX's first error ('! ...') and the 'l.<n>' line it points to; the end of
    the log when it has no error line."""
    lines = log.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("!"):
            after = lines[index + 1 : index + 12]
            where = next((part for part in after if part.startswith("l.")), None)
            return line if where is None else f"{line}\n{where}"
    return "\n".join(lines[-15:])
