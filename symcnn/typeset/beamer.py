"""Beamer slides of a derivation: one idea per frame (a layer's equations, F_NN(P),
the loss), the generic form and the form with the weights put in as separate
labelled blocks, formulas broken to the slide's width as printed (linebreak.py).

Sizes are Beamer's defaults, measured with pdflatex (TeX Live 2022): a 128 mm x 96 mm
frame at 11 pt, text width 307.3 pt = 56 digits of the 10.95 pt math font
(SLIDE_WIDTH). Frames are filled by an estimate of each line's height; the body of
every frame is a \\vbox of the height the frame has below its title, so a frame
that is too tall is an "Overfull \\vbox" in pdflatex's log, as a line too wide is an
"Overfull \\hbox" (Beamer itself lets such content run off the slide silently).
Math is in Computer Modern (`onlymath` serif), the font glyphs.py measures.
"""

from __future__ import annotations

import re

from dataclasses import dataclass, replace

from ..model.names import Name
from .definitions import activation_definitions
from .document_parts import FIT_MACROS
from .derivation import Derivation
from .latex import escape_text, math_name, written_size
from .linebreak import aligned_lines, visible_length
from .slides import COLOR_DEFINITIONS
from .widths import SLIDE_WIDTH as SLIDE_WIDTH  # re-exported: beamer_document

#: The height a frame's body has below its title (\symcnnheight in PREAMBLE):
#: Beamer's \textheight (269.1 pt) less the 28.6 pt above the body's first line
#: and a margin of 7.4 pt at the foot.
BODY_POINTS = 233.0
#: Heights (pt) of an aligned line (measured 16.6), of one with a fraction or a
#: tall bracket (25.2), and of what a block adds: its title and the skips (35-38
#: around a narrow display, 51 around one as wide as the text: TeX's short skips).
#: Each frame's \vbox (see the module docstring) catches an estimate that is short.
LINE_POINTS = 17.0
TALL_LINE_POINTS = 26.0
#: A line with a superscript (w^{(1)}_{1,11}: 2.9 pt higher than a plain line).
RAISED_LINE_POINTS = 21.0
#: A fraction with a bracket or a power in its denominator (a sigmoid of a number:
#: \frac{1}{10 \left(1 + e^{- \frac{2199}{10000}}\right)}): measured 40-41 pt a line
#: (counted as TALL_LINE_POINTS, two frames of them ran 56 and 64 pt off the slide).
DEEP_FRACTION = re.compile(r"\\frac\{[^{}]*\}\{[^{}]*\\left")
DEEP_LINE_POINTS = 42.0
BLOCK_POINTS = 52.0
NARROW_BLOCK_POINTS = 40.0
#: A display this many digits narrower than the text gets TeX's short skips.
NARROW_BY = 8
#: A derivation written with more than this many symbols and operations (about
#: 30,000 LaTeX characters: 10 a symbol) shows long sums with \dots, ELIDE_TERMS.
ELIDE_SIZE = 3_000
ELIDE_TERMS = 4

#: What frames need, written before them when they are not a whole document (so
#: they paste into any Beamer deck; repeated, it changes nothing). Widths assume
#: Computer Modern math, Beamer's with \usefonttheme[onlymath]{serif}.
FRAME_DEFINITIONS = r"""% symcnn frames: formulas fit Computer Modern math, as with
% \usefonttheme[onlymath]{serif}; a frame too full is an Overfull \vbox in the log.
\providecommand{\symcnnheight}{\dimexpr\textheight-36pt\relax}
\makeatletter
\@ifundefined{symcnnbody}{\newenvironment{symcnnbody}%
  {\setbox0\vbox to \symcnnheight\bgroup}{\vfil\egroup\box0}}{}
\makeatother
"""

PREAMBLE = (
    r"""\documentclass[11pt]{beamer}
\usefonttheme[onlymath]{serif}
\setbeamertemplate{navigation symbols}{}
\usepackage{amsmath}
\usepackage{graphicx}
"""
    + FRAME_DEFINITIONS
    + r"""\newsavebox\symcnntall
% \symcnnfitheight{content}: content in a paragraph of the text width, scaled
% down when taller than a frame's body.
\newcommand{\symcnnfitheight}[1]{\sbox\symcnntall{\parbox[b]{\linewidth}{#1}}%
  \ifdim\dimexpr\ht\symcnntall+\dp\symcnntall\relax>\symcnnheight
  \resizebox*{!}{\dimexpr\textheight-38pt\relax}{\usebox\symcnntall}%
  \else\usebox\symcnntall\fi}
"""
    + COLOR_DEFINITIONS
    + "\n"
    + FIT_MACROS
)

#: Frame titles of the derivation's sections (a layer's equations: "Layer $a$").
TITLES = {
    "output": r"The output $F_{NN}(P)$",
    "output expanded": r"$F_{NN}(P)$ expanded to the pixels",
    "loss": r"The loss $L(w)$",
    "loss with images": r"The loss with the images put in",
}
GENERIC = "Generic form"
SUBSTITUTED = "With the weights put in"


@dataclass
class Idea:
    """One thing a frame explains: a title, the generic rows, the substituted ones."""

    title: str
    generic: list
    substituted: list


def line_points(line: str) -> float:
    if DEEP_FRACTION.search(line):
        return DEEP_LINE_POINTS
    if any(mark in line for mark in (r"\frac", r"\left", r"\sum", r"\sqrt")):
        return TALL_LINE_POINTS
    return RAISED_LINE_POINTS if "^" in line else LINE_POINTS


def layer_title(trace, symbol) -> str:
    name = trace.names[symbol]
    return f"Layer ${math_name(Name(name.letter, (), name.layer))}$"


def ideas(derivation: Derivation, **style) -> list[Idea]:
    """The derivation's rows grouped by idea, each with its substituted rows."""
    trace = derivation.trace
    generic = replace(derivation, weights=None).lines("latex", **style)
    found: dict[str, Idea] = {}
    equations = iter(trace.equations())
    for section, lhs, rhs in generic:
        key = section
        if section == "equations":
            key = layer_title(trace, next(equations).symbol)
        title = TITLES.get(key, key)
        found.setdefault(key, Idea(title, [], [])).generic.append((key, lhs, rhs))
    if derivation.weights is not None:
        rows = [
            row for row in derivation.lines("latex", **style) if row[0] != "equations"
        ]
        equation_rows = iter(trace.equations())
        for _, lhs, rhs in (r for r in rows if r[0] == "with weights"):
            key = substituted_key(lhs, found)
            if key == "equations":
                key = layer_title(trace, next(equation_rows).symbol)
            found.setdefault(key, Idea(TITLES.get(key, key), [], []))
            found[key].substituted.append((key, lhs, rhs))
    return list(found.values())


def substituted_key(lhs: str, found: dict) -> str:
    if lhs.startswith("F_{NN}"):
        return "output" if "output" in found else "output expanded"
    if lhs == "L(w)":
        return "loss"
    return "equations"


def block_pieces(rows, width: float, per_neuron: bool) -> list[list[str]]:
    """Each row's printed lines (one left column for the whole idea)."""
    return [
        aligned_lines(lhs, rhs, width, lhs_width=column(rows), per_neuron=per_neuron)
        for _, lhs, rhs in rows
    ]


def column(rows) -> float:
    return max((visible_length(lhs) for _, lhs, _ in rows), default=0.0)


def block_latex(label: str, lines: list[str]) -> str:
    body = " \\\\\n".join(lines)
    return (
        f"\\begin{{block}}{{{label}}}\n\\[\n\\begin{{aligned}}\n{body}\n"
        "\\end{aligned}\n\\]\n\\end{block}"
    )


def display_width(rows: list[list[str]], column: float) -> float:
    """The widest line of an aligned block: the left column, then the rest."""
    rests = [line.split("&", 1)[1] for row in rows for line in row]
    return column + max((visible_length(rest) for rest in rests), default=0.0)


def block_points(rows: list[list[str]], column: float, width: float) -> float:
    narrow = display_width(rows, column) < width - NARROW_BY
    return NARROW_BLOCK_POINTS if narrow else BLOCK_POINTS


def paginate(blocks: list[tuple[str, list[list[str]], float]]) -> list[list[str]]:
    """Blocks (label, lines per row) laid into frames: a row moves whole to the
    next frame when it fits there, else it is cut between its lines; a block
    continued on the next frame keeps its label."""
    frames: list[list[str]] = []
    current: list[str] = []
    room = BODY_POINTS
    fresh = BODY_POINTS - BLOCK_POINTS
    for label, rows, block in blocks:
        if not rows:
            continue
        first = sum(map(line_points, rows[0]))
        if room < block + min(first, fresh):
            frames.append(current)
            current, room = [], BODY_POINTS
        lines: list[str] = []
        room -= block
        for row in rows:
            height = sum(map(line_points, row))
            for number, line in enumerate(row):
                cut = line_points(line) > room or (
                    number == 0 and height > room and height <= fresh
                )
                if lines and cut:
                    current.append(block_latex(label, lines))
                    frames.append(current)
                    current, lines, room = [], [], fresh
                lines.append(line)
                room -= line_points(line)
        current.append(block_latex(label, lines))
    frames.append(current)
    return [frame for frame in frames if frame]


def is_long(derivation: Derivation, *, expanded: bool = False) -> bool:
    """The derivation's formulas are written with more than ELIDE_SIZE symbols and
    operations (counted, not printed: slide L8's F_NN prints 600,000 characters)."""
    forms = [rhs for _, rhs in derivation.equations()] + derivation.output()
    if expanded:
        forms += derivation.output(expanded=True)
    return sum(map(written_size, forms)) > ELIDE_SIZE


def frame_latex(title: str, blocks: list[str]) -> str:
    return (
        f"\\begin{{frame}}{{{title}}}\n\\begin{{symcnnbody}}\n"
        + "\n".join(blocks)
        + "\n\\end{symcnnbody}\n\\end{frame}"
    )


def derivation_frames(
    derivation: Derivation,
    *,
    width: float = SLIDE_WIDTH,
    per_neuron: bool = False,
    expanded: bool = False,
    elide: int | None = None,
    mul_symbol: str | None = None,
) -> str:
    """Every idea of the derivation as frames, formulas at most `width` digits wide;
    `per_neuron` starts a line at every neuron of an outermost sum."""
    if elide is None and is_long(derivation, expanded=expanded):
        elide = ELIDE_TERMS
    style = dict(expanded=expanded, elide=elide, mul_symbol=mul_symbol)
    found = ideas(derivation, **style)
    frames = []
    for idea in found:
        rows = idea.generic + idea.substituted
        pieces = block_pieces(rows, width, per_neuron)
        parts = [pieces[: len(idea.generic)], pieces[len(idea.generic) :]]
        blocks = [
            (label, part, block_points(part, column(rows), width))
            for label, part in zip((GENERIC, SUBSTITUTED), parts)
        ]
        pages = paginate(blocks)
        for number, blocks_latex in enumerate(pages):
            title = idea.title + (" (continued)" if number else "")
            frames.append(frame_latex(title, blocks_latex))
    notes = activation_definitions(derivation.trace.network, "latex")
    if notes:
        body = " \\\\\n".join(notes)
        frames.append(
            frame_latex(
                "The activations",
                [f"\\[\n\\begin{{aligned}}\n{body}\n\\end{{aligned}}\n\\]"],
            )
        )
    return "\n\n".join(frames)


def beamer_document(body: str, title: str = "") -> str:
    """A compilable Beamer document around frames."""
    heading = f"\\title{{{escape_text(title)}}}\n" if title else ""
    opening = "\\begin{frame}\n\\titlepage\n\\end{frame}\n" if title else ""
    return (
        PREAMBLE
        + heading
        + "\\begin{document}\n"
        + opening
        + body
        + "\n\\end{document}\n"
    )
