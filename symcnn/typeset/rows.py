"""Printed rows (section, lhs, rhs) laid out: one LaTeX `aligned` block, or text
lines under section headings; both broken at a width (linebreak.py)."""

from __future__ import annotations

from .linebreak import aligned_lines, text_lines


def rows_latex(rows, width: int | None = None, notes=()) -> str:
    """(section, lhs, rhs) rows as one aligned block, broken at `width`; `notes`
    (aligned lines such as activation definitions) end the block."""
    body = " \\\\\n".join(
        [line for _, lhs, rhs in rows for line in aligned_lines(lhs, rhs, width)]
        + list(notes)
    )
    return "\\begin{aligned}\n" + body + "\n\\end{aligned}"


def rows_text(rows, width: int | None = None, notes=()) -> str:
    """(section, lhs, rhs) rows under section headings, broken at `width`."""
    out, section = [], None
    for name, lhs, rhs in rows:
        if name != section:
            out.append(f"{name.capitalize()}:")
            section = name
        out += ["  " + line for line in text_lines(lhs, rhs, width and width - 2)]
    return "\n".join([*out, *notes])
