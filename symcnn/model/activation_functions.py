"""The SymPy functions of the nonlinearities (activations.py's Activation applies
them): our own, never ``sympy.Max`` or ``Heaviside``, since ``Max`` compares its
symbolic arguments on every construction and ``Heaviside(0)`` silently means 1/2
(NUMERICS.md). Each derivative states its value at the kink.

A module of its own so that reading a spec needs no SymPy; activations.py still
provides every name here (ReLU, APPLY, ...) on first use.
"""

from __future__ import annotations

import sympy as sp


class ReLU(sp.Function):
    """relu(x) = max(0, x); exact on numbers, unevaluated on symbols."""

    nargs = 1

    @classmethod
    def eval(cls, x):
        if x.is_Number:
            return x if x > 0 else sp.S.Zero
        return None

    def _numpycode(self, printer):
        return f"numpy.maximum({printer._print(self.args[0])}, 0.0)"

    def _pythoncode(self, printer):
        return f"max({printer._print(self.args[0])}, 0.0)"


class ReLUStep(sp.Function):
    """relu'(x) = 1 for x > 0, 0 for x < 0, and the chosen value `at_zero` at x = 0.

    The kink value is an argument, not a global: ReLUStep(x, 0) is PyTorch's convention.
    """

    nargs = 2

    @classmethod
    def eval(cls, x, at_zero):
        if x.is_Number:
            if x > 0:
                return sp.S.One
            if x < 0:
                return sp.S.Zero
            return at_zero
        return None

    def _numpycode(self, printer):
        x, at_zero = (printer._print(arg) for arg in self.args)
        if self.args[1] == 0:
            return f"({x} > 0)"
        if self.args[1] == 1:
            return f"({x} >= 0)"
        return f"(({x} > 0) + {at_zero}*({x} == 0))"

    _pythoncode = _numpycode


class LeakyReLU(sp.Function):
    """leaky_relu(x, a) = x for x > 0, a x otherwise (PyTorch's negative_slope a)."""

    nargs = 2

    @classmethod
    def eval(cls, x, slope):
        if x.is_Number:
            return x if x > 0 else slope * x
        return None

    def _numpycode(self, printer):
        x, slope = (printer._print(arg) for arg in self.args)
        return f"numpy.where({x} > 0, {x}, {slope}*{x})"

    def _pythoncode(self, printer):
        x, slope = (printer._print(arg) for arg in self.args)
        return f"({x} if {x} > 0 else {slope}*{x})"


class LeakyReLUStep(sp.Function):
    """leaky_relu'(x) = 1 for x > 0, a for x < 0 and `at_zero` at x = 0 (PyTorch: a)."""

    nargs = 3

    @classmethod
    def eval(cls, x, slope, at_zero):
        if x.is_Number:
            return sp.S.One if x > 0 else (slope if x < 0 else at_zero)
        return None

    def _numpycode(self, printer):
        x, slope, at_zero = (printer._print(arg) for arg in self.args)
        if self.args[1] == self.args[2]:
            return f"(({x} > 0) + {slope}*({x} <= 0))"
        return f"(({x} > 0) + {slope}*({x} < 0) + {at_zero}*({x} == 0))"

    _pythoncode = _numpycode


class Sigmoid(sp.Function):
    """sigmoid(x) = 1 / (1 + exp(-x))."""

    nargs = 1

    @classmethod
    def eval(cls, x):
        if x.is_Number:
            return 1 / (1 + sp.exp(-x))
        return None

    def _numpycode(self, printer):
        # sigmoid(x) = (1 + tanh(x/2)) / 2: the same number, and no overflow of exp(-x)
        return f"(0.5*numpy.tanh(0.5*({printer._print(self.args[0])})) + 0.5)"

    def _pythoncode(self, printer):
        return f"(0.5*tanh(0.5*({printer._print(self.args[0])})) + 0.5)"


APPLY = {
    "identity": lambda x: x,
    "relu": ReLU,
    "leaky_relu": LeakyReLU,
    "sigmoid": Sigmoid,
    "tanh": sp.tanh,
    "f": sp.Function("f"),
}
