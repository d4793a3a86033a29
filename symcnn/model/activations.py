"""Nonlinearities: each one's SymPy form, LaTeX, NumPy code and derivative in one place.

The SymPy functions (ReLU, LeakyReLU, Sigmoid, ... and APPLY, each kind's function)
are in activation_functions.py and provided here on first use (PEP 562), so that a
spec's layers are read and checked without importing SymPy; an Activation's numbers
are held as Fractions and read as SymPy Rationals (exact.Exact).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from ..errors import NotNumericError, SymcnnError, did_you_mean
from .exact import Exact, to_fraction

if TYPE_CHECKING:
    import sympy as sp

#: The names of activation_functions.py, provided here on first use.
FUNCTIONS = ("ReLU", "ReLUStep", "LeakyReLU", "LeakyReLUStep", "Sigmoid", "APPLY")
#: The kinds of activation, APPLY's keys in its order (did_you_mean's).
KINDS = ("identity", "relu", "leaky_relu", "sigmoid", "tanh", "f")


def __getattr__(name: str):
    if name in FUNCTIONS:
        module = importlib.import_module(".activation_functions", __package__)
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def functions():
    """activation_functions.py (imports SymPy on first use)."""
    return importlib.import_module(".activation_functions", __package__)


@dataclass(frozen=True)
class Activation:
    """One nonlinearity f as a layer uses it: f(x), f'(x) and the convention at kinks.

    `kind` is the registry name; `grad_at_zero` is f'(0) where f has a kink there
    (ReLU: PyTorch's 0 unless the user picks another).
    """

    kind: str
    grad_at_zero: sp.Rational = Exact(Fraction(0))
    slope: sp.Rational = Exact(Fraction(1, 100))  # leaky_relu's negative slope

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
            return functions().LeakyReLU(x, self.slope)
        return functions().APPLY[self.kind](x)

    def derivative(self, x: sp.Expr) -> sp.Expr:
        """f'(x), with f'(0) = `grad_at_zero` at a kink."""
        if not self.is_numeric:
            raise NotNumericError(
                "the generic activation f has no derivative; "
                "choose a numeric activation such as 'relu' to compute gradients"
            )
        f = functions()
        if self.kind == "relu":
            return f.ReLUStep(x, self.grad_at_zero)
        if self.kind == "leaky_relu":
            return f.LeakyReLUStep(x, self.slope, self.grad_at_zero)
        if self.kind == "sigmoid":
            return f.Sigmoid(x) * (1 - f.Sigmoid(x))
        if self.kind == "tanh":
            return 1 - f.sp.tanh(x) ** 2
        return f.sp.S.One

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
        import sympy as sp

        return format(sp.Float(slope, 30), "f").rstrip("0").rstrip(".")
    if latex:
        sign = "-" if slope < 0 else ""
        return rf"{sign}\frac{{{abs(slope.p)}}}{{{slope.q}}}"
    return str(slope)


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
            f"activation {spec!r} is not a name; use one of {', '.join(sorted(KINDS))}"
        )
    kind = ALIASES.get(spec.lower(), spec.lower())
    if kind not in KINDS:
        raise SymcnnError(
            f"unknown activation {spec!r}{did_you_mean(spec, KINDS)} "
            f"(known: {', '.join(sorted(KINDS))})"
        )
    where = f"activation {spec!r}"
    if slope is not None and kind != "leaky_relu":
        raise SymcnnError(f"{where}: `slope` is an option of leaky_relu only")
    negative = to_fraction(0.01 if slope is None else slope, f"{where}: `slope`")
    if grad_at_zero is None:
        at_zero = negative if kind == "leaky_relu" else Fraction(0)
    else:
        at_zero = to_fraction(grad_at_zero, f"{where}: `grad_at_zero`")
    return Activation(kind, at_zero, negative)
