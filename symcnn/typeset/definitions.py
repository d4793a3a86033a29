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
