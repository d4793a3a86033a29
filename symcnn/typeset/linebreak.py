"""Breaking long formulas for slides: at `+` and `-`, the operator starting the next
line, as slide L3 does; the outermost sum that helps first.

Works on the printed LaTeX of one right-hand side, whose term order is already the
lecture's. A break may fall at a top-level `+`/`-` or inside plain parentheses (the
lecture printer writes `f(...)` with plain parentheses, which may open on one line and
close on a later one), also inside `\\left( \\right)` (each line's delimiters then
balanced with `\\right.` and `\\left.`); never inside braces (`\\frac{}{}`,
subscripts) or other `\\left`/`\\right` pairs, which must stay on one line. Width
is measured as printed, in digits (glyphs.py: Computer Modern glyph widths,
subscripts at script size), not in LaTeX source characters; plain text counts
characters.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .glyphs import digit_widths, digits

#: A continuation line starts with this, then the operator: `&\quad {}+ w_{2,0} ...`
#: ({} makes the operator binary, so its spacing is that of the unbroken formula).
CONTINUATION = r"&\quad {}"
#: A line is good enough at the shallowest depth once it fills this share of the width.
GOOD_FILL = 0.5


#: A last line shorter than this share of the width, with no break of its own (a
#: lone `+ b^{(1)}_{1}`), takes the term before it along.
SHORT_TAIL = 0.25


def visible_weights(latex: str) -> list[float]:
    """The printed width of each source character of `latex`, in digits (glyphs.py):
    each top-level piece's width sits at its first character."""
    return digit_widths(latex)


def visible_length(latex: str) -> float:
    """The printed width of `latex` in digits: the width of a `0` is 1 (glyphs.py)."""
    return digits(latex.strip())


@dataclass(frozen=True)
class Candidate:
    """A place to break: the index of the space before `+` or `-` (or after a comma
    between a function's arguments, `\\max(f(a_{11}), f(a_{12}), ...)`), and how many
    plain parentheses are open there."""

    position: int
    depth: int
    comma: bool = False


def candidates(latex: str) -> list[Candidate]:
    found, depth, braces, locked = [], 0, 0, 0
    index = 0
    while index < len(latex):
        if latex.startswith((r"\left(", r"\right)"), index):
            # Parentheses like plain ones: the `(` or `)` is counted next; a line
            # that breaks inside is closed with \right. (balanced_delimiters).
            index += 5 if latex[index + 1] == "l" else 6
            continue
        if latex.startswith(r"\left", index):
            locked += 1
            index += 5
            continue
        if latex.startswith(r"\right", index):
            locked -= 1
            index += 6
            continue
        char = latex[index]
        if char == "{":
            braces += 1
        elif char == "}":
            braces -= 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif (
            char == " "
            and latex[index + 1 : index + 3] in ("+ ", "- ")
            and braces == 0
            and locked == 0
            and index > 0
        ):
            found.append(Candidate(index, depth))
        elif (
            char == ","
            and latex[index + 1 : index + 2] == " "
            and depth > 0
            and braces == 0
            and locked == 0
        ):
            found.append(Candidate(index + 1, depth, comma=True))
        index += 1
    return found


def choose(fitting: list[Candidate], line_length, width: float) -> Candidate:
    """The shallowest break that fills the line well enough (so a break inside
    `f(...)` is taken only when no break outside it fills half a line), else the
    farthest."""
    for depth in sorted({c.depth for c in fitting}):
        farthest = max(
            (c for c in fitting if c.depth == depth), key=lambda c: c.position
        )
        if line_length(farthest) >= GOOD_FILL * width:
            return farthest
    return max(fitting, key=lambda c: c.position)


def prefix_sums(latex: str, measure=None) -> list[float]:
    weights = [1] * len(latex) if measure is len else visible_weights(latex)
    prefix = [0.0]
    for weight in weights:
        prefix.append(prefix[-1] + weight)
    return prefix


def break_lines(
    latex: str, width: float, *, first_width: float | None = None, measure=None
) -> list[str]:
    """`latex` cut into lines at most `width` digits wide as printed (glyphs.py; or
    `width` source characters with measure=len; the first line `first_width`, to
    leave room for `lhs =`); every line after the first starts with its operator.
    Where no `+`, `-` or comma fits, LaTeX lines break between two factors of a
    product (product_points); a piece with no break at all stays whole, even when
    it is too wide (document --pdf then warns: overfull.py), and a last
    line that would hold one short term alone (SHORT_TAIL) takes the term before it
    along. Linear in the length: widths come from prefix sums (the L8 formula has
    over a million characters)."""
    prefix = prefix_sums(latex, measure)
    points = candidates(latex)
    products = [] if measure is len else product_points(latex)
    lines, start, next_point = [], 0, 0
    limit = first_width or width
    while prefix[-1] - prefix[start] > limit:
        while next_point < len(points) and points[next_point].position <= start:
            next_point += 1

        def line_length(cut: Candidate, start=start) -> float:
            return prefix[cut.position] - prefix[start]

        fitting = []
        for candidate in points[next_point:]:
            if line_length(candidate) > limit:
                break
            fitting.append(candidate)
        if not fitting:  # no +, - or comma fits: between two factors, if one does
            upto = points[next_point].position if next_point < len(points) else None
            last = last_product(products, prefix, start, limit, upto)
            if last is not None:
                lines.append(latex[start:last])
                start = last + 1
                limit = width
                continue
        if next_point == len(points):
            break
        cut = choose(fitting, line_length, limit) if fitting else points[next_point]
        if cut is points[-1] and len(fitting) > 1 and cut is fitting[-1]:
            tail = prefix[-1] - prefix[cut.position]
            if tail < SHORT_TAIL * width:
                cut = fitting[-2]
        lines.append(latex[start : cut.position])
        start = cut.position + 1
        limit = width
    lines.append(latex[start:])
    return lines


def product_points(latex: str) -> list[int]:
    """The spaces between two factors of a product outside braces and other
    `\\left`/`\\right` pairs (`\\frac{3}{10} \\sigma(...)`, `f(x) w_{1}`): the last
    resort of break_lines, for a line with no `+`, `-` or comma that fits (17-digit
    weights: `\\frac{10869342890397189}{50000000000000000} \\sigma\\left(...`)."""
    found, braces, locked, index = [], 0, 0, 0
    while index < len(latex):
        if latex.startswith((r"\left(", r"\right)"), index):
            index += 5 if latex[index + 1] == "l" else 6
            continue
        if latex.startswith((r"\left", r"\right"), index):
            locked += 1 if latex[index + 1] == "l" else -1
            index += 5 if latex[index + 1] == "l" else 6
            continue
        char = latex[index]
        braces += (char == "{") - (char == "}")
        if (
            char == " "
            and braces == 0
            and locked == 0
            and 0 < index < len(latex) - 1
            and (latex[index - 1] in "})" or latex[index - 1].isalnum())
            and (latex[index + 1] in "\\(" or latex[index + 1].isalpha())
            and not latex[: index].endswith((r"\cdot", r"\dots", r"\quad"))
            and not latex.startswith((r"\cdot", r"\dots"), index + 1)
        ):
            found.append(index)
        index += 1
    return found


def last_product(products, prefix, start, limit, upto) -> int | None:
    """The farthest product_points position after `start` (and before `upto`) whose
    line fits in `limit`; None when there is none."""
    first = bisect.bisect_right(products, start)
    stop = len(products) if upto is None else bisect.bisect_left(products, upto)
    best = None
    for position in products[first:stop]:
        if prefix[position] - prefix[start] > limit:
            break
        best = position
    return best


#: An activation applied, as latex.py prints them: a neuron's mark.
NEURON = re.compile(
    r"(?:^|[\s{(])(?:f|f'|\\sigma|\\tanh|\\max|\\min|\\operatorname\{[A-Za-z']+\})\("
)


def neuron_pieces(latex: str) -> list[str]:
    """`latex` cut before every term of its outermost sum when two or more of the
    terms are neurons (apply an activation: `w_{1,0} f(...)`); a term that is no
    neuron (a bias) stays with its neighbour. [latex] when it is not such a sum."""
    points = [point for point in candidates(latex) if not point.comma]
    if not points:
        return [latex]
    outermost = min(point.depth for point in points)
    cuts = [p.position for p in points if p.depth == outermost]
    bounds = [0, *(cut + 1 for cut in cuts)]
    terms = [latex[a:b].strip() for a, b in zip(bounds, [*cuts, len(latex)])]
    neurons = [bool(NEURON.search(term)) for term in terms]
    if sum(neurons) < 2:
        return [latex]
    pieces: list[str] = []
    previous = False
    for term, neuron in zip(terms, neurons):
        if pieces and not (neuron and previous):
            pieces[-1] = f"{pieces[-1]} {term}"
        else:
            pieces.append(term)
        previous = previous or neuron
    return pieces


def aligned_lines(
    lhs: str,
    rhs: str,
    width: float | None,
    *,
    lhs_width: float | None = None,
    per_neuron: bool = False,
) -> list[str]:
    """`lhs &= rhs` as one or more lines of an aligned block (joined by \\\\), each
    at most `width` digits wide as printed. `lhs_width` is the width of the block's
    left column (its widest lhs; this lhs's own by default). With `per_neuron`,
    every neuron of the outermost sum starts a line (neuron_pieces)."""
    if width is None and not per_neuron:
        return [f"{lhs} &= {rhs}"]
    column = visible_length(lhs) if lhs_width is None else lhs_width
    first = (width or 0) - column - visible_length("=")
    later = (width or 0) - column - visible_length(r"\quad")
    pieces = []
    for number, piece in enumerate(neuron_pieces(rhs) if per_neuron else [rhs]):
        if width is None:
            pieces.append(piece)
            continue
        pieces += break_lines(piece, later, first_width=later if number else first)
    pieces = balanced_delimiters(pieces)
    return [f"{lhs} &= {pieces[0]}"] + [
        f"{CONTINUATION}{piece}" for piece in pieces[1:]
    ]


def balanced_delimiters(lines: list[str]) -> list[str]:
    """Lines broken inside `\\left( ... \\right)` each made whole for TeX, which
    refuses a \\left without its \\right on the same line of an aligned block:
    a line that leaves n open ends with n `\\right.` (invisible), and the next
    starts with n `\\left.` and `{}` (the operator after it stays binary)."""
    balanced, still_open = [], 0
    for line in lines:
        opened = still_open + line.count(r"\left(") - line.count(r"\right)")
        start = r"\left." * still_open + ("{}" if still_open else "")
        balanced.append(start + line + r"\right." * opened)
        still_open = opened
    return balanced


def text_lines(lhs: str, rhs: str, width: int | None) -> list[str]:
    """The same breaking for plain text: continuation lines indented under the `=`."""
    if width is None:
        return [f"{lhs} = {rhs}"]
    indent = " " * (len(lhs) + 1)
    pieces = break_lines(
        rhs, width - len(indent), first_width=width - len(lhs) - 3, measure=len
    )
    return [f"{lhs} = {pieces[0]}"] + [f"{indent}{piece}" for piece in pieces[1:]]
