"""Trace: the straight-line program a network computes on one generic image.

Rows ``symbol := expression``, one per value of every layer, in order: the linear
part of a layer (conv or dense sum) and, when the layer has one, its activation as a
row of its own. Named layers' rows are the lecture's equations (a_{11} := ...); the
others are printed inline. The last row is the per-sample loss (model/losses.py;
sum_k (F_k - y_k)^2 unless another is chosen).
Every later stage (latex, verify, compile, train) reads this and builds no formulas
of its own. Which input meets which weight is model/connections.py's (index arrays),
from which the vectorized C backend builds its program without these rows; so a
Trace builds its rows only when they are first read (LeNet-5: 286,904 terms, 3 s).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple
import numpy as np
import sympy as sp

from ..model.activations import Activation
from ..model.connections import layer_connections
from ..model.data import Dataset
from ..model.layers import Conv2D, Dense, Flatten, Pool2D
from ..model.losses import LogSumExp, SoftPlus, loss_data, loss_kind
from ..model.names import Name
from ..model.network import Network
from ..model.pooling import PoolMax, PoolMin
from ..model.shapes import trace_terms
from .terms import lecture_product, lecture_sum, substitute


@dataclass(frozen=True)
class Row:
    """symbol := expr, the values of layer `layer` (0 for the loss row)."""

    symbol: sp.Symbol
    expr: sp.Expr
    layer: int
    role: str  # "linear", "activation", "pool" (max or min) or "loss"
    named: bool = False
    activation: Activation | None = None
    tie: str = "first"  # pool rows: which of tied cells wins (pooling.py)


def term(x: sp.Expr, weight: sp.Expr, weight_first: bool = False) -> sp.Expr:
    """x w, pixel (or input) first as the lecture writes it; w x on request."""
    factors = (weight, x) if weight_first else (x, weight)
    return sp.Mul(*factors, evaluate=False)


def linear_sums(network: Network, number: int, x: np.ndarray) -> np.ndarray:
    """Conv a[k,i,j] = sum_{c,u,v} x[..] w[k,c,u,v] (+ b_k) and dense z[n] =
    sum_m x[m] w[n,m] + b_n, their terms as model/connections.py orders them (the
    kernel in raster order within each channel, padded cells no term, x flattened
    channel-major)."""
    connections = layer_connections(network, number)
    weights = parameter_symbols(network.weights[number - 1]).reshape(-1)
    biases = network.biases[number - 1]
    inputs = x.reshape(-1)
    start = connections.start.tolist()
    pairs = list(zip(connections.inputs.tolist(), connections.weights.tolist()))
    out = np.empty(network.shapes[number], dtype=object)
    flat = out.reshape(-1)  # a view: writes land in out
    for r in range(connections.rows):
        terms = [
            term(inputs[m], weights[w], connections.weight_first)
            for m, w in pairs[start[r] : start[r + 1]]
        ]
        if connections.bias is not None:
            bias = biases[connections.bias[r]].symbol
            terms = [bias, *terms] if connections.bias_first else [*terms, bias]
        flat[r] = lecture_sum(terms)
    return out


def parameter_symbols(parameters: np.ndarray) -> np.ndarray:
    """Each parameter's symbol, made once: a kernel weight is read at every
    position, and each .symbol is built from its name (LeNet-5: 240,000 times)."""
    symbols = np.empty(parameters.shape, dtype=object)
    for index, parameter in np.ndenumerate(parameters):
        symbols[index] = parameter.symbol
    return symbols


POOL = {"max": PoolMax, "min": PoolMin}


def pool_expr(mode: str, cells: list, divisor: int) -> sp.Expr:
    """max or min of the cells, or their sum times 1/divisor (avg)."""
    if mode == "avg":
        return lecture_product([sp.Rational(1, divisor), lecture_sum(cells)])
    return POOL[mode](*cells)


def pool_role(expr: sp.Expr) -> str:
    """A value row's role: "pool" for a max or min (a window of one cell is that
    cell, and an average a sum: "linear")."""
    return "pool" if isinstance(expr, (PoolMax, PoolMin)) else "linear"


def pool_values(network: Network, number: int, x: np.ndarray) -> np.ndarray:
    """y[c,i,j] = max, min or avg of the window x[c, s i + u - top, s j + v - left]:
    padded cells are left out of max and min; avg divides by n m (padded cells count
    as 0) or, with count_include_pad=False, by the cells of the input it covers
    (model/connections.py)."""
    windows = layer_connections(network, number)
    mode = network.layers[number - 1].mode
    inputs = x.reshape(-1)
    start, cells = windows.start.tolist(), windows.cells.tolist()
    divisors = windows.divisor.tolist()
    out = np.empty(network.shapes[number], dtype=object)
    flat = out.reshape(-1)
    for r in range(windows.rows):
        window = [inputs[c] for c in cells[start[r] : start[r + 1]]]
        flat[r] = pool_expr(mode, window, divisors[r])
    return out


LAYER_VALUES = {Conv2D: linear_sums, Dense: linear_sums, Pool2D: pool_values}


class Rows(NamedTuple):
    """What build_trace's rows give a Trace (built on first access)."""

    pixels: np.ndarray
    targets: tuple[sp.Symbol, ...]
    rows: tuple[Row, ...]
    outputs: tuple[sp.Symbol, ...]
    loss: sp.Symbol
    names: dict[sp.Symbol, Name]
    layer_sums: tuple[np.ndarray | None, ...]
    layer_values: tuple[np.ndarray, ...]


def built(field: str, doc: str) -> property:
    """A Trace attribute read from its rows, which are built on first access."""
    return property(lambda trace: getattr(trace.built_rows, field), doc=doc)


@dataclass(frozen=True, eq=False)
class Trace:
    """The rows of one network on one symbolic image, plus what names them.

    Only `network` and `loss_kind` are stored: the rows (and the symbols, names and
    arrays made with them) are built the first time any of them is read, so that a
    caller that needs none (the vectorized C backend builds its program from the
    network: numeric/c_layers.py) never makes LeNet-5's 286,904 SymPy terms."""

    network: Network
    #: The loss the last row computes (model/losses.py).
    loss_kind: str = "squared_error"

    @cached_property
    def built_rows(self) -> Rows:
        return trace_rows(self.network, self.loss_kind)

    pixels = built("pixels", "The pixel symbols, an array of the input's shape.")
    targets = built("targets", "The target symbols y_1, ..., y_K.")
    rows = built("rows", "Every row in order, the loss row last.")
    outputs = built("outputs", "The symbols of F_1, ..., F_K.")
    loss = built("loss", "The loss row's symbol.")
    names = built("names", "Printed names of pixels, parameters and named values.")
    layer_sums = built(
        "layer_sums",
        "Per layer (0: the input), the symbols of its values before the activation "
        "(None for the input and Flatten), as (c, h, w) arrays.",
    )
    layer_values = built(
        "layer_values", "Per layer (0: the input), its values after the activation."
    )

    @cached_property  # each symbol is made from its name: 3.5 s for 15,626
    def parameters(self) -> tuple[sp.Symbol, ...]:
        return tuple(p.symbol for p in self.network.parameters)

    @property
    def terms(self) -> int:
        """The size of the trace in terms (shapes.trace_terms): what its costs scale
        with."""
        return trace_terms(self.network.shapes, self.network.layers)

    @property
    def definitions(self) -> dict[sp.Symbol, sp.Expr]:
        return {row.symbol: row.expr for row in self.rows}

    def equations(self) -> list[Row]:
        """The named rows: the equations a lecture writes out (a_{11} = ...)."""
        return [row for row in self.rows if row.named]

    def inline(self, expr: sp.Expr, *, keep_named: bool = True) -> sp.Expr:
        """expr with rows substituted back in lecture order: keep_named=True gives the
        nested form (F_NN in terms of a_{ij}), False the fully expanded one."""
        return substitute(expr, self._inlined_rows[keep_named])

    @cached_property  # derive inlines every equation: one dict per call was quadratic
    def _inlined_rows(self) -> dict[bool, dict[sp.Symbol, sp.Expr]]:
        """What inline substitutes, by keep_named: each row's symbol -> its expr."""
        return {
            keep_named: {
                row.symbol: row.expr
                for row in self.rows
                if not (keep_named and row.named) and row.role != "loss"
            }
            for keep_named in (True, False)
        }


def value_rows(network: Network, number: int, x: np.ndarray, names: dict):
    """Rows of layer `number`'s values (conv / dense sums, pooled values) on input x,
    and the array of their symbols; named layers' symbols get their printed names."""
    layer = network.layers[number - 1]
    values = LAYER_VALUES[type(layer)](network, number, x)
    value_names = network.value_names(number)
    tie = layer.tie if isinstance(layer, Pool2D) else "first"
    rows, symbols = [], np.empty(values.shape, dtype=object)
    for flat, (position, expr) in enumerate(np.ndenumerate(values), start=1):
        if layer.name:
            symbol = sp.Symbol(value_names[position].ascii, real=True)
            names[symbol] = value_names[position]
        else:
            symbol = sp.Symbol(f"_z{number}_{flat}", real=True)
        rows.append(
            Row(symbol, expr, number, pool_role(expr), bool(layer.name), tie=tie)
        )
        symbols[position] = symbol
    return rows, symbols


def activation_rows(number: int, activation: Activation, z: np.ndarray):
    """Rows h := f(z), one per value, and the array of their symbols."""
    rows, symbols = [], np.empty(z.shape, dtype=object)
    for flat, (position, value) in enumerate(np.ndenumerate(z), start=1):
        symbol = sp.Symbol(f"_h{number}_{flat}", real=True)
        rows.append(
            Row(symbol, activation(value), number, "activation", activation=activation)
        )
        symbols[position] = symbol
    return rows, symbols


def loss_row(outputs, targets, kind: str = "squared_error") -> Row:
    """L := the loss of one sample (model/losses.py): sum_k (F_k - y_k)^2 for both
    squared losses (the mean's 1/(N K) is applied to the sum over samples),
    lse(F) - sum_k y_k F_k for cross_entropy (y one-hot), softplus(F) - y F for
    binary_cross_entropy."""
    if kind == "cross_entropy":
        minus = sp.S.NegativeOne
        picked = [lecture_product([minus, y, out]) for out, y in zip(outputs, targets)]
        expr = lecture_sum([LogSumExp(*outputs), *picked])
    elif kind == "binary_cross_entropy":
        (out,), (y,) = outputs, targets
        expr = lecture_sum([SoftPlus(out), lecture_product([-sp.S.One, out, y])])
    else:
        expr = lecture_sum(
            [
                sp.Pow(lecture_sum([out, -target]), 2, evaluate=False)
                for out, target in zip(outputs, targets)
            ]
        )
    return Row(sp.Symbol("_loss", real=True), expr, 0, "loss")


def build_trace(network: Network, *, loss: str = "squared_error") -> Trace:
    """The trace of `network` on a generic image with pixel symbols p_{ij}, ending in
    the per-sample `loss` (one of model.losses.LOSSES). The loss and the outputs it
    takes are checked now; the rows are built when first read (Trace)."""
    loss = loss_kind(loss)
    outputs = int(np.prod(network.shapes[-1]))
    loss_data(loss, Dataset(()), outputs)  # refuses outputs the loss cannot take
    return Trace(network, loss)


def trace_rows(network: Network, loss: str) -> Rows:
    """Every row of the trace of `network` ending in `loss`, and their symbols."""
    names: dict[sp.Symbol, Name] = {}
    pixels = np.empty(network.shapes[0], dtype=object)
    for position, name in np.ndenumerate(network.value_names(0)):
        pixels[position] = sp.Symbol(name.ascii, real=True)
        names[pixels[position]] = name
    for parameter in network.parameters:
        names[parameter.symbol] = parameter.name
    rows: list[Row] = []
    sums, values = [None], [pixels]
    x = pixels
    for number, layer in enumerate(network.layers, start=1):
        if isinstance(layer, Flatten):
            sums.append(None)
            x = x.reshape(network.shapes[number])
        else:
            layer_rows, x = value_rows(network, number, x, names)
            rows += layer_rows
            sums.append(x)
            activation = getattr(layer, "activation", None)
            if activation is not None and not activation.is_identity:
                layer_rows, x = activation_rows(number, activation, x)
                rows += layer_rows
        values.append(x)
    outputs = tuple(x.reshape(-1))
    targets = tuple(sp.Symbol(f"_y_{k}", real=True) for k in range(1, len(outputs) + 1))
    row = loss_row(outputs, targets, loss)
    return Rows(
        pixels,
        targets,
        tuple(rows + [row]),
        outputs,
        row.symbol,
        names,
        tuple(sums),
        tuple(values),
    )
