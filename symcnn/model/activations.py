"""Nonlinearities: each one's SymPy form, LaTeX, NumPy code and derivative in one place.

The SymPy functions here are our own (never ``sympy.Max`` or ``Heaviside``): ``Max``
compares its symbolic arguments on every construction and ``Heaviside(0)`` silently
means 1/2 (NUMERICS.md). Each derivative states its value at the kink.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from ..errors import NotNumericError, SymcnnError, did_you_mean
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


@dataclass(frozen=True)
class Activation:
    """One nonlinearity f as a layer uses it: f(x), f'(x) and the convention at kinks.

    `kind` is the registry name; `grad_at_zero` is f'(0) where f has a kink there
    (ReLU: PyTorch's 0 unless the user picks another).
    """

    kind: str
    grad_at_zero: sp.Rational = sp.S.Zero
    slope: sp.Rational = sp.Rational(1, 100)  # leaky_relu's negative slope

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
        return self.kind in ("identity", "relu", "leaky_relu")

    @property
    def has_kink(self) -> bool:
        return self.kind in ("relu", "leaky_relu")

    def __call__(self, x: sp.Expr) -> sp.Expr:
        if self.kind == "leaky_relu":
            return LeakyReLU(x, self.slope)
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
        if self.kind == "leaky_relu":
            return LeakyReLUStep(x, self.slope, self.grad_at_zero)
        if self.kind == "sigmoid":
            return Sigmoid(x) * (1 - Sigmoid(x))
        if self.kind == "tanh":
            return 1 - sp.tanh(x) ** 2
        return sp.S.One

    def definition(self, fmt: str = "text") -> tuple[str, str] | None:
        """(lhs, rhs) of f's defining line as the printers name f ("f(x)", ...), in
        "text" or "latex"; None for the identity and the generic f of slide L1."""
        latex = fmt == "latex"
        if self.kind == "relu":
            return ("f(x)", r"\max(0, x)" if latex else "max(0, x)")
        if self.kind == "leaky_relu":
            slope = slope_text(self.slope, latex)
            if latex:
                cases = rf"x & x > 0 \\ {slope} x & x \le 0"
                cases = rf"\begin{{cases}} {cases} \end{{cases}}"
                return (r"\operatorname{LReLU}(x)", cases)
            return ("LReLU(x)", f"x for x > 0, {slope} x for x <= 0")
        if self.kind == "sigmoid":
            if latex:
                return (r"\sigma(x)", r"\frac{1}{1 + e^{-x}}")
            return ("sigma(x)", "1 / (1 + e^(-x))")
        if self.kind == "tanh":
            if latex:
                return (r"\tanh(x)", r"\frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}")
            return ("tanh(x)", "(e^x - e^(-x)) / (e^x + e^(-x))")
        return None

    def convention(self) -> str:
        """The derivative convention at the kink, in words ('' without a kink)."""
        if self.kind == "relu":
            return f"ReLU'(0) = {self.grad_at_zero} (one-sided: left 0, right 1)"
        if self.kind == "leaky_relu":
            return (
                f"LeakyReLU'(0) = {self.grad_at_zero} "
                f"(one-sided: left {self.slope}, right 1)"
            )
        return ""


def slope_text(slope: sp.Rational, latex: bool) -> str:
    """A slope as its exact decimal when it has one (0.01), else as a fraction."""
    q = slope.q
    for prime in (2, 5):
        while q % prime == 0:
            q //= prime
    if q == 1:
        return format(sp.Float(slope, 30), "f").rstrip("0").rstrip(".")
    if latex:
        sign = "-" if slope < 0 else ""
        return rf"{sign}\frac{{{abs(slope.p)}}}{{{slope.q}}}"
    return str(slope)


APPLY = {
    "identity": lambda x: x,
    "relu": ReLU,
    "leaky_relu": LeakyReLU,
    "sigmoid": Sigmoid,
    "tanh": sp.tanh,
    "f": sp.Function("f"),
}
ALIASES = {"linear": "identity", "none": "identity"}


def activation(
    spec: object, *, grad_at_zero: object = None, slope: object = None
) -> Activation:
    """The Activation for a name ('relu', 'f', ...), None (identity), an Activation.

    `grad_at_zero` is f'(0) at a kink (default PyTorch's: 0 for relu, the slope for
    leaky_relu); `slope` is leaky_relu's negative slope (default 0.01, as PyTorch)."""
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
    where = f"activation {spec!r}"
    if slope is not None and kind != "leaky_relu":
        raise SymcnnError(f"{where}: `slope` is an option of leaky_relu only")
    negative = to_rational(0.01 if slope is None else slope, f"{where}: `slope`")
    if grad_at_zero is None:
        at_zero = negative if kind == "leaky_relu" else sp.S.Zero
    else:
        at_zero = to_rational(grad_at_zero, f"{where}: `grad_at_zero`")
    return Activation(kind, at_zero, negative)
