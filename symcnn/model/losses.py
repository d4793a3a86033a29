"""Losses: what the last trace row computes from the outputs F_k and the targets y_k.

    squared_error        L = sum_s sum_k (F_k(P_s) - y_sk)^2        (the lecture's)
    mean_squared_error   L = 1/(N K) sum_s sum_k (F_k(P_s) - y_sk)^2 (F.mse_loss)
    cross_entropy        L = -sum_s log softmax(F(P_s))_{y_s}
                           = sum_s [lse(F(P_s)) - sum_k y_sk F_k(P_s)] (y one-hot)
    binary_cross_entropy L = sum_s [softplus(F(P_s)) - y_s F(P_s)]   (F a logit)

The cross entropies are PyTorch's ``F.cross_entropy`` and
``F.binary_cross_entropy_with_logits`` with reduction="sum". Their functions are SymPy
Functions of our own with their LaTeX, NumPy, Python and C code and their derivatives
in one class, written in the numerically stable forms PyTorch uses: log-sum-exp with
the maximum subtracted (no exp overflows), softplus(x) = max(x, 0) + log(1 + e^{-|x|}).
They are in loss_functions.py and provided here on first use (PEP 562), so that a
spec's data is read and checked against its loss without importing SymPy.
They take logs and exponentials, so their values at rational points are irrational:
exact checks refuse them (adjoint.check_loss) and only the squared losses are exact.
"""

from __future__ import annotations

import importlib
from fractions import Fraction
from typing import TYPE_CHECKING

from ..errors import DataError, SymcnnError, did_you_mean
from .data import Dataset, Sample
from .exact import given

if TYPE_CHECKING:
    import sympy as sp

#: The names of loss_functions.py, provided here on first use.
FUNCTIONS = ("LogSumExp", "Softmax", "SoftPlus", "float_value")


def __getattr__(name: str):
    if name in FUNCTIONS:
        module = importlib.import_module(".loss_functions", __package__)
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

LOSSES = (
    "squared_error",
    "mean_squared_error",
    "cross_entropy",
    "binary_cross_entropy",
)
#: Losses whose values at rational points are rational: the ones `check` can prove.
EXACT_LOSSES = ("squared_error", "mean_squared_error")


def loss_kind(name: object) -> str:
    """The loss's registry name, or a SymcnnError listing them."""
    if isinstance(name, str) and name in LOSSES:
        return name
    raise SymcnnError(
        f"loss {name!r} is not a loss{did_you_mean(name, LOSSES)}; use one of "
        f"{', '.join(repr(kind) for kind in LOSSES)}"
    )


#: The C helpers of loss_functions.py's _ccode (c_backend.py puts them in every
#: program).
C_HELPERS = r"""
static inline double lse(long n, const double *x)
{
  double m = x[0], s = 0.0;
  for (long k = 1; k < n; k++) m = x[k] > m ? x[k] : m;
  for (long k = 0; k < n; k++) s += exp(x[k] - m);
  return m + log(s);
}
static inline double softmax(long i, long n, const double *x)
{
  double m = x[0], s = 0.0;
  for (long k = 1; k < n; k++) m = x[k] > m ? x[k] : m;
  for (long k = 0; k < n; k++) s += exp(x[k] - m);
  return exp(x[i] - m) / s;
}
static inline double softplus(double x)
{ return (x > 0 ? x : 0.0) + log1p(exp(-fabs(x))); }
"""


def loss_scale(kind: str, samples: int, outputs: int) -> sp.Rational:
    """The factor of the sum over samples: 1/(N K) for the mean, else 1."""
    import sympy as sp

    if kind == "mean_squared_error":
        return sp.Rational(1, samples * outputs)
    return sp.S.One


def loss_data(kind: str, data: Dataset, outputs: int) -> Dataset:
    """`data` with every target as the loss reads it: cross_entropy's class indices
    become one-hot rows; a target the loss cannot read is a DataError naming the
    sample and a fix. Samples without a target are left as they are."""
    if kind == "cross_entropy":
        if outputs < 2:
            raise DataError(
                f"cross_entropy needs at least 2 outputs (one per class); the "
                f"network has {outputs}; use binary_cross_entropy for one output"
            )
        return Dataset(tuple(one_hot(sample, outputs) for sample in data.samples))
    if kind == "binary_cross_entropy":
        if outputs != 1:
            raise DataError(
                f"binary_cross_entropy needs one output (a logit); the network has "
                f"{outputs}; use cross_entropy for {outputs} classes"
            )
        for sample in data.samples:
            target = given(sample, "target")  # as read: no SymPy to check it
            if target is not None and target not in ((0,), (1,)):
                raise DataError(
                    f"sample {sample.name}: target {shown(target)} is not 0 "
                    "or 1; binary_cross_entropy takes y = 0 or y = 1"
                )
    return data


def shown(target: tuple) -> str:
    return str(target[0]) if len(target) == 1 else f"[{', '.join(map(str, target))}]"


def one_hot(sample: Sample, classes: int) -> Sample:
    """A class index y (0 .. classes - 1) as the one-hot row; a one-hot row as it is.
    Read as given (Fractions from a spec: no SymPy); the row's 0s and 1s are Fractions,
    SymPy Integers once read (exact.Exact)."""
    target = given(sample, "target")
    if target is None:
        return sample
    fix = (
        f"give a class index 0 to {classes - 1} or a one-hot list of {classes} "
        "numbers (a single 1, the rest 0)"
    )
    if len(target) == 1:
        index = target[0]
        if not (is_whole(index) and 0 <= index < classes):
            raise DataError(
                f"sample {sample.name}: target {index} is not a class index of the "
                f"network's {classes} outputs; {fix}"
            )
        row = tuple(Fraction(int(k == index)) for k in range(classes))
        return Sample(sample.name, given(sample, "image"), row)
    if len(target) != classes or sorted(target) != [0] * (classes - 1) + [1]:
        raise DataError(
            f"sample {sample.name}: target {shown(target)} is neither a class index "
            f"nor one-hot over the network's {classes} outputs; {fix}"
        )
    return sample


def is_whole(value) -> bool:
    """Whether an exact number (Fraction, SymPy Rational or int) is whole."""
    if isinstance(value, Fraction):
        return value.denominator == 1
    return isinstance(value, int) or bool(getattr(value, "is_Integer", False))


def class_index(target: tuple) -> int:
    """The position of the 1 in a one-hot target."""
    return list(target).index(1)
