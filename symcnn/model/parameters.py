"""Parameters: each trainable number's printed name, layer, role and tensor position,
in the one flat order (layer by layer, weights in PyTorch's layout, then biases)."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product
from typing import TYPE_CHECKING

import numpy as np

from .layers import Conv2D, Dense
from .names import Name, make_name

if TYPE_CHECKING:
    import sympy as sp


@dataclass(frozen=True)
class Parameter:
    """One trainable number: printed name, layer (1-based), role and tensor position."""

    name: Name
    layer: int
    role: str
    position: tuple[int, ...]

    @property
    def symbol(self) -> sp.Symbol:
        import sympy as sp  # here: a spec's names are checked without SymPy (summary)

        return sp.Symbol(self.name.ascii, real=True)


def biases(number: int, layer, groups, superscript: int | None):
    """The layer's biases b_k (None without bias), one per group in `groups`."""
    if not layer.bias:
        return None
    return tuple(
        Parameter(
            make_name(layer.bias_letter, group, layer=superscript),
            number,
            "bias",
            (position,),
        )
        for position, group in enumerate(groups)
    )

def clashing_layers(parameters) -> frozenset[int]:
    """Layers that have a parameter printed like another layer's parameter."""
    owner: dict[str, int] = {}
    clashing = set()
    for parameter in parameters:
        first = owner.setdefault(parameter.name.latex, parameter.layer)
        if first != parameter.layer:
            clashing |= {first, parameter.layer}
    return frozenset(clashing)

def conv_parameters(
    number: int, layer: Conv2D, channels: int, superscript: int | None
):
    """w[k,c,u,v] -> w_{k,c,uv}; a group is left out where its size is 1. With
    groups, c counts the channels within the filter's group (PyTorch's layout
    (filters, channels/groups, kh, kw)), so a depthwise filter has no channel index."""
    kh, kw = layer.kernel
    reads = channels // layer.groups
    shape = (layer.filters, reads, kh, kw)
    weights = np.empty(shape, dtype=object)
    for k, c, u, v in product(*map(range, shape)):
        kernel_index = tuple(
            index + 1 for index, size in ((u, kh), (v, kw)) if size > 1
        )
        name = make_name(
            layer.letter,
            (k + 1,) if layer.filters > 1 else (),
            (c + 1,) if reads > 1 else (),
            kernel_index,
            layer=superscript,
        )
        weights[k, c, u, v] = Parameter(name, number, "weight", (k, c, u, v))
    groups = [(k + 1,) if layer.filters > 1 else () for k in range(layer.filters)]
    return weights, biases(number, layer, groups, superscript)

def dense_parameters(
    number: int, layer: Dense, inputs, first: int, superscript: int | None
):
    """w[n, m] -> w_{<index of input m>,<n>}: slide L3's w_{ij,k} and w_{k,0};
    `inputs`, the index groups of the flattened input, `first` the first neuron's."""
    weights = np.empty((layer.units, len(inputs)), dtype=object)
    for n, m in product(range(layer.units), range(len(inputs))):
        neuron = (n + first,) if layer.neuron_index else ()
        name = make_name(layer.letter, *inputs[m], neuron, layer=superscript)
        weights[n, m] = Parameter(name, number, "weight", (n, m))
    groups = [
        (n + first,) if layer.neuron_index else () for n in range(layer.units)
    ]
    return weights, biases(number, layer, groups, superscript)
