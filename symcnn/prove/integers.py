"""A trace's forward rows as exact integer arithmetic over many images at once.

Every value v of the trace is kept as an integer numerator N over one positive
integer denominator D per row (v = N / D, the same D on every image). With the
weights put in, each row is one of:

    linear   v = c_0 + sum_i c_i x_i   N = K_0 + sum_i K_i N_i,  D = lcm(q_i D_i, q_0)
             (c_i = p_i / q_i, K_i = c_i D / D_i, all divided by their common gcd)
    relu     v = max(x, 0)             N = max(N_x, 0),  D = D_x
    leaky    v = x or (p/q) x          N = q N_x if N_x > 0 else p N_x,  D = q D_x
    max/min  v = max or min of cells   N = max or min of N_i D / D_i,  D = lcm(D_i)

which is the SymPy evaluation of the same rows (verify.evaluate) in integers: the
forward values depend on no tie or kink convention (those choose derivatives only;
ReLU at 0 is 0 either way). Before anything runs, every row gets a bound B >= |N| on
every image (|K_0| + sum |K_i| B_i for a linear row), from the pixel alphabet's
bound; a row whose bound (or a coefficient) reaches 2^62 runs on Python integers
(NumPy object arrays), every other row on int64, so no value can overflow.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import sympy as sp

from ..errors import SymcnnError
from ..model.activations import LeakyReLU, ReLU
from ..model.pooling import PoolMax, PoolMin
from ..symbolic.trace import Trace

#: int64 holds |N| < 2^63; sums of values below 2^62 stay inside it.
INT64_SAFE = 2**62


@dataclass(frozen=True)
class Op:
    """slot `target` := kind(inputs): integer coefficients for "linear", (p, q) for
    "leaky"."""

    kind: str  # "linear", "relu", "leaky", "max", "min"
    target: int
    inputs: tuple[int, ...]
    coefficients: tuple[int, ...] = ()
    constant: int = 0
    wide: bool = False  # Python integers (object arrays): int64 could overflow


@dataclass(frozen=True)
class Plan:
    """Slots 0..pixels-1 are the pixels (numerators over `scale`), then one per row."""

    pixels: int
    scale: int  # the pixels' common denominator: pixel value = N / scale
    ops: tuple[Op, ...]
    denominators: tuple[int, ...]  # per slot
    bounds: tuple[int, ...]  # per slot, >= |N| on every image
    outputs: tuple[int, ...]  # the slots of F_NN's outputs

    @property
    def wide(self) -> bool:
        return any(op.wide for op in self.ops)

    def output_denominators(self) -> tuple[int, ...]:
        return tuple(self.denominators[slot] for slot in self.outputs)


def lcm(*values: int) -> int:
    return math.lcm(*values) if values else 1


class Builder:
    """Turns rows into Ops, tracking each slot's denominator and bound."""

    def __init__(self, trace: Trace, alphabet):
        values = [Fraction(int(a.p), int(a.q)) for a in alphabet]
        self.scale = lcm(*(v.denominator for v in values))
        bound = max(abs(v.numerator) * (self.scale // v.denominator) for v in values)
        pixels = list(trace.pixels.flat)
        self.slot = {symbol: index for index, symbol in enumerate(pixels)}
        self.denominators = [self.scale] * len(pixels)
        self.bounds = [bound] * len(pixels)
        self.ops: list[Op] = []

    def add(self, symbol, kind, inputs, denominator, bound, **fields) -> None:
        target = len(self.denominators)
        big = [
            bound,
            *map(abs, fields.get("coefficients", ())),
            abs(fields.get("constant", 0)),
        ]
        wide = max(big) >= INT64_SAFE
        self.ops.append(Op(kind, target, tuple(inputs), wide=wide, **fields))
        self.slot[symbol] = target
        self.denominators.append(denominator)
        self.bounds.append(bound)

    def row(self, symbol, expr) -> None:
        if isinstance(expr, ReLU):
            (x,) = self.inputs(expr.args)
            self.add(symbol, "relu", [x], self.denominators[x], self.bounds[x])
        elif isinstance(expr, LeakyReLU):
            (x,), slope = self.inputs(expr.args[:1]), Fraction(str(expr.args[1]))
            p, q = slope.numerator, slope.denominator
            bound = max(abs(p), q) * self.bounds[x]
            d = q * self.denominators[x]
            self.add(symbol, "leaky", [x], d, bound, coefficients=(p, q))
        elif isinstance(expr, (PoolMax, PoolMin)):
            cells = self.inputs(expr.args)
            d = lcm(*(self.denominators[c] for c in cells))
            factors = tuple(d // self.denominators[c] for c in cells)
            bound = max(f * self.bounds[c] for f, c in zip(factors, cells))
            kind = "max" if isinstance(expr, PoolMax) else "min"
            self.add(symbol, kind, cells, d, bound, coefficients=factors)
        else:
            self.linear(symbol, expr)

    def inputs(self, args) -> list[int]:
        if not all(arg in self.slot for arg in args):
            raise SymcnnError(
                f"the exact integer engine cannot evaluate {args} (not a value of "
                "the network); only relu, leaky_relu, identity and pooling rows are "
                "exact"
            )
        return [self.slot[arg] for arg in args]

    def linear(self, symbol, expr) -> None:
        terms = sp.expand(expr).as_coefficients_dict()
        constant, parts = Fraction(0), []
        for key, coefficient in terms.items():
            if not coefficient.is_Rational:
                raise SymcnnError(f"the row {symbol} = {expr} has an irrational number")
            value = Fraction(int(coefficient.p), int(coefficient.q))
            if key == 1:
                constant += value
            elif value:
                (slot,) = self.inputs([key])
                parts.append((slot, value))
        d = lcm(
            constant.denominator,
            *(v.denominator * self.denominators[s] for s, v in parts),
        )
        integers = [v * d / self.denominators[s] for s, v in parts]
        k0 = constant * d
        g = math.gcd(d, int(k0), *(int(k) for k in integers))
        integers = [int(k) // g for k in integers]
        k0, d = int(k0) // g, d // g
        bound = abs(k0) + sum(
            abs(k) * self.bounds[s] for k, (s, _) in zip(integers, parts)
        )
        inputs = [s for s, _ in parts]
        self.add(
            symbol,
            "linear",
            inputs,
            d,
            bound,
            coefficients=tuple(integers),
            constant=k0,
        )


def integer_plan(trace: Trace, weights, alphabet) -> Plan:
    """The forward rows of `trace` with `weights` (exact Rationals, in the order of
    trace.parameters) as integer Ops for images over `alphabet`."""
    parameters = dict(zip(trace.parameters, weights))
    builder = Builder(trace, alphabet)
    for row in trace.rows:
        if row.role != "loss":
            builder.row(row.symbol, row.expr.xreplace(parameters))
    outputs = tuple(builder.slot[symbol] for symbol in trace.outputs)
    return Plan(
        len(trace.pixels.flat),
        builder.scale,
        tuple(builder.ops),
        tuple(builder.denominators),
        tuple(builder.bounds),
        outputs,
    )


def pixel_numerators(images: np.ndarray, scale: int) -> np.ndarray:
    """(n, pixels) numerators N = value * scale: int64 for integer pixels."""
    flat = images.reshape(len(images), -1)
    if flat.dtype != object:
        return flat.astype(np.int64) * scale
    return np.array([[int(v * scale) for v in row] for row in flat], dtype=np.int64)


def run_op(op: Op, slots: list) -> np.ndarray:
    args = [slots[i] for i in op.inputs]
    if op.wide:
        args = [a.astype(object) for a in args]
    if op.kind == "relu":
        return np.maximum(args[0], 0)
    if op.kind == "leaky":
        p, q = op.coefficients
        return np.where(args[0] > 0, q * args[0], p * args[0])
    if op.kind in ("max", "min"):
        best = np.maximum if op.kind == "max" else np.minimum
        out = args[0] * op.coefficients[0]
        for factor, cell in zip(op.coefficients[1:], args[1:]):
            out = best(out, cell * factor)
        return out
    n = len(slots[0])
    out = np.full(n, op.constant, dtype=object if op.wide else np.int64)
    for k, x in zip(op.coefficients, args):
        out += x if k == 1 else k * x
    return out


def run_plan(plan: Plan, numerators: np.ndarray) -> list[np.ndarray]:
    """The outputs' numerators, one (n,) array each, for pixel numerators (n, pixels)
    (int64 or object); F_k = N_k / plan.output_denominators()[k] exactly."""
    slots: list = list(numerators.T)
    for op in plan.ops:
        slots.append(run_op(op, slots))
    return [slots[i] for i in plan.outputs]
