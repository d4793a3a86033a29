"""Sums and products that keep the lecture's term order, and substitution that keeps it.

SymPy's evaluated Add sorts its terms, and ``xreplace`` re-evaluates what it rebuilds;
both would turn ``p_{11} w_{1} + p_{12} w_{2}`` into SymPy's order. These helpers build
unevaluated sums and products and fold only what a lecturer folds by hand: zero terms
vanish, factors 1 vanish, numbers combine.
"""

from __future__ import annotations

import sympy as sp


def lecture_sum(terms) -> sp.Expr:
    """t_1 + t_2 + ... in the given order; nested sums flattened, zeros dropped,
    numbers combined into one, written where the last nonzero number stood."""
    flat: list[sp.Expr] = []
    for term in terms:
        flat.extend(term.args if term.is_Add else (term,))
    numbers = [term for term in flat if term.is_Number]
    if len(numbers) == len(flat):
        return sp.Add(*numbers)
    constant = sp.Add(*numbers)
    # A lecturer writes the constant where the bias stood: the last nonzero number.
    at = max(
        (i for i, term in enumerate(flat) if term.is_Number and term != 0), default=None
    )
    kept: list[sp.Expr] = []
    for position, term in enumerate(flat):
        if not term.is_Number:
            kept.append(term)
        elif position == at and constant != 0:
            kept.append(constant)
    return kept[0] if len(kept) == 1 else sp.Add(*kept, evaluate=False)


def lecture_product(factors) -> sp.Expr:
    """f_1 f_2 ... in the given order; one numeric coefficient in front, 1s dropped,
    0 if any factor is 0."""
    flat: list[sp.Expr] = []
    for factor in factors:
        flat.extend(factor.args if factor.is_Mul else (factor,))
    coefficient = sp.Mul(*(f for f in flat if f.is_Number))
    symbolic = [f for f in flat if not f.is_Number]
    if coefficient == 0 or not symbolic:
        return coefficient
    kept = symbolic if coefficient == 1 else [coefficient, *symbolic]
    return kept[0] if len(kept) == 1 else sp.Mul(*kept, evaluate=False)


def odd_function(func, args) -> sp.Expr:
    """func(args) as written: SymPy would turn tanh(-1.7 + 0.8 f(...)) into
    -tanh(1.7 - 0.8 f(...)), flipping every weight's printed sign and re-sorting the
    sum; only a call that comes out a number (tanh(0) = 0) is evaluated."""
    evaluated = func(*args)
    return evaluated if evaluated.is_Number else func(*args, evaluate=False)


def substitute(expr: sp.Expr, mapping: dict, _memo: dict | None = None) -> sp.Expr:
    """expr with every key of `mapping` replaced (recursively, so rows can be inlined
    through rows), keeping term order and folding as lecture_sum and lecture_product."""
    memo = {} if _memo is None else _memo
    if expr in memo:
        return memo[expr]
    if expr in mapping:
        result = substitute(mapping[expr], mapping, memo)
    elif not expr.args:
        result = expr
    else:
        args = [substitute(arg, mapping, memo) for arg in expr.args]
        if expr.is_Add:
            result = lecture_sum(args)
        elif expr.is_Mul:
            result = lecture_product(args)
        elif expr.is_Pow:
            evaluate = all(arg.is_Number for arg in args)
            result = sp.Pow(*args, evaluate=evaluate)
        elif expr.func is sp.tanh:
            result = odd_function(expr.func, args)
        else:
            result = expr.func(*args)
    memo[expr] = result
    return result
