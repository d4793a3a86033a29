"""Breaking long formulas for slides: at `+` and `-`, the operator starting the next
line, as slide L3 does; the outermost sum that helps first.

Works on the printed LaTeX of one right-hand side, whose term order is already the
lecture's. A break may fall at a top-level `+`/`-` or inside plain parentheses (the
lecture printer writes `f(...)` with plain parentheses, which may open on one line and
close on a later one); never inside braces (`\\frac{}{}`, subscripts) or between
`\\left(` and `\\right)`, which must stay on one line. Width is counted in visible
characters (see visible_length), not in LaTeX source characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: A continuation line starts with this, then the operator: `&\quad {}+ w_{2,0} ...`
#: ({} makes the operator binary, so its spacing is that of the unbroken formula).
CONTINUATION = r"&\quad {}"
#: A line is good enough at the shallowest depth once it fills this share of the width.
GOOD_FILL = 0.5


SHOWN_COMMANDS = {"max": 3, "min": 3, "tanh": 4, "dots": 3, "cdot": 1}
HIDDEN_COMMANDS = {"left", "right", "mathopen", "mathclose", "operatorname", "quad"}


def visible_weights(latex: str) -> list[int]:
    """How many rendered characters each source character stands for: a command
    counts as what it shows (\\max as 3, a Greek letter as 1) at its backslash,
    braces, _ and ^ count nothing."""
    weights = [0 if char in "{}_^" else 1 for char in latex]
    for match in re.finditer(r"\\([a-zA-Z]+)", latex):
        name = match.group(1)
        shown = 0 if name in HIDDEN_COMMANDS else SHOWN_COMMANDS.get(name, 1)
        weights[match.start() : match.end()] = [shown] + [0] * (len(name))
    return weights


def visible_length(latex: str) -> int:
    """Roughly the rendered width of `latex` in characters (see visible_weights)."""
    return sum(visible_weights(latex.strip()))


@dataclass(frozen=True)
class Candidate:
    """A place to break: the index of the space before `+` or `-`, and how many plain
    parentheses are open there."""

    position: int
    depth: int


def candidates(latex: str) -> list[Candidate]:
    found, depth, braces, locked = [], 0, 0, 0
    index = 0
    while index < len(latex):
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
        index += 1
    return found


def choose(fitting: list[Candidate], line_length, width: int) -> Candidate:
    """The shallowest break that fills the line well enough, else the farthest."""
    for depth in sorted({c.depth for c in fitting}):
        farthest = max(
            (c for c in fitting if c.depth == depth), key=lambda c: c.position
        )
        if line_length(farthest) >= GOOD_FILL * width:
            return farthest
    return max(fitting, key=lambda c: c.position)


def break_lines(
    latex: str, width: int, *, first_width: int | None = None, measure=None
) -> list[str]:
    """`latex` cut into lines of at most `width` characters (visible characters, or
    source characters with measure=len; the first line `first_width`, to leave room
    for `lhs =`); every line after the first starts with its operator. A piece with
    no break inside stays whole, even when it is too wide. Linear in the length:
    widths come from prefix sums (the L8 formula has over a million characters)."""
    weights = [1] * len(latex) if measure is len else visible_weights(latex)
    prefix = [0]
    for weight in weights:
        prefix.append(prefix[-1] + weight)
    points = candidates(latex)
    lines, start, next_point = [], 0, 0
    limit = first_width or width
    while prefix[-1] - prefix[start] > limit:
        while next_point < len(points) and points[next_point].position <= start:
            next_point += 1
        if next_point == len(points):
            break

        def line_length(cut: Candidate, start=start) -> int:
            return prefix[cut.position] - prefix[start]

        fitting = []
        for candidate in points[next_point:]:
            if line_length(candidate) > limit:
                break
            fitting.append(candidate)
        cut = choose(fitting, line_length, limit) if fitting else points[next_point]
        lines.append(latex[start : cut.position])
        start = cut.position + 1
        limit = width
    lines.append(latex[start:])
    return lines


def aligned_lines(lhs: str, rhs: str, width: int | None) -> list[str]:
    """`lhs &= rhs` as one or more lines of an aligned block (joined by \\\\)."""
    if width is None:
        return [f"{lhs} &= {rhs}"]
    first_width = max(width - visible_length(lhs) - 3, 10)
    pieces = break_lines(rhs, width - 4, first_width=first_width)
    return [f"{lhs} &= {pieces[0]}"] + [
        f"{CONTINUATION}{piece}" for piece in pieces[1:]
    ]


def text_lines(lhs: str, rhs: str, width: int | None) -> list[str]:
    """The same breaking for plain text: continuation lines indented under the `=`."""
    if width is None:
        return [f"{lhs} = {rhs}"]
    indent = " " * (len(lhs) + 1)
    pieces = break_lines(
        rhs, width - len(indent), first_width=width - len(lhs) - 3, measure=len
    )
    return [f"{lhs} = {pieces[0]}"] + [f"{indent}{piece}" for piece in pieces[1:]]
