r"""The lines of an aligned block as the equations they write, as `symcnn derive`
prints them (and lecturers type them):

    a_{11} &= p_{11} w_{1} + p_{12} w_{2} \\        one equation a line
    F_{NN}(P) &= b_{0} + w_{1,0} f(...) \\
    &\quad {}+ w_{2,0} f(...) \\                  a line that goes on: joined
                                                 (a blank left column, no "=")
    &= 0 \\                                      "&=": the left side carried
    \text{where } f(x) &= \max(0, x)             a note: not an equation

Lines end at `\\` outside braces and outside inner environments (the `\\` of a
`cases` block is not a line's end); the left column ends at the line's first `&`.
Each equation is a list of spans of the body, with the left side to put before them
when it is carried (see texfile.py, which maps the spans back into the file).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Environments whose `\\` ends a line of equations (the others, cases or matrix,
#: hold their own rows inside one formula).
ROW_ENVIRONMENTS = {
    "aligned", "align", "align*", "split", "gathered", "gather", "gather*",
    "multline", "multline*", "eqnarray", "eqnarray*", "equation", "equation*",
}  # fmt: skip
SCAN = re.compile(
    r"\\begin\{(?P<begin>[A-Za-z*]+)\}|\\end\{(?P<end>[A-Za-z*]+)\}"
    r"|(?P<newline>\\\\(?:\[[^\]]*\])?)|(?P<amp>&)|\\[A-Za-z]+|\\.|(?P<brace>[{}])"
)
#: What may stand between a line's `&` and its first sign: spacing and `{}`.
LEADING = re.compile(r"(?:\s|\\quad|\\qquad|\\[,;:!]|\{\})*")
NOTE = re.compile(r"\s*\\text\{\s*where\b")


@dataclass
class Equation:
    """One equation of a block: `spans` of the body, in order; the left side
    carried from the line above (`&= ...` lines), or "" when it has its own;
    `continues`: the block starts in the middle of the equation before it (a
    Beamer frame "continued" from the last one)."""

    spans: list
    carried: str = ""
    continues: bool = False


def lines_of(body: str) -> list[tuple[int, int, int | None]]:
    """(start, end, position of the first `&` or None) of each line of `body`."""
    lines, start, amp, depth, environments = [], 0, None, 0, []
    for match in SCAN.finditer(body):
        kind = match.lastgroup
        at_rows = depth == 0 and (
            not environments or environments[-1] in ROW_ENVIRONMENTS
        )
        if kind in ("begin", "end") and match.group(kind) in ROW_ENVIRONMENTS:
            # \begin{aligned} and \end{aligned} stand between lines, in none
            lines.append((start, match.start(), amp))
            start, amp = match.end(), None
        if kind == "begin":
            environments.append(match.group("begin"))
        elif kind == "end":
            if environments:
                environments.pop()
        elif kind == "brace":
            depth += 1 if match.group() == "{" else -1
        elif kind == "amp" and at_rows and amp is None:
            amp = match.start()
        elif kind == "newline" and at_rows:
            lines.append((start, match.start(), amp))
            start, amp = match.end(), None
    lines.append((start, len(body), amp))
    return lines


def equations_of(body: str, lhs: str = "") -> tuple[list[Equation], str]:
    """The equations the lines of `body` write (see the module docstring), and the
    left side a next block's `&= ...` would carry; `lhs` is the one the block
    before left."""
    equations: list[Equation] = []
    current: Equation | None = None
    for start, end, amp in lines_of(body):
        text = body[start:end]
        if not text.strip() or NOTE.match(text):
            current = None if text.strip() else current
            lhs = "" if text.strip() else lhs
            continue
        left = body[start:amp] if amp is not None else ""
        blank = not left.strip()
        rest_start = amp + 1 if amp is not None and blank else start
        rest = body[rest_start:end]
        lead = LEADING.match(rest).end()
        sign = rest[lead : lead + 1]
        if blank and sign != "=" and (current is not None or amp is not None):
            # "&\quad {}+ ..." and "&\quad {}w_{11,1}" (a break between factors)
            if current is None:
                current = Equation([], continues=True)
                equations.append(current)
            current.spans.append((rest_start, end))
        elif blank and sign == "=" and lhs:
            current = Equation([(rest_start, end)], carried=lhs)
            equations.append(current)
        else:
            current = Equation([(start, end)])
            equations.append(current)
            lhs = left.strip() if not blank else text.split("=", 1)[0].strip()
    return equations, lhs
