"""Lines wider than the page and frames taller than the slide, as pdflatex's log
reports them (Overfull \\hbox, \\vbox), told to the user by the section or frame
they are in: a PDF that compiles can still have a formula running off the slide,
and nobody reads a 4,000-line log.

TeX writes `Overfull \\hbox (13.2pt too wide) detected at line 4189` (display math,
the line of the source where the display ends) or `... in paragraph at lines 80--84`;
the heading is the last `\\section{...}` or `\\begin{frame}{...}` before that line.
"""

from __future__ import annotations

import re
from collections import defaultdict

#: A box this much too wide or less is not reported: TeX's own tolerance for a
#: visible overhang (its \hfuzz default is 0.1 pt; under 1 pt is invisible on a slide).
LEAST_OVERFULL_PT = 1.0
OVERFULL = re.compile(
    r"^Overfull \\(?P<box>[hv])box \((?P<size>\d+(?:\.\d+)?)pt too (?:wide|high)\) "
    r"(?:in paragraph at lines (?P<paragraph>\d+)--\d+|detected at line (?P<at>\d+))",
    re.MULTILINE,
)
#: What each kind of box says, and what the user can do about it.
TOO_BIG = {
    "h": (
        "too wide for the page (Overfull \\hbox), the widest by",
        "a smaller --width breaks formulas sooner, --per-neuron puts each neuron on "
        "a line of its own",
    ),
    "v": (
        "too tall for the frame (Overfull \\vbox: its last lines are cut off), by",
        "a larger --width makes fewer lines",
    ),
}
HEADING = re.compile(
    r"\\(?P<kind>section|subsection)\*?\{(?P<section>.*)\}"
    r"|\\begin\{frame\}(?:\[[^\]]*\])?\{(?P<frame>.*)\}"
)


def overfull_boxes(log: str) -> list[tuple[str, float, int]]:
    """("h" or "v", points too wide or too high, source line) of every Overfull
    \\hbox and \\vbox in `log` over LEAST_OVERFULL_PT."""
    boxes = []
    for match in OVERFULL.finditer(log):
        size = float(match["size"])
        if size > LEAST_OVERFULL_PT:
            line = int(match["paragraph"] or match["at"])
            boxes.append((match["box"], size, line))
    return boxes


def headings(latex: str) -> list[tuple[int, str]]:
    """(line number, `section "title"` or `frame "title"`) of every heading."""
    found = []
    for number, line in enumerate(latex.splitlines(), start=1):
        match = HEADING.search(line)
        if match is not None:
            title = match["frame"] if match["frame"] is not None else match["section"]
            kind = "frame" if match["frame"] is not None else match["kind"]
            found.append((number, f'{kind} "{title}"'))
    return found


def overfull_warnings(latex: str, log: str, name: str) -> list[str]:
    """One warning per heading and kind of box that runs past the page, the worst
    first: `warning: d.tex, frame "wide": 3 lines too wide for the page (Overfull
    \\hbox), the widest by 13.2 pt (source lines 763, 2106, 3347); ...` and the fix."""
    marks = headings(latex)
    grouped: dict[tuple[str, str], list[tuple[float, int]]] = defaultdict(list)
    for box, size, line in overfull_boxes(log):
        before = [title for number, title in marks if number <= line]
        heading = before[-1] if before else "the title page"
        grouped[(heading, box)].append((size, line))
    warnings = []
    worst_first = sorted(grouped.items(), key=lambda item: -max(item[1])[0])
    for (heading, box), boxes in worst_first:
        worst = max(size for size, _ in boxes)
        lines = ("source line " if len(boxes) == 1 else "source lines ") + ", ".join(
            str(line) for _, line in boxes[:5]
        )
        more = f" and {len(boxes) - 5} more" if len(boxes) > 5 else ""
        what, fix = TOO_BIG[box]
        count = "1 line" if len(boxes) == 1 else f"{len(boxes)} lines"
        if box == "v":
            count = "1 box" if len(boxes) == 1 else f"{len(boxes)} boxes"
        warnings.append(
            f"warning: {name}, {heading}: {count} {what} {worst:.1f} pt "
            f"({lines}{more}); {fix}"
        )
    return warnings
