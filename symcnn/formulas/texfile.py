"""Formulas in a .tex (or Markdown) file: the math blocks with an `=`, joined where
lecture notes split a chain, checked one by one, and the file annotated with the
wrong terms underlined."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .formulacheck import Checker
from .texparse import ParseError

MATH = re.compile(
    r"\$\$(.+?)\$\$|\\\[(.+?)\\\]|\$(.+?)\$"
    r"|\\begin\{(?:equation|align|gather)\*?\}(.+?)\\end\{(?:equation|align|gather)\*?\}",
    re.DOTALL,
)


@dataclass
class Block:
    """One formula of a file: its first line, its text, where each piece of the text
    lies in the file ((offset in text, offset in file, length)) and where it ends."""

    line: int
    body: str
    pieces: list
    end: int

    def file_position(self, offset: int) -> int:
        for start, file_start, length in self.pieces:
            if start <= offset <= start + length:
                return file_start + offset - start
        raise ValueError(offset)


def continues(previous: str, following: str) -> bool:
    """Whether a math block goes on with the next one: the first ends with = + or -,
    and the second starts with an operator or (after "=") holds no "=" of its own."""
    end = previous.rstrip()
    if not end.endswith(("=", "+", "-")):
        return False
    return following.startswith(("=", "+", "-")) or (
        end.endswith("=") and "=" not in following
    )


def equations_in(tex: str) -> list[Block]:
    """Every math block with an `=`; blocks that continue one another (see
    continues) are joined, as lecture notes split long chains."""
    blocks: list[Block] = []
    for match in MATH.finditer(tex):
        group = next(i for i, g in enumerate(match.groups(), start=1) if g is not None)
        body, start = match.group(group), match.start(group)
        body = body.rstrip().rstrip(".,;")  # a sentence's punctuation inside $...$
        line = tex.count("\n", 0, match.start()) + 1
        stripped = body.strip()
        if not stripped:
            continue
        lead = body.index(stripped[0])
        previous = blocks[-1] if blocks else None
        if previous and continues(previous.body, stripped):
            if previous.body.rstrip().endswith("=") and stripped.startswith("="):
                lead += 1  # one "=" for the two halves of "... = $$ $$ = ..."
            piece = body[lead:]
            offset = len(previous.body) + 1
            previous.body += " " + piece
            previous.pieces.append((offset, start + lead, len(piece)))
            previous.end = match.end()
        else:
            blocks.append(Block(line, body, [(0, start, len(body))], match.end()))
    return [block for block in blocks if "=" in block.body]


def check_tex(checker: Checker, tex: str, lines: tuple[int, int] | None = None):
    """(block, verdicts) for every equation of a .tex (or Markdown) text whose left
    side the network names (others are not about this network); `lines` keeps the
    blocks that start in that range."""
    results = []
    for block in equations_in(tex):
        if lines and not lines[0] <= block.line <= lines[1]:
            continue
        verdicts = checker.check(block.body, block.line)
        relevant = [v for v in verdicts if not v.reason.startswith("its left side")]
        if relevant and not (
            relevant[0].lhs == "?" and not names_network(checker, block.body)
        ):
            results.append((block, relevant))
    return results


def names_network(checker: Checker, body: str) -> bool:
    """Whether the text before the first `=` is a value of the network: then a
    formula that fails to parse is reported as not understood, not skipped."""
    left = body.split("=", 1)[0]
    try:
        (lhs,) = checker.parse(left).result
    except (ParseError, ValueError):
        return False
    return checker.reader.names_value(lhs)


def annotate(tex: str, results) -> str:
    """The text with every wrong written term wrapped in \\underline{} and a
    `% symcnn:` comment after each wrong formula's line."""
    edits = []  # (file position, text to insert), applied from the end
    for block, verdicts in results:
        wrong = [v for v in verdicts if v.status == "wrong"]
        for verdict in wrong:
            for start, end in verdict.marks:
                edits.append((block.file_position(start), "\\underline{"))
                edits.append((block.file_position(end), "}"))
        if wrong:
            line_end = tex.find("\n", block.end)
            line_end = len(tex) if line_end < 0 else line_end
            notes = "".join(
                f"\n% symcnn: {v.lhs} is wrong: " + "; ".join(v.differences)
                for v in wrong
            )
            edits.append((line_end, notes))
    for position, text in sorted(edits, key=lambda edit: edit[0], reverse=True):
        tex = tex[:position] + text + tex[position:]
    return tex
