"""Printed rows (section, lhs, rhs) laid out: one LaTeX `aligned` block, or text
lines under section headings; both broken at a width (linebreak.py)."""

from __future__ import annotations

from collections.abc import Iterator

from .linebreak import aligned_lines, text_lines, visible_length


def rows_latex(
    rows, width: float | None = None, notes=(), *, per_neuron: bool = False
) -> str:
    """(section, lhs, rhs) rows as one aligned block, no line wider than `width`
    digits as printed (its widest lhs sets the left column for all); `notes`
    (aligned lines such as activation definitions) end the block; `per_neuron`
    starts a line at every neuron of an outermost sum (linebreak.neuron_pieces)."""
    lefts = [lhs for _, lhs, _ in rows] + [note.split("&", 1)[0] for note in notes]
    column = max(map(visible_length, lefts), default=0)
    body = " \\\\\n".join(
        [
            line
            for _, lhs, rhs in rows
            for line in aligned_lines(
                lhs, rhs, width, lhs_width=column, per_neuron=per_neuron
            )
        ]
        + list(notes)
    )
    return "\\begin{aligned}\n" + body + "\n\\end{aligned}"


def rows_text(rows, width: int | None = None, notes=()) -> str:
    """(section, lhs, rhs) rows under section headings, broken at `width`."""
    return "\n".join(iter_rows_text(rows, width, notes))


def iter_rows_text(rows, width: int | None = None, notes=()) -> Iterator[str]:
    """rows_text's lines one at a time, each row laid out when it comes: `derive`
    writes them as they are printed."""
    section = None
    for name, lhs, rhs in rows:
        if name != section:
            yield f"{name.capitalize()}:"
            section = name
        for line in text_lines(lhs, rhs, width and width - 2):
            yield "  " + line
    yield from notes
