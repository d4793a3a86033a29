"""Network: an input and layers; infers every shape and names every parameter.

Every "this does not fit together" error is raised here, before a formula exists.
Parameters are ordered layer by layer, weights in PyTorch's tensor layout (conv
[filter, channel, row, col], dense [neuron, input]), then biases: the one order shared
by weight files, flat vectors and gradients.
"""

from __future__ import annotations

import math
from itertools import product

from typing import TYPE_CHECKING

import numpy as np

from ..errors import SymcnnError
from .architecture import Architecture
from .display import RichDisplay
from .layers import Conv2D, Dense, Flatten, Input
from .names import make_name
from .parameters import Parameter, clashing_layers, conv_parameters, dense_parameters
from .shapes import DEFAULT_MAX_TERMS, Shape, check_size, layer_label

if TYPE_CHECKING:
    import sympy as sp

def value_groups(layer, shape: Shape, first_neuron: int):
    """Index groups of a layer's values, an object array of `shape`.

    Conv values a[k,i,j] -> ((k,), (i, j)), the filter group left out for one filter;
    dense values z[n] -> ((n,),), or () when the layer hides its neuron index.
    """
    groups = np.empty(shape, dtype=object)
    for c, i, j in product(*map(range, shape)):
        if isinstance(layer, Dense):
            groups[c, i, j] = ((c + first_neuron,),) if layer.neuron_index else ()
        else:
            channel = (c + 1,) if shape[0] > 1 else ()
            groups[c, i, j] = (channel, (i + 1, j + 1))
    return groups


class Network(RichDisplay, Architecture):
    """An input and a sequence of layers, with shapes (Architecture) and every
    parameter named.

    >>> Network(Input(height=2, width=3), Conv2D(1, (1, 2)), Dense(4), Dense(1))
    """

    def __init__(
        self, input: Input, *layers: Conv2D | Dense, max_terms: int = DEFAULT_MAX_TERMS
    ):
        super().__init__(input, *layers)
        check_size(self.shapes, self.layers, max_terms)
        self.first_neurons = tuple(
            self._first_neuron(n) for n in range(len(layers) + 1)
        )
        self.groups: tuple[np.ndarray, ...] = ()
        for number in range(len(self.layers) + 1):
            self.groups += (self._groups(number),)
        self._name_parameters(frozenset())
        clashing = clashing_layers(self.parameters)
        if clashing:
            # Layers whose parameters would print alike get w^{(l)}; the others keep
            # the lecture's plain names.
            self._name_parameters(clashing)
        self._check_unique_names()

    def layer_input_size(self, number: int) -> int:
        return math.prod(self.shapes[number - 1])

    # -- names ------------------------------------------------------------------
    def _first_neuron(self, number: int) -> int:
        if number == 0:
            return 1
        layer = self.layers[number - 1]
        if not isinstance(layer, Dense):
            return 1
        if layer.first_index is not None:
            return layer.first_index
        is_single_output = number == len(self.layers) and layer.units == 1
        return 0 if is_single_output else 1

    def _groups(self, number: int):
        """Index groups of layer `number`'s values (0: the input's pixels)."""
        if number == 0:
            shape = self.shapes[0]
            groups = np.empty(shape, dtype=object)
            for c, i, j in product(*map(range, shape)):
                channel = (c + 1,) if shape[0] > 1 else ()
                groups[c, i, j] = (channel, (i + 1, j + 1))
            return groups
        layer = self.layers[number - 1]
        if isinstance(layer, Flatten):  # the values keep the names they had
            return self.groups[number - 1].reshape(self.shapes[number])
        return value_groups(layer, self.shapes[number], self.first_neurons[number])

    def value_names(self, number: int) -> np.ndarray:
        """Names of layer `number`'s values (pre-activation), shape (c, h, w)."""
        letter = self.input.letter if number == 0 else self.layers[number - 1].name
        letter = letter or f"z{number}"
        names = np.empty(self.shapes[number], dtype=object)
        for position, groups in np.ndenumerate(self.groups[number]):
            names[position] = make_name(letter, *groups)
        return names

    def _name_parameters(self, superscripted: frozenset[int]) -> None:
        """Set weights and biases per layer, and `parameters`: all of them in the one
        flat order (layer by layer, weights then biases)."""
        weights, biases = [], []
        for number, layer in enumerate(self.layers, start=1):
            superscript = number if number in superscripted else None
            if isinstance(layer, Conv2D):
                channels = self.shapes[number - 1][0]
                w, b = conv_parameters(number, layer, channels, superscript)
            elif isinstance(layer, Dense):
                inputs = self.groups[number - 1].reshape(-1)
                first = self.first_neurons[number]
                w, b = dense_parameters(number, layer, inputs, first, superscript)
            else:
                w, b = np.empty((0,), dtype=object), None
            weights.append(w)
            biases.append(b)
        self.weights, self.biases = tuple(weights), tuple(biases)
        self.parameters: tuple[Parameter, ...] = tuple(
            parameter
            for w, b in zip(self.weights, self.biases)
            for parameter in (*w.flat, *(() if b is None else b))
        )

    def _check_unique_names(self) -> None:
        """Two things printed alike would make every formula ambiguous."""
        seen: dict[str, str] = {}
        owners = [(name, "the input's pixel") for name in self.value_names(0).flat]
        for number, layer in enumerate(self.layers, start=1):
            if layer.name and not isinstance(layer, Flatten):
                label = f"{layer_label(number, layer)}'s value"
                owners += [(name, label) for name in self.value_names(number).flat]
        owners += [
            (p.name, f"{layer_label(p.layer, self.layers[p.layer - 1])}'s {p.role}")
            for p in self.parameters
        ]
        for name, owner in owners:
            if name.latex in seen:
                both = (
                    f"two of {owner}s are"
                    if seen[name.latex] == owner
                    else f"{owner} and {seen[name.latex]} are both"
                )
                raise SymcnnError(
                    f"{both} named {name.latex}; give one of the layers another "
                    "`letter`, "
                    "`bias_letter` or `name` (or keep `neuron_index` on)"
                )
            seen[name.latex] = owner

    def __repr__(self) -> str:
        layers = ", ".join(repr(layer) for layer in self.layers)
        return f"Network({self.input!r}, {layers})"

    # A value: its input and layers decide every shape, name and parameter, so two
    # Networks of equal layers are equal (a copy, a pickle, one read twice) and hash
    # alike; nothing changes a Network once built.
    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return (self.input, self.layers) == (other.input, other.layers)

    def __hash__(self) -> int:
        return hash((self.input, self.layers))

    def symbol(self, name: str) -> sp.Symbol:
        """symcnn's own SymPy symbol (real, ASCII-named) of a pixel, a parameter or a
        named value: net.symbol("w_1"), net.symbol("a_{11}") (symbols.py)."""
        from .symbols import network_symbols  # SymPy: a Network is built without it
        return network_symbols(self)[name]
