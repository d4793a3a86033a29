"""The math of a .tex text, found as TeX finds it: hidden text blanked first (`%`
comments but `\\%`, verbatim and comment environments, `\\verb|...|`, `\\iffalse
... \\fi`, an escaped `\\$`), then one left-to-right scan of the delimiters `$`,
`$$`, `\\(...\\)`, `\\[...\\]` and the equation environments. Math left open, or
`$$` closed by `$`, is an error naming the line: a formula silently dropped would be
a formula silently passed (attack report A3, A4)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import SymcnnError

#: Environments whose body is math (with or without a star).
MATH_ENVIRONMENTS = ("equation", "align", "gather", "aligned", "multline", "eqnarray")

#: Text TeX does not typeset as formulas: each matched span is blanked (same length,
#: newlines kept, so places and line numbers stay those of the file). `\\\\` first,
#: so the `%` after a line break `\\\\%` is still a comment.
HIDDEN = re.compile(
    r"\\\\"
    r"|\\[$%]"
    r"|\\begin\{(verbatim\*?|comment|lstlisting)\}.*?(?:\\end\{\1\}|\Z)"
    r"|\\verb\*?([^a-zA-Z\s*]).*?(?:\2|$)"
    r"|\\iffalse(?![a-zA-Z]).*?(?:\\fi(?![a-zA-Z])|\Z)"
    r"|%[^\n]*",
    re.S | re.M,
)

_NAMES = "|".join(MATH_ENVIRONMENTS)
DELIMITER = re.compile(  # `\\` first: the line break of `\\[2pt]` opens nothing
    r"\\\\|\$\$|\$|\\\[|\\\]|\\\(|\\\)"
    rf"|\\begin\{{(?:{_NAMES})\*?\}}|\\end\{{(?:{_NAMES})\*?\}}"
)

CLOSING = {"$": "$", "$$": "$$", "\\[": "\\]", "\\(": "\\)"}


@dataclass(frozen=True)
class Math:
    """One math block of a file: its body, where the body starts, and where the block
    starts and ends (delimiters included)."""

    body: str
    body_start: int
    start: int
    end: int


def blanked(tex: str) -> str:
    """`tex` with its hidden text (HIDDEN) replaced by spaces, newlines kept."""

    def blank(match: re.Match) -> str:
        text = match.group()
        if text == "\\\\":
            return text
        return re.sub(r"[^\n]", " ", text)

    return HIDDEN.sub(blank, tex)


def math_blocks(tex: str):
    """Every math block of `tex` in order (a body is never empty). An environment
    nests (`\\begin{equation}\\begin{aligned} ... \\end{aligned}\\end{equation}`
    is one block; any math environment's end closes one level)."""
    text = blanked(tex)
    opened: re.Match | None = None
    depth = 0
    for match in DELIMITER.finditer(text):
        token = match.group()
        if token == "\\\\":
            continue
        if opened is None:
            if token.startswith("\\begin") or token in CLOSING:
                opened, depth = match, 1
            continue  # a closing outside math: not TeX's business here
        first = opened.group()
        if first.startswith("\\begin"):
            depth += token.startswith("\\begin") - token.startswith("\\end")
            if depth:
                continue
        elif first == "$$" and token == "$":
            raise SymcnnError(unbalanced(text, opened, "is closed by a single $"))
        elif token != CLOSING[first]:
            continue
        body = text[opened.end() : match.start()]
        if body.strip():
            yield Math(body, opened.end(), opened.start(), match.end())
        opened = None
    if opened is not None:
        raise SymcnnError(unbalanced(text, opened, "is never closed"))


def unbalanced(text: str, opened: re.Match, what: str) -> str:
    line = text.count("\n", 0, opened.start()) + 1
    token = opened.group()
    close = "\\end{...}" if token.startswith("\\begin") else CLOSING[token]
    return (
        f"the math {token} opened on line {line} {what}: close it with {close} "
        "(write \\$ for a dollar sign), so that no formula is skipped unread"
    )
