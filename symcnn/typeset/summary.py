"""Shapes and parameter counts per layer (slide L8): text, Markdown, LaTeX or JSON."""

from __future__ import annotations

from dataclasses import dataclass

from ..model.layers import Conv2D, Dense, Pool2D
from ..model.network import Network
from .latex import escape_text

FORMATS = ("text", "markdown", "latex", "json")


@dataclass(frozen=True)
class LayerSummary:
    """One layer: output shape (channels, height, width), weights, biases, and the
    weight count as the lecture writes it (filters·channels·kh·kw = n)."""

    layer: str
    output_shape: tuple[int, int, int]
    weights: int
    biases: int
    arithmetic: str


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


def weight_arithmetic(layer, weights) -> str:
    """The count as the lecture writes it: filters·channels·kh·kw = n, inputs·units."""
    if isinstance(layer, Conv2D):
        factors = weights.shape
    elif isinstance(layer, Dense):
        factors = (weights.shape[1], weights.shape[0])
    else:
        return ""
    return "·".join(str(f) for f in factors) + f" = {weights.size}"


def summarize(network: Network) -> list[LayerSummary]:
    rows = [LayerSummary("input", network.shapes[0], 0, 0, "")]
    for number, layer in enumerate(network.layers, start=1):
        weights = network.weights[number - 1]
        biases = network.biases[number - 1]
        rows.append(
            LayerSummary(
                f"{number}: {layer_description(layer)}",
                network.shapes[number],
                weights.size,
                0 if biases is None else len(biases),
                weight_arithmetic(layer, weights),
            )
        )
    return rows


def shape_text(shape: tuple[int, int, int]) -> str:
    return f"{shape[0]} x {shape[1]}x{shape[2]}"


def summary_table(network: Network) -> tuple[list[str], list[list[str]]]:
    """Header and rows of strings, with a totals row."""
    rows = summarize(network)
    header = ["layer", "output", "weights", "biases"]
    body = [
        [r.layer, shape_text(r.output_shape), r.arithmetic or "0", str(r.biases)]
        for r in rows
    ]
    total_weights = sum(r.weights for r in rows)
    total_biases = sum(r.biases for r in rows)
    body.append(["total", "", str(total_weights), str(total_biases)])
    return header, body


def summary_text(network: Network) -> str:
    header, body = summary_table(network)
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip()
        for row in [header, *body]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def summary_markdown(network: Network) -> str:
    header, body = summary_table(network)
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in body]
    return "\n".join(lines)


def latex_math(text: str) -> str:
    """'4 x 6x6' -> '$4 \\times 6\\times 6$', '4·3·5·5 = 300' -> '$4\\cdot 3...$'."""
    if not text:
        return ""
    return (
        "$"
        + text.replace("·", r"\cdot ")
        .replace(" x ", r" \times ")
        .replace("x", r"\times ")
        + "$"
    )


def summary_latex(network: Network) -> str:
    """A booktabs-free tabular (plain LaTeX) with the same rows as the text table."""
    header, body = summary_table(network)
    lines = [
        r"\begin{tabular}{lrrr}",
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
    lines += [r"\hline", r"\end{tabular}"]
    return "\n".join(lines)


def summary_json(network: Network) -> dict:
    rows = summarize(network)
    return {
        "layers": [
            {
                "layer": r.layer,
                "output_shape": list(r.output_shape),
                "weights": r.weights,
                "biases": r.biases,
                "arithmetic": r.arithmetic,
            }
            for r in rows
        ],
        "total_weights": sum(r.weights for r in rows),
        "total_biases": sum(r.biases for r in rows),
    }
