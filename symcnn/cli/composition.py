"""derive --compose: the one convolution a stack of linear filters equals (slide L7),
as text, LaTeX or JSON, and the binary patch it answers most."""

from __future__ import annotations

import numpy as np

from ..files.spec import Spec
from ..symbolic.compose import compose, max_response
from ..symbolic.trace import build_trace
from ..typeset.latex import make_printer
from ..typeset.linebreak import text_lines
from ..typeset.slides import grid_latex
from .jsonout import json_text


def composition_text(spec: Spec, weights, fmt: str) -> str:
    """derive --compose: the composed kernel per filter and channel, its bias, and (with
    numbers) the binary patch with the largest response."""
    trace = build_trace(spec.network)
    composed = compose(trace, weights)
    show_text = make_printer(trace.names, "text").doprint
    best = []
    if weights is not None:
        best = [
            max_response(kernel, bias)
            for kernel, bias in zip(composed.kernel, composed.bias)
        ]
    if fmt == "json":
        return json_text(composition_json(composed, best, show_text), indent=2)
    lines = []
    for f, kernel in enumerate(composed.kernel):
        for c, channel in enumerate(kernel):
            lines += kernel_lines(f, c, channel, trace.names, fmt)
        lines.append(f"bias: {show_text(composed.bias[f])}")
        if best:
            r = best[f]
            rows = ["/".join("".join(row) for row in channel) for channel in r.pattern]
            lines.append(
                f"largest response to a binary patch: {r.value}, reached by {r.count} "
                f"patch(es): {' | '.join(rows)} (* = either)"
            )
    return "\n".join(lines)


def composition_json(composed, best, show_text) -> dict:
    return {
        "kernel": [
            [[[show_text(v) for v in row] for row in channel] for channel in kernel]
            for kernel in composed.kernel
        ],
        "bias": [show_text(b) for b in composed.bias],
        "max_response": [
            {
                "value": str(r.value),
                "patches": r.count,
                "pattern": [
                    "".join(row) for row in r.pattern.reshape(-1, r.pattern.shape[-1])
                ],
            }
            for r in best
        ],
    }


def kernel_lines(f: int, c: int, channel, names, fmt: str) -> list[str]:
    """Channel c of composed filter f: a LaTeX matrix, a grid of numbers, or one
    formula per entry."""
    show_text = make_printer(names, "text").doprint
    if fmt == "latex":
        return [f"K_{{{f + 1},{c + 1}}} = {grid_latex(channel, names=names)}"]
    if all(getattr(v, "is_Number", False) for v in channel.flat):
        cells = [[show_text(v) for v in row] for row in channel]
        width = max(len(cell) for row in cells for cell in row)
        return [f"Filter {f + 1}, channel {c + 1} of the composed kernel:"] + [
            "  " + " ".join(cell.rjust(width) for cell in row) for row in cells
        ]
    lines = []
    for (u, v), entry in np.ndenumerate(channel):
        name = f"K_{{{f + 1},{c + 1},{u + 1}{v + 1}}}"
        lines += text_lines(name, show_text(entry), 80)
    return lines
