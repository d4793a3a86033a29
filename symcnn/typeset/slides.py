"""Numbers on slides: step-by-step evaluation of one value (handcalcs style) and number
grids (images, filters, feature maps) as LaTeX matrices with cells highlighted.

Highlights use \\colorbox from the `color` package (in every LaTeX installation), so
a document needs only amsmath and color."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import sympy as sp

from ..errors import SymcnnError
from ..model.names import normalize
from ..prove.verify import forward_values
from ..symbolic.trace import Trace
from .latex import make_printer

#: Block colours for pooling windows (defined in documents by document.py).
BLOCK_COLORS = ("symcnnA", "symcnnB")
FIELD_COLOR = "symcnnA"
COLOR_DEFINITIONS = (
    r"\definecolor{symcnnA}{rgb}{1,0.85,0.5}"
    "\n"
    r"\definecolor{symcnnB}{rgb}{0.7,0.85,1}"
)


def row_of(trace: Trace, name: str):
    """The named row printed `name` (a_{11} or a_11), or a SymcnnError listing them."""
    wanted = normalize(name)
    for row in trace.equations():
        if normalize(trace.names[row.symbol].latex) == wanted:
            return row
    known = ", ".join(trace.names[row.symbol].latex for row in trace.equations())
    raise SymcnnError(
        f"{name!r} is not a named value of this network; the named values are: "
        f"{known or 'none (give a layer a `name`)'}"
    )


def step_trace(trace: Trace, weights: Sequence[sp.Rational], image, name: str) -> str:
    """'a_{11} = p_{11} w_{1} + p_{12} w_{2} = 0 \\\\cdot 1 + 1 \\\\cdot 1 = 1': the
    formula of one named value, then every symbol replaced by its number (products
    with \\\\cdot, nothing folded), then the value."""
    row = row_of(trace, name)
    values = forward_values(trace, weights, image)
    printer = make_printer(trace.names, "latex")
    formula = printer.doprint(trace.inline(row.expr))
    numbers = {symbol: values[symbol] for symbol in trace.inline(row.expr).free_symbols}
    with sp.evaluate(False):  # keep 0 * 1 + 1 * 1 as written
        filled = trace.inline(row.expr).xreplace(numbers)
    dotted = make_printer(trace.names, "latex", mul_symbol="dot").doprint(filled)
    lhs = printer.doprint(row.symbol)
    return f"{lhs} = {formula} = {dotted} = {printer.doprint(values[row.symbol])}"


def grid_latex(array, highlight: dict | None = None, names: dict | None = None) -> str:
    """A 2-D array as a bmatrix; `highlight` maps (i, j) to a colour name; `names`
    prints symbolic entries with their lecture names (a trace's names)."""
    highlight = highlight or {}
    printer = make_printer(names or {}, "latex")
    rows = []
    for i, row in enumerate(np.asarray(array, dtype=object)):
        cells = []
        for j, value in enumerate(row):
            cell = printer.doprint(
                value if isinstance(value, sp.Basic) else sp.Rational(value)
            )
            if (i, j) in highlight:
                cell = rf"\colorbox{{{highlight[(i, j)]}}}{{${cell}$}}"
            cells.append(cell)
        rows.append(" & ".join(cells))
    return "\\begin{bmatrix}\n" + " \\\\\n".join(rows) + "\n\\end{bmatrix}"


def pooling_blocks(shape: tuple[int, int], size: tuple[int, int]) -> dict:
    """Cells of each (n, m) pooling block, coloured in a checkerboard of blocks."""
    n, m = size
    return {
        (i, j): BLOCK_COLORS[(i // n + j // m) % 2]
        for i in range(shape[0] - shape[0] % n)
        for j in range(shape[1] - shape[1] % m)
    }


def receptive_field(
    position: tuple[int, int], kernel: tuple[int, int], stride: tuple[int, int] = (1, 1)
) -> dict:
    """The input cells a kernel reads for output (i, j) (0-based), highlighted."""
    (i, j), (kh, kw), (sh, sw) = position, kernel, stride
    return {(sh * i + u, sw * j + v): FIELD_COLOR for u in range(kh) for v in range(kw)}
