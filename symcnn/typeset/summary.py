"""Shapes, parameter counts and mult-adds per layer (slide L8), as torchinfo prints
them: text, Markdown, LaTeX or JSON.

Everything is counted from the layers and their shapes in Python integers
(model/architecture.py), never from a Network's symbols: VGG16's summary takes a
fraction of a second. A Network or an Architecture summarizes the same way.

Memory is torchinfo 1.8's estimate, in float32 (4 bytes a value; symcnn itself
trains in float64): the input; the forward/backward pass, twice the outputs of every
layer with parameters (the value and its gradient; activations, pooling and Flatten
are not counted, as torchinfo does not count ReLU or pooling modules); the parameters.
Megabytes are 10^6 bytes, as torchinfo prints them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..model.architecture import bias_count, mult_adds, weight_count, weight_factors
from ..model.layers import Conv2D, Dense, Pool2D
from .text import escape_text

FORMATS = ("text", "markdown", "latex", "json")
#: float32, torchinfo's default dtype for `input_size`.
BYTES_PER_VALUE = 4


@dataclass(frozen=True)
class LayerSummary:
    """One layer: output shape (channels, height, width), weights, biases, the
    weight count as the lecture writes it (filters·channels·kh·kw = n) and the
    mult-adds torchinfo counts."""

    layer: str
    output_shape: tuple[int, int, int]
    weights: int
    biases: int
    arithmetic: str
    mult_adds: int = 0

    @property
    def parameters(self) -> int:
        return self.weights + self.biases


@dataclass(frozen=True)
class Totals:
    """The whole network: counts, and torchinfo's memory estimate in bytes."""

    weights: int
    biases: int
    mult_adds: int
    input_bytes: int
    pass_bytes: int

    @property
    def parameters(self) -> int:
        return self.weights + self.biases

    @property
    def params_bytes(self) -> int:
        return self.parameters * BYTES_PER_VALUE

    @property
    def total_bytes(self) -> int:
        return self.input_bytes + self.pass_bytes + self.params_bytes


def layer_description(layer) -> str:
    """'Conv2D 4 filters 5x5 (relu)', 'MaxPool2D 2x2', 'Dense 4', 'Flatten'."""
    if isinstance(layer, Conv2D):
        plural = "s" if layer.filters > 1 else ""
        text = (
            f"Conv2D {layer.filters} filter{plural} {layer.kernel[0]}x{layer.kernel[1]}"
        )
    elif isinstance(layer, Pool2D):
        text = f"{layer.kind} {layer.size[0]}x{layer.size[1]}"
    elif isinstance(layer, Dense):
        text = f"Dense {layer.units}"
    else:
        text = layer.kind
    activation = getattr(layer, "activation", None)
    if activation is not None and not activation.is_identity:
        text += f" ({activation.kind})"
    return text


def weight_arithmetic(layer, input_shape) -> str:
    """The count as the lecture writes it: filters·channels·kh·kw = n, inputs·units."""
    factors = weight_factors(layer, input_shape)
    if not factors:
        return ""
    return "·".join(str(f) for f in factors) + f" = {math.prod(factors):,}"


def summarize(network) -> list[LayerSummary]:
    """The input, then one row per layer, from `network.layers` and `.shapes` only."""
    shapes = network.shapes
    rows = [LayerSummary("input", shapes[0], 0, 0, "")]
    for number, layer in enumerate(network.layers, start=1):
        before, after = shapes[number - 1], shapes[number]
        rows.append(
            LayerSummary(
                f"{number}: {layer_description(layer)}",
                after,
                weight_count(layer, before),
                bias_count(layer),
                weight_arithmetic(layer, before),
                mult_adds(layer, before, after),
            )
        )
    return rows


def totals(rows: list[LayerSummary]) -> Totals:
    """Sums, and torchinfo's memory: input values, 2 x the outputs of every layer
    with parameters, each BYTES_PER_VALUE bytes."""
    outputs = sum(math.prod(r.output_shape) for r in rows[1:] if r.parameters)
    return Totals(
        weights=sum(r.weights for r in rows),
        biases=sum(r.biases for r in rows),
        mult_adds=sum(r.mult_adds for r in rows),
        input_bytes=math.prod(rows[0].output_shape) * BYTES_PER_VALUE,
        pass_bytes=2 * outputs * BYTES_PER_VALUE,
    )


def megabytes(count: int) -> str:
    return f"{count / 1e6:,.2f}"


def totals_lines(total: Totals) -> list[str]:
    """The lines torchinfo prints under its table, with the same numbers."""
    return [
        f"Total params: {total.parameters:,} (weights {total.weights:,}, "
        f"biases {total.biases:,})",
        f"Total mult-adds: {total.mult_adds:,}",
        f"Input size (MB): {megabytes(total.input_bytes)}",
        f"Forward/backward pass size (MB): {megabytes(total.pass_bytes)}",
        f"Params size (MB): {megabytes(total.params_bytes)}",
        f"Estimated Total Size (MB): {megabytes(total.total_bytes)} "
        f"(float32, {BYTES_PER_VALUE} bytes a value, as torchinfo)",
    ]


def shape_text(shape: tuple[int, int, int]) -> str:
    return f"{shape[0]} x {shape[1]}x{shape[2]}"


HEADER = ["layer", "output", "weights", "biases", "parameters", "mult-adds"]


def summary_table(network) -> tuple[list[str], list[list[str]], Totals]:
    """Header, rows of strings with a totals row, and the totals."""
    rows = summarize(network)
    total = totals(rows)
    body = [
        [
            r.layer,
            shape_text(r.output_shape),
            r.arithmetic or "0",
            f"{r.biases:,}",
            f"{r.parameters:,}",
            f"{r.mult_adds:,}",
        ]
        for r in rows
    ]
    counts = (total.weights, total.biases, total.parameters, total.mult_adds)
    body.append(["total", "", *(f"{count:,}" for count in counts)])
    return HEADER, body, total


def summary_text(network) -> str:
    header, body, total = summary_table(network)
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip()
        for row in [header, *body]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join([*lines, "", *totals_lines(total)])


def summary_markdown(network) -> str:
    header, body, total = summary_table(network)
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in body]
    return "\n".join([*lines, "", *(f"- {line}" for line in totals_lines(total))])


def latex_math(text: str) -> str:
    """'4 x 6x6' -> '$4 \\times 6\\times 6$', '4·3·5·5 = 300' -> '$4\\cdot 3...$',
    '1,728' -> '$1{,}728$' (a bare comma in math mode spaces like a list)."""
    if not text:
        return ""
    return (
        "$"
        + text.replace("·", r"\cdot ")
        .replace(" x ", r" \times ")
        .replace("x", r"\times ")
        .replace(",", "{,}")
        + "$"
    )


def summary_latex(network) -> str:
    """A booktabs-free tabular (plain LaTeX) with the same rows as the text table,
    then torchinfo's totals as a paragraph."""
    header, body, total = summary_table(network)
    lines = [
        r"\begin{tabular}{lrrrrr}",
        r"\hline",
        " & ".join(header) + r" \\",
        r"\hline",
    ]
    for label, *numbers in body:
        if label == "total":
            lines.append(r"\hline")
        # Labels are text: `leaky_relu` must not open a subscript.
        cells = [escape_text(label), *map(latex_math, numbers)]
        lines.append(" & ".join(cells) + r" \\")
    lines += [r"\hline", r"\end{tabular}", ""]
    lines.append(r" \\ ".join(escape_text(line) for line in totals_lines(total)))
    return "\n".join(lines)


def summary_json(network) -> dict:
    """Per layer and in total: weights, biases, parameters, mult-adds; memory in
    bytes (float32, as torchinfo)."""
    rows = summarize(network)
    total = totals(rows)
    return {
        "layers": [
            {
                "layer": r.layer,
                "output_shape": list(r.output_shape),
                "weights": r.weights,
                "biases": r.biases,
                "parameters": r.parameters,
                "mult_adds": r.mult_adds,
                "arithmetic": r.arithmetic,
            }
            for r in rows
        ],
        "total_weights": total.weights,
        "total_biases": total.biases,
        "total_parameters": total.parameters,
        "total_mult_adds": total.mult_adds,
        "memory_bytes": {
            "bytes_per_value": BYTES_PER_VALUE,
            "input": total.input_bytes,
            "forward_backward_pass": total.pass_bytes,
            "params": total.params_bytes,
            "total": total.total_bytes,
        },
    }
