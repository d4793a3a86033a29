"""Formulas in a .tex (or Markdown) file: the math blocks with an `=`, joined where
lecture notes split a chain, checked one by one, and the file annotated with the
wrong terms underlined."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .aligned import equations_of
from .texmath import math_blocks
from .formulacheck import Checker
from .reading import PDF_CHARACTERS
from .texparse import ParseError

@dataclass
class Block:
    """One formula of a file: its first line, its text, where each piece of the text
    lies in the file ((offset in text, offset in file, length)) and where it ends."""

    line: int
    body: str
    pieces: list
    end: int

    def file_position(self, offset: int) -> int | None:
        """Where `offset` of the text lies in the file; None for a left side
        carried from the line above (it is not written on this line)."""
        for start, file_start, length in self.pieces:
            if start <= offset <= start + length:
                return file_start + offset - start
        return None

    def part(self, start: int, end: int, offset: int) -> list:
        """The pieces of text[start:end], as they would lie at `offset` of a text."""
        found = []
        for piece_start, file_start, length in self.pieces:
            low, high = max(start, piece_start), min(end, piece_start + length)
            if low < high:
                found.append((offset + low - start, file_start + low - piece_start,
                              high - low))  # fmt: skip
        return found


def continues(previous: str, following: str) -> bool:
    """Whether a math block goes on with the next one: the first ends with = + or -,
    and the second starts with an operator or (after "=") holds no "=" of its own
    (a PDF copy's U+2212 minus counts as "-")."""
    previous, following = (
        text.translate(PDF_CHARACTERS) for text in (previous, following)
    )
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
    line, counted = 1, 0  # lines counted as we go: counting from 0 is quadratic
    for match in math_blocks(tex):
        body, start = match.body, match.body_start
        body = body.rstrip().rstrip(".,;")  # a sentence's punctuation inside $...$
        line += tex.count("\n", counted, match.start)
        counted = match.start
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
            previous.end = match.end
        else:
            blocks.append(Block(line, body, [(0, start, len(body))], match.end))
    return rows_of(blocks, tex)


def rows_of(blocks: list[Block], tex: str) -> list[Block]:
    """Each block split into the equations its aligned lines write (aligned.py),
    each with the line of the file it starts on; the lines of the file counted as
    we go (the rows come in the order of the file). A block that starts in the
    middle of an equation (a Beamer frame continued) goes on with the last one."""
    rows, line, counted, lhs = [], 1, 0, ""
    for block in blocks:
        equations, lhs = equations_of(block.body, lhs)
        for equation in equations:
            if equation.continues and rows:
                row = rows[-1]
            elif not equation.carried and all(
                "=" not in block.body[start:end] for start, end in equation.spans
            ):
                continue  # $F_{NN}(P)$ in a frame's title: no equation
            else:
                start, end = equation.spans[0]
                text = block.body[start:end]
                first = block.file_position(start + len(text) - len(text.lstrip()))
                line += tex.count("\n", counted, first) if first > counted else 0
                counted = max(counted, first)
                row = Block(line, equation.carried, [], block.end)
                rows.append(row)
            for start, end in equation.spans:
                if row.body:
                    row.body += " "
                row.pieces += block.part(start, end, len(row.body))
                row.body += block.body[start:end]
            row.end = block.end
    return rows


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
            relevant[0].status == "not understood"
            and not names_network(checker, block.body)
        ):
            results.append((block, relevant))
    return results


def nothing_checked(tex: str, path: str, lines: tuple[int, int] | None) -> str:
    """Why `verify --tex` checked nothing (check_tex found no equation): the file has
    no math with an `=` (on `lines`), or none of its left sides is the network's."""
    found = [
        block
        for block in equations_in(tex)
        if not lines or lines[0] <= block.line <= lines[1]
    ]
    where = f"{path!r}" + (f" on lines {lines[0]}-{lines[1]}" if lines else "")
    if not found:
        return (
            f"{where} has no equations: no $...$, \\[...\\] or "
            "equation/align/gather environment with an `=` in it, so nothing was "
            "checked; give the file with the formulas, or --formula 'a_{11} = ...'"
        )
    return (
        f"none of the {len(found)} equation(s) in {where} has a left side this "
        "network names (a value such as a_{11}, F_{NN}(P) or L(w)), so nothing "
        "was checked; write the left side with the network's names"
    )


def names_network(checker: Checker, body: str) -> bool:
    """Whether the text before the first `=` is a value of the network: then a
    formula that fails to parse is reported as not understood, not skipped."""
    left = body.split("=", 1)[0]
    try:
        (lhs,) = checker.parse(left).result
    except (ParseError, ValueError):
        return False
    return checker.reader.names_value(lhs)


#: What may not lie inside \\underline{...}: an aligned line break or column.
BREAKS = re.compile(r"\\\\|&")


def underlinable(tex: str, start: int, end: int) -> list[tuple[int, int]]:
    """The pieces of tex[start:end] that may be underlined: split at `\\\\` and
    `&` (\\underline{a \\\\ & b} does not compile), blanks trimmed, and only those
    whose braces and \\left/\\right pair up."""
    pieces, low = [], start
    for match in [*BREAKS.finditer(tex, start, end), None]:
        high = match.start() if match else end
        text = tex[low:high]
        a, b = low + len(text) - len(text.lstrip()), low + len(text.rstrip())
        piece = tex[a:b]
        balanced = piece.count("{") == piece.count("}") and piece.count(
            "\\left"
        ) == piece.count("\\right")
        if a < b and balanced:
            pieces.append((a, b))
        low = match.end() if match else end
    return pieces


def annotate(tex: str, results) -> str:
    """The text with every wrong written term wrapped in \\underline{} and a
    `% symcnn:` comment after each wrong formula's line."""
    edits = []  # (file position, text to insert), applied from the end
    for block, verdicts in results:
        wrong = [v for v in verdicts if v.status == "wrong"]
        for verdict in wrong:
            for start, end in verdict.marks:
                where = block.file_position(start), block.file_position(end)
                if None in where:  # in a left side carried from the line above
                    continue
                for low, high in underlinable(tex, *where):
                    edits.append((low, "\\underline{"))
                    edits.append((high, "}"))
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
