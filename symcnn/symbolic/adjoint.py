"""Reverse mode over the trace: the per-sample loss and its gradient as one program.

For every row r := e(s_1, s_2, ...) taken backwards, the adjoint of r is
    dr := sum over rows r' that use r of dr' * d e_{r'} / d r,
and the gradient entry of a parameter theta is sum over rows r that use theta of
dr * d e_r / d theta. Each derivative is of one small row, never of the expanded loss
(NUMERICS.md: 306 s for the L8 net by ``diff`` of the whole, 2.6 s this way).
Activation rows take their derivative from their Activation, so the kink convention is
the one the layer chose; verify and compile both run this same program.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import sympy as sp

from ..errors import NotNumericError, SymcnnError
from ..model.losses import EXACT_LOSSES
from ..model.pooling import pool_derivatives
from .trace import Row, Trace


@dataclass(frozen=True)
class Program:
    """Straight-line assignments that end in the loss and its gradient (one sample)."""

    assignments: tuple[tuple[sp.Symbol, sp.Expr], ...]
    loss: sp.Symbol
    gradient: tuple[sp.Expr, ...]


def derivative(expr: sp.Expr, symbol: sp.Symbol) -> sp.Expr:
    """d expr / d symbol for the sums, products and integer powers that linear rows and
    the loss row are made of (sum, product and power rules); anything else goes to
    sympy.diff (measured: the count-11 program builds in 0.08 s, 0.30 s with diff)."""
    if expr == symbol:
        return sp.S.One
    if expr.is_Atom or symbol not in expr.free_symbols:
        return sp.S.Zero
    if expr.is_Add:
        return sp.Add(*(derivative(term, symbol) for term in expr.args))
    if expr.is_Mul:
        factors = expr.args
        return sp.Add(
            *(
                sp.Mul(*factors[:i], derivative(factor, symbol), *factors[i + 1 :])
                for i, factor in enumerate(factors)
                if symbol in factor.free_symbols
            )
        )
    if expr.is_Pow and expr.exp.is_Integer:
        base, exponent = expr.args
        # n base^(n-1) kept as written (2 (F - Y), not SymPy's distributed 2 F - 2 Y)
        outer = sp.Mul(exponent, base ** (exponent - 1), evaluate=False)
        inner = derivative(base, symbol)
        return outer if inner == 1 else sp.Mul(outer, inner, evaluate=False)
    return expr.diff(symbol)


def local_derivatives(row: Row) -> dict[sp.Symbol, sp.Expr]:
    """d expr / d s for every symbol s the row reads; an activation row's derivative
    comes from its Activation (which states the kink convention)."""
    if row.role == "activation":
        argument = row.expr.args[0]  # leaky ReLU's slope is a constant second argument
        return {argument: row.activation.derivative(argument)}
    if row.role == "pool":
        return pool_derivatives(row.expr, row.tie)
    linear = linear_derivatives(row.expr)
    if linear is not None:
        return linear
    return {symbol: derivative(row.expr, symbol) for symbol in row.expr.free_symbols}


def linear_derivatives(expr: sp.Expr) -> dict[sp.Symbol, sp.Expr] | None:
    """All d expr / d s in one pass when expr is a sum of products of distinct symbols
    and numbers (conv, dense and avg-pool rows); None for anything else. One pass
    instead of one per symbol: the L8 net's 75-term rows made that quadratic."""
    terms = expr.args if expr.is_Add else (expr,)
    parts: dict[sp.Symbol, list[sp.Expr]] = defaultdict(list)
    for term in terms:
        factors = term.args if term.is_Mul else (term,)
        if len(factors) == 2:  # x w: most terms of a network, on a short path
            x, w = factors
            if x.is_Symbol and w.is_Symbol and x.name != w.name:
                parts[x].append(w)
                parts[w].append(x)
                continue
        if not all(f.is_Symbol or f.is_Number for f in factors):
            return None
        symbols = [f for f in factors if f.is_Symbol]
        if len(set(symbols)) != len(symbols):
            return None
        for i, factor in enumerate(factors):
            if factor.is_Symbol:
                parts[factor].append(product_of(factors[:i] + factors[i + 1 :]))
    return {symbol: sum_of(derivatives) for symbol, derivatives in parts.items()}


# Sums and products of one or no term are built without SymPy's constructor: its
# cache and checks were most of reverse mode's time on LeNet-5's ~860,000 products,
# and SymPy gives the same objects (Mul(x) is x, Mul() is 1, Add(x) is x).
def product_of(factors) -> sp.Expr:
    if len(factors) == 1:
        return factors[0]
    return sp.Mul(*factors) if factors else sp.S.One


def sum_of(terms) -> sp.Expr:
    return terms[0] if len(terms) == 1 else sp.Add(*terms)


def check_activations(trace: Trace, *, exact: bool = False) -> None:
    """NotNumericError for a generic f (no numbers); with exact=True also a SymcnnError
    for activations and losses whose values at rationals are irrational (sigmoid,
    tanh, the cross entropies)."""
    if exact:
        check_loss(trace)
    for number, layer in enumerate(trace.network.layers, start=1):
        where = f"layer {number} ({layer.kind})"
        if not hasattr(layer, "activation"):
            continue
        if not layer.activation.is_numeric:
            raise NotNumericError(
                f"{where} uses the generic activation f, which has no numbers or "
                "derivative; use 'relu' (or another named activation) to check or "
                "train, and f only to derive and typeset"
            )
        if exact and not layer.activation.is_exact:
            raise SymcnnError(
                f"{where} uses {layer.activation.kind}, whose values at rational "
                "points are irrational, so an exact check cannot decide them; exact "
                "checks need relu, leaky_relu or identity activations (train and "
                "compare numerically instead)"
            )


def check_loss(trace: Trace) -> None:
    """A SymcnnError for a loss an exact check cannot decide: the cross entropies take
    logs and exponentials, irrational at rational points (log 2 for F = 0)."""
    if trace.loss_kind in EXACT_LOSSES:
        return
    raise SymcnnError(
        f"the loss {trace.loss_kind} takes logarithms and exponentials, whose values "
        "at rational weights are irrational (log 2 already at F = 0), so an exact "
        "check cannot decide it; judge the weights numerically instead: "
        "sc.compile_objective(trace, data)(theta) gives the float64 loss and "
        "gradient, symcnn train trains with it; or check them exactly under "
        'loss = "squared_error" or "mean_squared_error"'
    )


def chain(adjoint: sp.Expr, derivative: sp.Expr) -> sp.Expr:
    """adjoint * derivative as one flat product, number first, factors of 1 dropped,
    without SymPy's evaluation: its canonical sorting of every product took 15 of 23 s
    of reverse mode on a 45k-term net."""
    if adjoint is sp.S.One:
        return derivative
    if derivative is sp.S.One:
        return adjoint
    factors = derivative.args if derivative.is_Mul else (derivative,)
    if factors[0].is_Number:
        factors = (factors[0], adjoint, *factors[1:])
    else:
        factors = (adjoint, *factors)
    # what Mul(*factors, evaluate=False) builds, without its cache and checks
    return sp.Mul._from_args(factors)


def gradient_program(trace: Trace) -> Program:
    """Forward rows, then one adjoint row per forward row, then the gradient entries."""
    check_activations(trace)
    contributions: dict[sp.Symbol, list[sp.Expr]] = defaultdict(list)
    contributions[trace.loss].append(sp.S.One)
    adjoint_rows: list[tuple[sp.Symbol, sp.Expr]] = []
    for row in reversed(trace.rows):
        terms = contributions.pop(row.symbol, [])
        if not terms:
            continue  # the loss does not depend on this row
        adjoint = sp.Add(*terms)
        if row.role != "loss":
            symbol = sp.Symbol(f"_d{row.symbol.name}", real=True)
            adjoint_rows.append((symbol, adjoint))
            adjoint = symbol
        for symbol, derivative in local_derivatives(row).items():
            if derivative is not sp.S.Zero:  # S.Zero: the only zero a row gives
                contributions[symbol].append(chain(adjoint, derivative))
    gradient = tuple(sp.Add(*contributions.get(p, [])) for p in trace.parameters)
    forward = tuple((row.symbol, row.expr) for row in trace.rows)
    return Program(forward + tuple(adjoint_rows), trace.loss, gradient)
