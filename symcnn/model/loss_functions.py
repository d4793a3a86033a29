"""The SymPy functions of the cross entropies (losses.py names the losses): our own,
with their LaTeX, NumPy, Python and C code and their derivatives in one class, in the
numerically stable forms PyTorch uses: log-sum-exp with the maximum subtracted (no exp
overflows), softplus(x) = max(x, 0) + log(1 + e^{-|x|}).

A module of its own so that reading a spec needs no SymPy; losses.py still provides
every name here (LogSumExp, Softmax, SoftPlus, float_value) on first use.
"""

from __future__ import annotations

import sympy as sp

from ..errors import SymcnnError
from .activation_functions import Sigmoid


def _maximum(args, call: str) -> str:
    """call(call(a, b), c): the maximum of the printed args, folded."""
    code = args[0]
    for arg in args[1:]:
        code = f"{call}({code}, {arg})"
    return code


def _lse_code(printer, xs, module: str, maximum: str, numerator=None) -> str:
    """m + log(sum_k exp(x_k - m)) with m = max_k x_k (or exp(x_i - m) / sum),
    m bound once by a lambda so that it is computed once."""
    args = [printer._print(x) for x in xs]
    total = " + ".join(f"{module}exp({a} - m)" for a in args)
    if numerator is None:
        body = f"m + {module}log({total})"
    else:
        body = f"{module}exp({args[numerator]} - m)/({total})"
    return f"((lambda m: {body})({maximum(args)}))"


class LogSumExp(sp.Function):
    """lse(x_1, ..., x_K) = log sum_k e^{x_k}, computed as m + log sum_k e^{x_k - m}
    with m = max_k x_k; d lse / d x_i = softmax(x)_i. Unevaluated on every input."""

    def fdiff(self, argindex=1):
        return Softmax(sp.Integer(argindex - 1), *self.args)

    def _latex(self, printer):
        terms = " + ".join(f"e^{{{printer._print(x)}}}" for x in self.args)
        return rf"\log\left({terms}\right)"

    def _sympystr(self, printer):
        terms = " + ".join(f"exp({printer._print(x)})" for x in self.args)
        return f"log({terms})"

    def _numpycode(self, printer):
        return _lse_code(
            printer, self.args, "numpy.", lambda a: _maximum(a, "numpy.maximum")
        )

    def _pythoncode(self, printer):
        return _lse_code(printer, self.args, "", lambda a: f"max({', '.join(a)})")

    def _ccode(self, printer):
        args = ", ".join(printer._print(x) for x in self.args)
        return f"lse({len(self.args)}, (const double[]){{{args}}})"

    @staticmethod
    def standard(*xs):
        """The same number in standard SymPy functions (for symengine)."""
        m = sp.Max(*xs)
        return m + sp.log(sp.Add(*(sp.exp(x - m) for x in xs)))


class Softmax(sp.Function):
    """softmax(x)_i = e^{x_i - m} / sum_k e^{x_k - m} (first argument: i, from 0);
    d softmax_i / d x_j = softmax_i (delta_ij - softmax_j)."""

    def fdiff(self, argindex=2):
        if argindex == 1:
            raise SymcnnError("softmax's index is a whole number, not a variable")
        i, xs = self.args[0], self.args[1:]
        j = sp.Integer(argindex - 2)
        own = Softmax(i, *xs)
        if i == j:
            return own * (1 - own)
        return -own * Softmax(j, *xs)

    def _latex(self, printer):
        args = ", ".join(printer._print(x) for x in self.args[1:])
        return rf"\operatorname{{softmax}}\left({args}\right)_{{{self.args[0] + 1}}}"

    def _sympystr(self, printer):
        args = ", ".join(printer._print(x) for x in self.args[1:])
        return f"softmax({args})_{{{self.args[0] + 1}}}"

    def _numpycode(self, printer):
        maximum = lambda a: _maximum(a, "numpy.maximum")  # noqa: E731
        return _lse_code(printer, self.args[1:], "numpy.", maximum, int(self.args[0]))

    def _pythoncode(self, printer):
        maximum = lambda a: f"max({', '.join(a)})"  # noqa: E731
        return _lse_code(printer, self.args[1:], "", maximum, int(self.args[0]))

    def _ccode(self, printer):
        args = ", ".join(printer._print(x) for x in self.args[1:])
        count = len(self.args) - 1
        return f"softmax({int(self.args[0])}, {count}, (const double[]){{{args}}})"

    @staticmethod
    def standard(i, *xs):
        m = sp.Max(*xs)
        return sp.exp(xs[int(i)] - m) / sp.Add(*(sp.exp(x - m) for x in xs))


class SoftPlus(sp.Function):
    """softplus(x) = log(1 + e^x) = max(x, 0) + log(1 + e^{-|x|}) (no overflow);
    softplus'(x) = sigmoid(x)."""

    nargs = 1

    def fdiff(self, argindex=1):
        return Sigmoid(self.args[0])

    def _latex(self, printer):
        return rf"\log\left(1 + e^{{{printer._print(self.args[0])}}}\right)"

    def _sympystr(self, printer):
        return f"log(1 + exp({printer._print(self.args[0])}))"

    def _numpycode(self, printer):
        x = printer._print(self.args[0])
        return f"(numpy.maximum({x}, 0.0) + numpy.log1p(numpy.exp(-numpy.abs({x}))))"

    def _pythoncode(self, printer):
        x = printer._print(self.args[0])
        return f"(max({x}, 0.0) + log1p(exp(-abs({x}))))"

    def _ccode(self, printer):
        return f"softplus({printer._print(self.args[0])})"

    @staticmethod
    def standard(x):
        return sp.Max(x, 0) + sp.log(1 + sp.exp(-sp.Abs(x)))


def float_value(expr: sp.Expr) -> float | None:
    """The float64 value of a loss with every number put in (its functions in
    standard form); None while it holds a symbol or a generic f."""
    for function in (LogSumExp, Softmax, SoftPlus):
        expr = expr.replace(function, function.standard)
    try:
        return float(expr)
    except TypeError:
        return None
