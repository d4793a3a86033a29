"""Whole LaTeX documents from specs, and their PDF through pdflatex.

One section per spec: its layers (the L8 table), its formulas (align*, broken to fit
the page), with given weights put in, every layer's values as number grids when the
spec has images without targets, and the exact check when it has targets. Documents
need only amsmath and color (texlive-latex-base)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..errors import SymcnnError
from ..files.spec import read_spec
from ..files.tomlfile import read_text
from ..files.weights import beside, read_weight_file
from ..model.shapes import DEFAULT_MAX_TERMS
from ..model.losses import EXACT_LOSSES
from ..symbolic.trace import build_trace
from ..limits import PDFLATEX_SECONDS
from .beamer import ELIDE_TERMS, is_long
from .derivation import Derivation
from .overfull import overfull_warnings
from .latex import escape_text
from .document_parts import (
    FIT_MACROS,
    check_items,
    composed_items,
    fit_table,
    values_items,
)
from .slides import COLOR_DEFINITIONS
from .summary import summary_latex
from .widths import PAGE_WIDTH as PAGE_WIDTH  # re-exported: cli

PREAMBLE = (
    r"""\documentclass[10pt]{article}
\usepackage[margin=2cm]{geometry}
\usepackage{amsmath}
\usepackage{color}
\usepackage{graphicx}
\allowdisplaybreaks
"""
    + COLOR_DEFINITIONS
    + "\n"
    + FIT_MACROS
)


def standalone(body: str, title: str = "") -> str:
    """A compilable document around `body`."""
    heading = rf"\section*{{{escape_text(title)}}}" + "\n" if title else ""
    return PREAMBLE + "\\begin{document}\n" + heading + body + "\n\\end{document}\n"


def align(derivation: Derivation, *, width: float = PAGE_WIDTH, **options) -> str:
    """The derivation as an align* block (which may break across pages)."""
    long = is_long(derivation, expanded=options.get("expanded", False))
    if long and options.get("elide") is None:
        options = {**options, "elide": ELIDE_TERMS}
    latex = derivation.to_latex(width=width, **options)
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


#: The end of a sentence: a full stop before a capital letter (not "et al. 2012").
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def spec_title(path: Path) -> str:
    """The first sentence of a spec file's opening comment (its lines joined up to
    a blank or indented comment line: a command), else the file's name."""
    lines = []
    for line in read_text(path, "spec file").splitlines():  # bounded, as every read
        text = line.removeprefix("#")
        if not line.startswith("#") or not text.strip() or text.startswith("    "):
            if lines:
                break
            continue
        lines.append(text.strip())
    if not lines:
        return path.stem
    return SENTENCE_END.split(" ".join(lines), maxsplit=1)[0]


@dataclass(frozen=True)
class SpecParts:
    """A spec read for a document: its network's trace, its weights (from
    `<name>-weights.toml` beside it), the derivation and what else it shows."""

    path: Path
    spec: object
    trace: object
    weights: tuple | None
    derivation: Derivation
    style: dict

    @property
    def title(self) -> str:
        return spec_title(self.path)

    @cached_property
    def items(self) -> list[tuple[str, str, str]]:
        """(group, caption, display) items: values, per-channel sums, the composed
        filter, the exact check (document_parts.py), for exact networks with
        weights."""
        spec, trace, weights = self.spec, self.trace, self.weights
        exact = spec.loss in EXACT_LOSSES and all(
            getattr(layer, "activation", None) is None or layer.activation.is_exact
            for layer in spec.network.layers
        )
        if weights is None or not exact:
            return []
        items = []
        has_targets = spec.data is not None and spec.data.has_targets
        if spec.data is not None and not has_targets:
            items += values_items(spec, trace, weights)
        items += composed_items(trace, weights)
        if has_targets:
            items += check_items(spec, trace, weights)
        return items


def read_parts(path: str | Path, *, max_terms: int = DEFAULT_MAX_TERMS) -> SpecParts:
    path = Path(path)
    spec = read_spec(path, max_terms=max_terms)
    trace = build_trace(spec.network, loss=spec.loss)
    own = beside(path)
    weights = (
        read_weight_file(own, spec.network).resolve(spec.network)
        if own.exists()
        else None
    )
    if weights is None and not spec.network.parameters:
        weights = ()
    has_targets = spec.data is not None and spec.data.has_targets
    derivation = Derivation(
        trace,
        spec.data if has_targets else None,
        weights if spec.network.parameters else None,
    )
    return SpecParts(path, spec, trace, weights, derivation, spec_style(spec))


def items_latex(items) -> str:
    """Each item a caption, then its display scaled down when wider than the text."""
    return "\n".join(
        f"\\noindent {caption}:\n\\[\n\\symcnnfit{{$\\displaystyle {math}$}}\n\\]"
        for _, caption, math in items
    )


def explore_link(path: Path) -> str:
    """The line that sends readers to the spec's explorer page (symcnn explore)."""
    command = f"symcnn explore {path.name} -o {path.stem}.html"
    return (
        "Every value's formula, editable weights and training in a browser: "
        f"\\texttt{{{escape_text(command)}}}"
    )


def as_parts(spec: str | Path | SpecParts, max_terms: int) -> SpecParts:
    """A spec file read for a document, or parts already read (kept as they are)."""
    if isinstance(spec, SpecParts):
        return spec
    return read_parts(spec, max_terms=max_terms)


def spec_section(
    spec: str | Path | SpecParts,
    *,
    width: float = PAGE_WIDTH,
    max_terms: int = DEFAULT_MAX_TERMS,
    per_neuron: bool = False,
) -> str:
    """One section of LaTeX for a spec file (and its `<name>-weights.toml`, if
    any), or for parts read_parts has read."""
    parts = as_parts(spec, max_terms)
    summary = summary_latex(parts.spec.network)
    sections = [
        f"\\section{{{escape_text(parts.title)}}}",
        # Ragged: a typewriter command has no stretchable space to justify a line.
        f"{{\\raggedright\\texttt{{{escape_text(parts.path.name)}}}. "
        f"{explore_link(parts.path)}\\par}}\n\n" + fit_table(summary),
        align(
            parts.derivation,
            width=parts.spec.latex.get("width", width),
            per_neuron=per_neuron,
            **parts.style,
        ),
    ]
    items = parts.items
    if items:
        sections.append(items_latex(items))
    return "\n\n".join(sections)


def require_pdflatex(*, beamer: bool = False) -> None:
    """Refuse (before any work) when pdflatex is not installed, or, for slides,
    Beamer (TeX's kpsewhich finds no beamer.cls)."""
    if shutil.which("pdflatex") is None:
        raise SymcnnError(
            "--pdf needs pdflatex, which is not installed, so nothing was written; "
            "install TeX Live (Debian: apt-get install texlive-latex-base), or leave "
            "out --pdf to write the .tex only and compile it elsewhere"
        )
    if beamer and not has_beamer():
        raise SymcnnError(
            "--beamer --pdf needs LaTeX's Beamer class, which is not installed, so "
            "nothing was written; install it (Debian: apt-get install "
            "texlive-latex-recommended texlive-pictures), or leave out --pdf to "
            "write the .tex only and compile it elsewhere"
        )


def has_beamer() -> bool:
    try:
        found = subprocess.run(
            ["kpsewhich", "beamer.cls"], capture_output=True, timeout=PDFLATEX_SECONDS
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return found.returncode == 0 and bool(found.stdout.strip())


#: pdflatex may read only the folder it runs in and TeX's own files (`p`: no
#: absolute paths, no `..`, no dot files) and write only there; no shell commands.
PDFLATEX_ENVIRONMENT = {"openin_any": "p", "openout_any": "p", "shell_escape": "f"}
PDFLATEX = (
    "pdflatex",
    "-no-shell-escape",
    "-interaction=nonstopmode",
    "-halt-on-error",
)


def pdf_bytes(latex: str, name: str = "the document", *, warn=None) -> bytes:
    """The PDF of the document `latex`, compiled by pdflatex in a private temporary
    folder (its .aux and .log go with it), restricted as PDFLATEX_ENVIRONMENT says and
    stopped after PDFLATEX_SECONDS. A failure is a SymcnnError naming `name` and
    quoting LaTeX's first error and the line it points to. `warn(text)` is called
    with each overfull_warnings line (a formula running off the page)."""
    require_pdflatex()
    with tempfile.TemporaryDirectory(prefix="symcnn-latex-") as work:
        (Path(work) / "document.tex").write_text(latex, encoding="utf-8")
        log, returncode = run_pdflatex(Path(work), name)
        pdf = Path(work) / "document.pdf"
        if returncode != 0 or not pdf.exists():
            raise SymcnnError(f"pdflatex failed on {name}:\n{latex_error(log)}")
        log_file = Path(work) / "document.log"
        if warn is not None and log_file.exists():
            full_log = log_file.read_text(encoding="utf-8", errors="replace")
            for text in overfull_warnings(latex, full_log, name):
                warn(text)
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
