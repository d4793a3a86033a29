"""The lines that say what the printed names of activations mean ("where f = ReLU,
f(x) = max(0, x)"), one per distinct activation of a network, in text and LaTeX.

The definitions themselves live with each activation (Activation.definition); this
module only lays them out, once per kind and slope, in layer order.
"""

from __future__ import annotations

from ..model.network import Network


def activation_definitions(network: Network, fmt: str = "text") -> list[str]:
    """'f = ReLU, f(x) = max(0, x)', 'sigma(x) = 1 / (1 + e^(-x))', ... (text), or
    'f = \\operatorname{ReLU},\\ f(x) &= \\max(0, x)' rows of an aligned block
    (latex): the relation sign is the alignment point, as in the formulas above."""
    seen, lines = set(), []
    for layer in network.layers:
        act = getattr(layer, "activation", None)
        definition = None if act is None else act.definition(fmt)
        if definition is None or definition in seen:
            continue
        seen.add(definition)
        lhs, rhs = definition
        if fmt == "latex":
            name = r"f = \operatorname{ReLU},\ " if act.kind == "relu" else ""
            lines.append(rf"\text{{where }} {name}{lhs} &= {rhs}")
        else:
            name = "f = ReLU, " if act.kind == "relu" else ""
            lines.append(f"{name}{lhs} = {rhs}")
    return lines


#: What firstmax_{i} and firstmin_{i} (latex.WINNER_NAMES) mean: the derivative of a
#: max (min) pool in one cell, with ties going to the first cell in raster order.
WINNER_DEFINITIONS = {
    "firstmax": ("largest", "max"),
    "firstmin": ("smallest", "min"),
}


def winner_definitions(printed: str, fmt: str = "text") -> list[str]:
    """'firstmax_i(x_1, ..., x_n) = 1 if x_i is the first largest x_k, else 0
    (= d max / d x_i)' for each of firstmax, firstmin that `printed` (the rows
    as printed) uses; LaTeX rows of an aligned block with `fmt="latex"`."""
    lines = []
    for name, (extreme, pool) in WINNER_DEFINITIONS.items():
        if name not in printed:
            continue
        if fmt == "latex":
            lines.append(
                # A short left side: it sets the width of the whole aligned block.
                rf"\text{{where }} \operatorname{{{name}}}_{{i}}(\dots) &= 1 "
                rf"\text{{ if argument }} i \text{{ is the first {extreme}, else }} 0"
            )
        else:
            lines.append(
                f"{name}_i(x_1, ..., x_n) = 1 if x_i is the first {extreme} x_k, "
                f"else 0 (= d {pool} / d x_i)"
            )
    return lines
