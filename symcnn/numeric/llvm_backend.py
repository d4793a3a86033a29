"""The compiled backend: the gradient program through symengine's LLVM Lambdify.

Our own functions become standard forms symengine compiles, with the same conventions
(ReLU'(0), pooling ties to the first cell in the order given): ReLU -> Max(x, 0),
ReLU' -> Piecewise, max pooling -> Max, its winner -> Piecewise of comparisons. Rows are
substituted into the outputs as shared symengine subtrees and Lambdify's own cse finds
them again. NUMERICS.md measured this route at 1.5x PyTorch on L8 with 256 images.
symengine is an optional extra (`pip install symcnn[fast]`).
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from ..errors import SymcnnError
from ..model.activations import LeakyReLU, LeakyReLUStep, ReLU, ReLUStep, Sigmoid
from ..model.losses import LogSumExp, Softmax, SoftPlus
from ..model.pooling import MaxWinner, MinWinner, PoolMax, PoolMin, rivals


def winner(position, *cells, strict, loose):
    me = cells[int(position)]
    tests = [
        strict(me, rival) if is_strict else loose(me, rival)
        for rival, is_strict in rivals(int(position), cells)
    ]
    return sp.Piecewise((1, sp.And(*tests)), (0, True))


STANDARD = {
    # not Max(x, 0): LLVM's maxnum turns NaN into 0, where numpy and C give NaN
    ReLU: lambda x: sp.Piecewise((0, x < 0), (x, True)),
    ReLUStep: lambda x, c: sp.Piecewise((1, x > 0), (c, sp.Eq(x, 0)), (0, True)),
    LeakyReLU: lambda x, a: sp.Piecewise((x, x > 0), (a * x, True)),
    LeakyReLUStep: lambda x, a, c: sp.Piecewise(
        (1, x > 0), (c, sp.Eq(x, 0)), (a, True)
    ),
    Sigmoid: lambda x: 1 / (1 + sp.exp(-x)),
    PoolMax: lambda *cells: sp.Max(*cells),
    PoolMin: lambda *cells: sp.Min(*cells),
    MaxWinner: lambda i, *c: winner(
        i, *c, strict=sp.StrictGreaterThan, loose=sp.GreaterThan
    ),
    MinWinner: lambda i, *c: winner(i, *c, strict=sp.StrictLessThan, loose=sp.LessThan),
    LogSumExp: LogSumExp.standard,
    Softmax: Softmax.standard,
    SoftPlus: SoftPlus.standard,
}


def standard(expr: sp.Expr) -> sp.Expr:
    """expr with our functions in standard SymPy forms (rows are small: fast)."""
    for function, form in STANDARD.items():
        if expr.has(function):
            expr = expr.replace(function, form)
    return expr


def lambdify_llvm(arguments, assignments, outputs):
    """A callable on an (n, len(arguments)) array giving (n, len(outputs))."""
    try:
        import symengine as se
    except ImportError:
        raise SymcnnError(
            "the llvm backend needs symengine: pip install 'symcnn[fast]'"
        ) from None
    values: dict = {}
    for symbol, expr in assignments:
        values[se.sympify(symbol)] = se.sympify(standard(expr)).xreplace(values)
    compiled_outputs = [se.sympify(standard(o)).xreplace(values) for o in outputs]
    return se.Lambdify(
        [se.sympify(a) for a in arguments], compiled_outputs, backend="llvm", cse=True
    )


def evaluate(function, theta: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The program on every row (pixels, targets), same weights: (n, outputs)."""
    weights = np.broadcast_to(theta, (len(rows), len(theta)))
    return function(np.ascontiguousarray(np.hstack([weights, rows])))
