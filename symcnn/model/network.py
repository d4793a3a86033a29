"""Network: an input and layers; infers every shape and names every parameter.

Every "this does not fit together" error is raised here, before a formula exists.
Parameters are ordered layer by layer, weights in PyTorch's tensor layout (conv
[filter, channel, row, col], dense [neuron, input]), then biases: the one order shared
by weight files, flat vectors and gradients.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import product

import numpy as np
import sympy as sp

from ..errors import ShapeError, SymcnnError
from .layers import Conv2D, Dense, Flatten, Input, Pool2D
from .names import Name, make_name

Shape = tuple[int, int, int]


@dataclass(frozen=True)
class Parameter:
    """One trainable number: printed name, layer (1-based), role and tensor position."""

    name: Name
    layer: int
    role: str
    position: tuple[int, ...]

    @property
    def symbol(self) -> sp.Symbol:
        return sp.Symbol(self.name.ascii, real=True)


LAYER_TYPES = (Conv2D, Dense, Pool2D, Flatten)

#: The largest trace built by default, in terms (products and pooled cells): about a
#: minute to build and derive on a 2-core machine (the L8 net has 11 thousand).
DEFAULT_MAX_TERMS = 500_000


def trace_terms(shapes: tuple[Shape, ...], layers) -> int:
    """How many terms the trace will hold: per value, the products it sums (conv:
    channels x kh x kw, dense: its inputs) or the cells it pools; plus the pixels."""
    terms = math.prod(shapes[0])  # Python integers: a spec can say 10**18
    for number, layer in enumerate(layers, start=1):
        values = math.prod(shapes[number])
        inputs = math.prod(shapes[number - 1])
        if isinstance(layer, Conv2D):
            terms += values * shapes[number - 1][0] * layer.kernel[0] * layer.kernel[1]
        elif isinstance(layer, Dense):
            terms += values * inputs
        elif isinstance(layer, Pool2D):
            terms += values * layer.size[0] * layer.size[1]
    return terms


def check_size(shapes: tuple[Shape, ...], layers, max_terms: int) -> None:
    """A SymcnnError before building anything too large to derive in reasonable time."""
    terms = trace_terms(shapes, layers)
    if terms > max_terms:
        raise SymcnnError(
            f"the network would have {terms:,} terms in its trace, over the limit of "
            f"{max_terms:,} (about a minute to derive); use a smaller input or fewer "
            "filters, or raise the limit (Network(..., max_terms=N), or --max-terms N "
            "on the command line)"
        )


def layer_label(number: int, layer) -> str:
    """'layer 2 (Dense)': how every message refers to a layer (1-based, input is 0)."""
    return f"layer {number} ({layer.kind})"


def conv_output_shape(number: int, layer: Conv2D, shape: Shape) -> Shape:
    """(filters, (h + pads - kh) // s + 1, (w + pads - kw) // s + 1)."""
    channels, height, width = shape
    (kh, kw), (sh, sw) = layer.kernel, layer.stride
    padded_h, padded_w = (
        size + sum(pads) for size, pads in zip((height, width), layer.padding)
    )
    if kh > padded_h or kw > padded_w:
        raise ShapeError(
            f"{layer_label(number, layer)}: `kernel` {kh}x{kw} is larger than its "
            f"input {height}x{width} (padded {padded_h}x{padded_w}); use a kernel "
            "of at "
            f"most {padded_h}x{padded_w} or add padding"
        )
    return (layer.filters, (padded_h - kh) // sh + 1, (padded_w - kw) // sw + 1)


def pool_output_shape(number: int, layer: Pool2D, shape: Shape) -> Shape:
    """(c, (h + 2 pad - n) // s + 1, ...); the window must tile the input (or floor)."""
    channels, height, width = shape
    label = layer_label(number, layer)
    (n, m), (sh, sw), (ph, pw) = layer.size, layer.stride, layer.padding
    padded = (height + 2 * ph, width + 2 * pw)
    if n > padded[0] or m > padded[1]:
        raise ShapeError(
            f"{label}: `size` {n}x{m} is larger than its input {height}x{width}; "
            f"use a window of at most {padded[0]}x{padded[1]}"
        )
    left_over = ((padded[0] - n) % sh, (padded[1] - m) % sw)
    if any(left_over) and not layer.floor:
        fits = tuple(
            size + (step - rest) % step
            for size, step, rest in zip(padded, (sh, sw), left_over)
        )
        raise ShapeError(
            f"{label}: input {height}x{width} is not divisible by pool size {n}x{m} "
            f"with stride {sh}x{sw} (the lecture's rule); pad it to "
            f"{fits[0]}x{fits[1]}, choose a size that divides, or pass floor=True to "
            "drop the cells left over "
            "as PyTorch does"
        )
    return (channels, (padded[0] - n) // sh + 1, (padded[1] - m) // sw + 1)


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


class Network:
    """An input and a sequence of layers, with shapes and parameters inferred.

    >>> Network(Input(height=2, width=3), Conv2D(1, (1, 2)), Dense(4), Dense(1))
    """

    def __init__(
        self, input: Input, *layers: Conv2D | Dense, max_terms: int = DEFAULT_MAX_TERMS
    ):
        if not isinstance(input, Input):
            raise SymcnnError(
                f"the first argument of Network is {input!r}, not an Input; "
                "start with Input(channels=..., height=..., width=...)"
            )
        if not layers:
            raise SymcnnError(
                "the network has no layers; add at least one Conv2D or Dense"
            )
        for number, layer in enumerate(layers, start=1):
            if not isinstance(layer, LAYER_TYPES):
                raise SymcnnError(
                    f"layer {number} is {layer!r}, not a layer; use Conv2D, Dense, "
                    "Pool2D or Flatten"
                )
        self.input = input
        self.layers = tuple(layers)
        self.shapes: tuple[Shape, ...] = self._infer_shapes()
        check_size(self.shapes, self.layers, max_terms)
        self.first_neurons = tuple(
            self._first_neuron(n) for n in range(len(layers) + 1)
        )
        self.groups: tuple[np.ndarray, ...] = ()
        for number in range(len(self.layers) + 1):
            self.groups += (self._groups(number),)
        self._name_parameters(frozenset())
        clashing = self._clashing_layers()
        if clashing:
            # Layers whose parameters would print alike get w^{(l)}; the others keep
            # the lecture's plain names.
            self._name_parameters(clashing)
        self._check_unique_names()

    # -- shapes -----------------------------------------------------------------
    def _infer_shapes(self) -> tuple[Shape, ...]:
        shape: Shape = (self.input.channels, self.input.height, self.input.width)
        shapes = [shape]
        for number, layer in enumerate(self.layers, start=1):
            if isinstance(layer, Conv2D):
                shape = conv_output_shape(number, layer, shape)
            elif isinstance(layer, Pool2D):
                shape = pool_output_shape(number, layer, shape)
            elif isinstance(layer, Flatten):
                shape = (int(np.prod(shape)), 1, 1)
            else:
                shape = (layer.units, 1, 1)
            shapes.append(shape)
        return tuple(shapes)

    @property
    def output_size(self) -> int:
        return int(np.prod(self.shapes[-1]))

    def layer_input_size(self, number: int) -> int:
        return int(np.prod(self.shapes[number - 1]))

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
            if isinstance(layer, (Pool2D, Flatten)):
                weights.append(np.empty((0,), dtype=object))
                biases.append(None)
                continue
            build = (
                self._conv_parameters
                if isinstance(layer, Conv2D)
                else self._dense_parameters
            )
            w, b = build(number, layer, number if number in superscripted else None)
            weights.append(w)
            biases.append(b)
        self.weights, self.biases = tuple(weights), tuple(biases)
        self.parameters: tuple[Parameter, ...] = tuple(
            parameter
            for w, b in zip(self.weights, self.biases)
            for parameter in (*w.flat, *(() if b is None else b))
        )

    @staticmethod
    def _biases(number: int, layer, groups, superscript: int | None):
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

    def _clashing_layers(self) -> frozenset[int]:
        """Layers that have a parameter printed like another layer's parameter."""
        owner: dict[str, int] = {}
        clashing = set()
        for parameter in self.parameters:
            first = owner.setdefault(parameter.name.latex, parameter.layer)
            if first != parameter.layer:
                clashing |= {first, parameter.layer}
        return frozenset(clashing)

    def _conv_parameters(self, number: int, layer: Conv2D, superscript: int | None):
        """w[k,c,u,v] -> w_{k,c,uv}; a group is left out where its size is 1."""
        channels = self.shapes[number - 1][0]
        kh, kw = layer.kernel
        shape = (layer.filters, channels, kh, kw)
        weights = np.empty(shape, dtype=object)
        for k, c, u, v in product(*map(range, shape)):
            kernel_index = tuple(
                index + 1 for index, size in ((u, kh), (v, kw)) if size > 1
            )
            name = make_name(
                layer.letter,
                (k + 1,) if layer.filters > 1 else (),
                (c + 1,) if channels > 1 else (),
                kernel_index,
                layer=superscript,
            )
            weights[k, c, u, v] = Parameter(name, number, "weight", (k, c, u, v))
        groups = [(k + 1,) if layer.filters > 1 else () for k in range(layer.filters)]
        return weights, self._biases(number, layer, groups, superscript)

    def _dense_parameters(self, number: int, layer: Dense, superscript: int | None):
        """w[n, m] -> w_{<index of input m>,<n>}: slide L3's w_{ij,k} and w_{k,0}."""
        first = self.first_neurons[number]
        inputs = self.groups[number - 1].reshape(-1)
        weights = np.empty((layer.units, len(inputs)), dtype=object)
        for n, m in product(range(layer.units), range(len(inputs))):
            neuron = (n + first,) if layer.neuron_index else ()
            name = make_name(layer.letter, *inputs[m], neuron, layer=superscript)
            weights[n, m] = Parameter(name, number, "weight", (n, m))
        groups = [
            (n + first,) if layer.neuron_index else () for n in range(layer.units)
        ]
        return weights, self._biases(number, layer, groups, superscript)

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
