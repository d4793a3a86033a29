"""A network as one function of local patches summed over positions, when it is one:

    F_NN(P) = b + sum_q h(P_q)

Convolutions with stride 1 and no padding make, at every position q of their output
grid, values that depend only on the r_h x r_w input patch P_q under q (r: the
stack's receptive field), the same function at every q. Dense layers after them may
act per position: each unit reads the values of one position (or none: a constant).
The last layer is one linear output unit. Each value gets a description that
determines it as a function of its patch (a conv channel; or a unit's activation,
bias and the descriptions it reads with their summed weights); when every position
is read out as the same weighted sum of the same descriptions, h_q = h for every q.
Anything else raises NotLocal with the first layer or position that breaks the form.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import numpy as np
import sympy as sp

from ..errors import SymcnnError
from ..model.layers import Conv2D, Dense, Flatten
from ..model.shapes import layer_label
from ..symbolic.trace import Trace


class NotLocal(Exception):
    """Why a network or target does not have the form (the message says it)."""


@dataclass(frozen=True)
class Unit:
    """A value of the network as a function of one patch: its position on the patch
    grid (None: a constant) and a description that determines the function (two
    values with equal descriptions compute the same function of their patch)."""

    position: tuple[int, int] | None
    description: tuple
    symbol: sp.Symbol


@dataclass(frozen=True)
class LocalForm:
    """F_NN(P) = bias + sum_q sum_k weight_k * value_k(P_q): the read-out of position
    (1,1) as (description, weight) pairs with a symbol of each at (1,1), and the
    constant part (the read-out bias plus its constant units, as symbols)."""

    patch: tuple[int, int]
    positions: tuple[int, int]
    readout: tuple[tuple[sp.Symbol, sp.Rational], ...]
    bias: sp.Rational
    constants: tuple[tuple[sp.Symbol, sp.Rational], ...]


def local_form(trace: Trace, exact: dict) -> LocalForm:
    """The network as bias + sum over positions of one read-out (see the module's
    docstring); NotLocal naming the first layer or position that breaks the form."""
    network = trace.network
    layers = network.layers
    last = len(layers)
    grid = 0  # the layer whose output grid holds the positions (0: the input)
    patch = [1, 1]
    for number, layer in enumerate(layers, start=1):
        if not isinstance(layer, Conv2D):
            break
        check_conv(number, layer)
        grid = number
        patch = [patch[0] + layer.kernel[0] - 1, patch[1] + layer.kernel[1] - 1]
    check_exact(network)
    units = grid_units(trace, grid)
    for number in range(grid + 1, last):
        layer = layers[number - 1]
        if isinstance(layer, Flatten):
            continue
        if not isinstance(layer, Dense):
            raise NotLocal(not_local_layer(number, layer))
        units = dense_units(trace, exact, number, units)
    readout = layers[-1]
    if not (isinstance(readout, Dense) and readout.units == 1 and grid < last):
        raise NotLocal(
            f"{layer_label(last, readout)} is not one linear output unit reading "
            "the positions (the read-out must be a Dense layer with units = 1)"
        )
    if readout.activation is not None and not readout.activation.is_identity:
        raise NotLocal(
            f"{layer_label(last, readout)} applies {readout.activation.kind} to the "
            "sum, so F_NN is not a sum over positions"
        )
    shape = network.shapes[grid][1:]
    return read_out(trace, exact, last, units, tuple(patch), shape)


def check_conv(number: int, layer: Conv2D) -> None:
    if tuple(layer.stride) != (1, 1):
        raise NotLocal(
            f"{layer_label(number, layer)} has stride {layer.stride[0]}x"
            f"{layer.stride[1]}: it reads every other position, not all of them"
        )
    if any(side for pair in layer.padding for side in pair):
        raise NotLocal(
            f"{layer_label(number, layer)} pads its input: the border positions read "
            "padded zeros, so they compute another function than the inner ones"
        )


def check_exact(network) -> None:
    for number, layer in enumerate(network.layers, start=1):
        activation = getattr(layer, "activation", None)
        if activation is not None and not activation.is_numeric:
            raise SymcnnError(
                f"{layer_label(number, layer)} uses the generic activation f, which "
                "has no values to prove; use relu, leaky_relu or identity"
            )
        if activation is not None and not activation.is_exact:
            raise SymcnnError(
                f"{layer_label(number, layer)} uses {activation.kind}, whose values "
                "at rational points are irrational; exact proofs need relu, "
                "leaky_relu or identity"
            )


def not_local_layer(number: int, layer) -> str:
    if getattr(layer, "mode", None):
        return (
            f"{layer_label(number, layer)} pools: a pooled value mixes several "
            "positions, so F_NN is not a sum of one function of each patch"
        )
    return (
        f"{layer_label(number, layer)} follows a dense layer: only convolutions, then "
        "dense layers per position, then one output unit have the form"
    )


def grid_units(trace: Trace, grid: int) -> list[Unit]:
    """The grid layer's values, channel-major (the order Flatten and Dense read)."""
    values = trace.layer_values[grid]
    return [
        Unit((i, j), ("channel", grid, c), values[c, i, j])
        for c, i, j in product(*map(range, values.shape))
    ]


def reads(exact: dict, weights: np.ndarray, n: int, units: list[Unit], where: str):
    """(position, {description: summed weight}) of unit n: the inputs it reads with
    a weight other than 0; NotLocal when it reads two positions."""
    read: dict[tuple, sp.Rational] = {}
    positions = set()
    for m, unit in enumerate(units):
        weight = exact[weights[n, m].symbol]
        if weight != 0:
            read[unit.description] = read.get(unit.description, sp.S.Zero) + weight
            if unit.position is not None:
                positions.add(unit.position)
    if len(positions) > 1:
        shown = " and ".join(f"({i + 1},{j + 1})" for i, j in sorted(positions)[:2])
        raise NotLocal(
            f"{where} reads positions {shown}: a value that mixes positions is not "
            "a function of one patch"
        )
    position = positions.pop() if positions else None
    return position, read


def canonical(read: dict) -> tuple:
    """A read as a hashable description: zero sums dropped, sorted."""
    return tuple(sorted(((d, w) for d, w in read.items() if w != 0), key=repr))


def dense_units(trace: Trace, exact: dict, number: int, units: list[Unit]):
    network = trace.network
    layer = network.layers[number - 1]
    weights, biases = network.weights[number - 1], network.biases[number - 1]
    values = trace.layer_values[number].reshape(-1)
    out = []
    for n in range(layer.units):
        where = f"{layer_label(number, layer)} unit {n + 1}"
        position, read = reads(exact, weights, n, units, where)
        bias = sp.S.Zero if biases is None else exact[biases[n].symbol]
        activation = layer.activation
        kind = None if activation is None or activation.is_identity else activation
        description = ("unit", kind, bias, canonical(read))
        out.append(Unit(position, description, values[n]))
    return out


def read_out(trace, exact, number, units, patch, shape) -> LocalForm:
    """The output unit's terms grouped by position; NotLocal if two positions are
    read differently."""
    network = trace.network
    weights, biases = network.weights[number - 1], network.biases[number - 1]
    per_position: dict[tuple, dict] = {q: {} for q in product(*map(range, shape))}
    symbols: dict[tuple, dict] = {q: {} for q in per_position}
    constants = []
    for m, unit in enumerate(units):
        weight = exact[weights[0, m].symbol]
        if weight == 0:
            continue
        if unit.position is None:
            constants.append((unit.symbol, weight))
            continue
        read = per_position[unit.position]
        read[unit.description] = read.get(unit.description, sp.S.Zero) + weight
        symbols[unit.position].setdefault(unit.description, unit.symbol)
    first = canonical(per_position[(0, 0)])
    for q, read in per_position.items():
        if canonical(read) != first:
            raise NotLocal(
                f"position ({q[0] + 1},{q[1] + 1}) is not read as position (1,1) is "
                f"({shown(canonical(read))} there, {shown(first)} at (1,1); c1, c2, "
                "...: the channels under a position): the positions' read-outs are "
                "not written the same way (the proof compares forms, not the "
                "functions they compute)"
            )
    bias = sp.S.Zero if biases is None else exact[biases[0].symbol]
    readout = tuple((symbols[(0, 0)][d], w) for d, w in first)
    return LocalForm(patch, shape, readout, bias, tuple(constants))


#: Characters of a position's read-out shown in a message.
SHOWN_CHARACTERS = 120


def shown(read: tuple) -> str:
    """A position's read-out as a formula of the grid's channel values c1, c2, ...:
    '1 relu(1 c1 - 1)'; '0' when it reads nothing; cut at SHOWN_CHARACTERS."""
    text = signed([(w, term(d)) for d, w in read])
    if len(text) > SHOWN_CHARACTERS:
        return text[: SHOWN_CHARACTERS - 3] + "..."
    return text


def signed(parts: list) -> str:
    """w1 t1 + w2 t2 - |w3| t3 ...; a part without a term (None) is a constant."""
    text = ""
    for weight, name in parts:
        piece = f"{abs(weight)} {name}" if name else str(abs(weight))
        if not text:
            text = f"-{piece}" if weight < 0 else piece
        else:
            text += f" - {piece}" if weight < 0 else f" + {piece}"
    return text or "0"


def term(description: tuple) -> str:
    if description[0] == "channel":
        return f"c{description[2] + 1}"
    _, activation, bias, read = description
    parts = [(w, term(d)) for d, w in read] + ([(bias, None)] if bias != 0 else [])
    inner = signed(parts)
    return f"{activation.kind}({inner})" if activation is not None else f"({inner})"
