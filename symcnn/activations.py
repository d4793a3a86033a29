"""Nonlinearities: each one's SymPy form, LaTeX, NumPy code and derivative in one place.

The SymPy functions here are our own (never ``sympy.Max`` or ``Heaviside``): ``Max``
compares its symbolic arguments on every construction and ``Heaviside(0)`` silently
means 1/2 (NUMERICS.md). Each derivative states its value at the kink.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from .errors import NotNumericError, SymcnnError, did_you_mean
from .exact import to_rational


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


@dataclass(frozen=True)
class Activation:
    """One nonlinearity f as a layer uses it: f(x), f'(x) and the convention at kinks.

    `kind` is the registry name; `grad_at_zero` is f'(0) where f has a kink there
    (ReLU: PyTorch's 0 unless the user picks another).
    """

    kind: str
    grad_at_zero: sp.Rational = sp.S.Zero

    @property
    def is_identity(self) -> bool:
        return self.kind == "identity"

    @property
    def is_numeric(self) -> bool:
        """False for the generic symbolic f of slide L1: it has no numbers."""
        return self.kind != "f"

    @property
    def is_exact(self) -> bool:
        """True when f maps rationals to rationals, so exact checks can use it."""
        return self.kind in ("identity", "relu")

    @property
    def has_kink(self) -> bool:
        return self.kind == "relu"

    def __call__(self, x: sp.Expr) -> sp.Expr:
        return APPLY[self.kind](x)

    def derivative(self, x: sp.Expr) -> sp.Expr:
        """f'(x), with f'(0) = `grad_at_zero` at a kink."""
        if not self.is_numeric:
            raise NotNumericError(
                "the generic activation f has no derivative; "
                "choose a numeric activation such as 'relu' to compute gradients"
            )
        if self.kind == "relu":
            return ReLUStep(x, self.grad_at_zero)
        if self.kind == "sigmoid":
            return Sigmoid(x) * (1 - Sigmoid(x))
        if self.kind == "tanh":
            return 1 - sp.tanh(x) ** 2
        return sp.S.One

    def convention(self) -> str:
        """The derivative convention at the kink, in words ('' without a kink)."""
        if not self.has_kink:
            return ""
        return f"ReLU'(0) = {self.grad_at_zero} (one-sided: left 0, right 1)"


APPLY = {
    "identity": lambda x: x,
    "relu": ReLU,
    "sigmoid": Sigmoid,
    "tanh": sp.tanh,
    "f": sp.Function("f"),
}
ALIASES = {"linear": "identity", "none": "identity"}


def activation(spec: object, *, grad_at_zero: object = 0) -> Activation:
    """The Activation for a name ('relu', 'f', ...), None (identity), an Activation."""
    if isinstance(spec, Activation):
        return spec
    if spec is None:
        return Activation("identity")
    if not isinstance(spec, str):
        raise SymcnnError(
            f"activation {spec!r} is not a name; use one of {', '.join(sorted(APPLY))}"
        )
    kind = ALIASES.get(spec.lower(), spec.lower())
    if kind not in APPLY:
        raise SymcnnError(
            f"unknown activation {spec!r}{did_you_mean(spec, APPLY)} "
            f"(known: {', '.join(sorted(APPLY))})"
        )
    return Activation(
        kind, to_rational(grad_at_zero, f"activation {spec!r}: `grad_at_zero`")
    )
