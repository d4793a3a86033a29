"""The exact Hessian of L from the trace: forward-over-reverse in Fractions.

Every row r := e_r(s, t, ...) is either a polynomial in what it reads (conv, dense and
avg-pool sums, the loss sum_k (F_k - y_k)^2) or piecewise linear (activations, max and
min pooling). With theta the parameters, a forward sweep carries each value x_r and
its tangent J_r = dx_r / dtheta (one vector of n entries):

    J_r = sum_s D_rs J_s,                       D_rs = d e_r / d s,

and a reverse sweep carries each adjoint a_s = dL / dx_s and its tangent K_s:

    a_s = sum_r a_r D_rs,   K_s = sum_r (K_r D_rs + a_r sum_t H^r_st J_t),

with H^r_st = d^2 e_r / ds dt; K_theta is the Hessian's row of theta. Piecewise-linear
rows take D_rs from their layer's convention (the Activation's f'(0), ties to the first
or last cell, as verify's gradient) and have H = 0: on the piece the convention picks,
they are linear. The cost is n vector operations per term of the trace and sample
(the 55-parameter 3x7x4 conv stack of the issue: 0.03 s; sp.diff of the expanded
local polynomial took 65 s).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp

from ..model.activations import Activation
from ..model.data import Dataset
from ..model.pooling import PoolMax
from ..symbolic.adjoint import check_activations
from ..symbolic.trace import Row, Trace

#: Exact numbers: Python ints where whole, else Fractions.
Number = Fraction | int

#: A polynomial: {the symbols of a monomial, sorted and repeated per power: coefficient}
Polynomial = dict[tuple[sp.Symbol, ...], Number]


def fraction(number: sp.Expr) -> Number:
    """A SymPy rational as a Python int when whole (int arithmetic is several times
    faster than Fraction's, and lectures' weights are mostly whole), else a
    Fraction."""
    p, q = int(number.p), int(number.q)
    return p if q == 1 else Fraction(p, q)


def whole(value: Fraction) -> Number:
    return value.numerator if value.denominator == 1 else value


def polynomial(expr: sp.Expr) -> Polynomial:
    """expr expanded into monomials; rows are sums, products and integer powers of
    symbols and rational numbers (the trace's linear and loss rows)."""
    if expr.is_Rational:
        return {(): fraction(expr)}
    if expr.is_Symbol:
        return {(expr,): 1}
    if expr.is_Add:
        result: Polynomial = defaultdict(int)
        for arg in expr.args:
            for monomial, c in polynomial(arg).items():
                result[monomial] += c
        return {monomial: whole(Fraction(c)) for monomial, c in result.items()}
    if expr.is_Mul:
        result = {(): 1}
        for arg in expr.args:
            result = multiply(result, polynomial(arg))
        return result
    if expr.is_Pow and expr.exp.is_Integer and expr.exp >= 0:
        result, base = {(): 1}, polynomial(expr.base)
        for _ in range(int(expr.exp)):
            result = multiply(result, base)
        return result
    raise AssertionError(f"row term {expr} is not a polynomial")


def multiply(a: Polynomial, b: Polynomial) -> Polynomial:
    result: Polynomial = defaultdict(int)
    for ma, ca in a.items():
        for mb, cb in b.items():
            result[tuple(sorted(ma + mb, key=str))] += ca * cb
    return {monomial: whole(Fraction(c)) for monomial, c in result.items()}


def without(monomial: tuple, symbol: sp.Symbol) -> tuple:
    """The monomial divided by `symbol` once."""
    i = monomial.index(symbol)
    return monomial[:i] + monomial[i + 1 :]


@dataclass(frozen=True)
class PolynomialRow:
    """A polynomial row's monomials and, per symbol it reads, its first and second
    derivatives as monomials (factor included) to evaluate at each sample."""

    monomials: tuple[tuple[tuple, Fraction], ...]
    first: dict[sp.Symbol, tuple[tuple[tuple, Fraction], ...]]
    second: dict[tuple[sp.Symbol, sp.Symbol], tuple[tuple[tuple, Fraction], ...]]

    @classmethod
    def of(cls, expr: sp.Expr) -> "PolynomialRow":
        monomials = polynomial(expr)
        first, second = defaultdict(list), defaultdict(list)
        for monomial, c in monomials.items():
            for s in set(monomial):
                rest = without(monomial, s)
                first[s].append((rest, c * monomial.count(s)))
                for t in set(rest):
                    second[s, t].append(
                        (without(rest, t), c * monomial.count(s) * rest.count(t))
                    )
        return cls(
            tuple(monomials.items()),
            {key: tuple(terms) for key, terms in first.items()},
            {key: tuple(terms) for key, terms in second.items()},
        )


def evaluate(terms, values: dict) -> Number:
    """sum of c x_1 x_2 ... over the (monomial, c) terms, at `values`."""
    total = 0
    for monomial, c in terms:
        for symbol in monomial:
            c = c * values[symbol]
        total += c
    return total


@functools.cache
def slope(activation: Activation, sign: int) -> Number:
    """f' on the side `sign` of 0 (at 0: the layer's convention f'(0)), from the
    Activation itself; f is linear on each side and f(0) = 0, so f(z) = slope z."""
    assert activation(sp.S.Zero) == 0, f"{activation.kind} is not 0 at 0"
    return fraction(activation.derivative(sp.Integer(sign)))


def winning_cell(row: Row, values: dict) -> sp.Symbol:
    """The cell a max/min row passes on: the first best cell in raster order, or the
    last with tie="last" (pooling.pool_derivatives' rule)."""
    cells = row.expr.args if row.tie == "first" else row.expr.args[::-1]
    numbers = [values[cell] for cell in cells]
    best = max(numbers) if row.expr.func is PoolMax else min(numbers)
    return cells[numbers.index(best)]


@dataclass(frozen=True)
class Local:
    """One row at one sample: its value, D_rs for the symbols s with a tangent, and
    (s, t, H^r_st) for the pairs that both have one."""

    value: Number
    first: dict
    second: tuple = ()


def local(row: Row, form: PolynomialRow | None, values: dict, tangents: dict) -> Local:
    if row.role == "activation":
        z = row.expr.args[0]
        d = slope(row.activation, (values[z] > 0) - (values[z] < 0))
        return Local(d * values[z], {z: d} if z in tangents else {})
    if row.role == "pool":
        cell = winning_cell(row, values)
        return Local(values[cell], {cell: 1} if cell in tangents else {})
    first = {
        s: evaluate(terms, values) for s, terms in form.first.items() if s in tangents
    }
    second = tuple(
        (s, t, evaluate(terms, values))
        for (s, t), terms in form.second.items()
        if s in tangents and t in tangents
    )
    return Local(evaluate(form.monomials, values), first, second)


#: A tangent: {parameter index: entry}, sparse (a first conv layer's values depend
#: on its own weights only; measured 3x faster than dense vectors on a conv stack).
Vector = dict[int, Number]


def add_scaled(total: Vector, d, vector: Vector) -> None:
    """total += d * vector, in place."""
    for i, v in vector.items():
        total[i] = total.get(i, 0) + d * v


def forward(trace: Trace, forms: dict, values: dict, tangents: dict) -> list[Local]:
    """Every row's value and tangent J_r in place; the rows' local derivatives. A row
    that reads nothing with a tangent (pixels only) gets none: it is a constant. One
    that does keeps its tangent even when that is 0: its adjoint still carries the
    second derivatives (L = (v w - 1)^2 at v = w = 0)."""
    sweep = []
    for row in trace.rows:
        step = local(row, forms.get(row.symbol), values, tangents)
        values[row.symbol] = step.value
        tangent: Vector = {}
        for s, d in step.first.items():
            if d != 0:
                add_scaled(tangent, d, tangents[s])
        if step.first:
            tangents[row.symbol] = tangent
        sweep.append(step)
    return sweep


def reverse(trace: Trace, sweep: list[Local], tangents: dict):
    """Adjoints a_s and their tangents K_s, from a_L = 1 backwards."""
    adjoints = {trace.loss: 1}
    second: dict[sp.Symbol, Vector] = defaultdict(dict)
    for row, step in zip(reversed(trace.rows), reversed(sweep)):
        a = adjoints.get(row.symbol)
        if a is None:
            continue  # L does not depend on this row
        k = second.get(row.symbol)
        for s, d in step.first.items():
            adjoints[s] = adjoints.get(s, 0) + a * d
            if k and d != 0:
                add_scaled(second[s], d, k)
        if a != 0:
            for s, t, h in step.second:
                if h != 0:
                    add_scaled(second[s], a * h, tangents[t])
    return adjoints, second


def loss_derivatives(trace: Trace, weights, data: Dataset):
    """(gradient, Hessian) of L = sum over samples of sum_k (F_k - y_k)^2 at `weights`,
    exact, with the layers' conventions at kinks and ties; an n-vector and an n x n
    list of lists of Fractions. A SymcnnError for activations without exact values
    (sigmoid, tanh, f), as verify.check."""
    check_activations(trace, exact=True)
    data.check_fits(trace.network)
    data.require_targets("the Hessian")
    parameters, size = trace.parameters, len(trace.parameters)
    forms = {
        row.symbol: PolynomialRow.of(row.expr)
        for row in trace.rows
        if row.role not in ("activation", "pool")
    }
    gradient, hessian = [0] * size, [{} for _ in range(size)]
    for sample in data.samples:
        values = {p: fraction(sp.Rational(w)) for p, w in zip(parameters, weights)}
        values.update(
            (p, fraction(v)) for p, v in zip(trace.pixels.flat, sample.image.flat)
        )
        values.update((y, fraction(v)) for y, v in zip(trace.targets, sample.target))
        tangents = {p: {i: 1} for i, p in enumerate(parameters)}
        adjoints, second = reverse(
            trace, forward(trace, forms, values, tangents), tangents
        )
        for i, p in enumerate(parameters):
            gradient[i] += adjoints.get(p, 0)
            add_scaled(hessian[i], 1, second.get(p, {}))
    # Fractions throughout the result: int / int would be a float in inertia()
    return (
        [Fraction(g) for g in gradient],
        [[Fraction(row.get(j, 0)) for j in range(size)] for row in hessian],
    )


def exact_hessian(trace: Trace, weights, data: Dataset) -> list[list[Fraction]]:
    """The Hessian of L at `weights` (loss_derivatives)."""
    return loss_derivatives(trace, weights, data)[1]
