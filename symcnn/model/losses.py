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
They take logs and exponentials, so their values at rational points are irrational:
exact checks refuse them (adjoint.check_loss) and only the squared losses are exact.
"""

from __future__ import annotations

from dataclasses import replace

import sympy as sp

from ..errors import DataError, SymcnnError, did_you_mean
from .activations import Sigmoid
from .data import Dataset, Sample

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


#: The C helpers the _ccode above calls (c_backend.py puts them in every program).
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


def float_value(expr: sp.Expr) -> float | None:
    """The float64 value of a loss with every number put in (its functions in
    standard form); None while it holds a symbol or a generic f."""
    for function in (LogSumExp, Softmax, SoftPlus):
        expr = expr.replace(function, function.standard)
    try:
        return float(expr)
    except TypeError:
        return None


def loss_scale(kind: str, samples: int, outputs: int) -> sp.Rational:
    """The factor of the sum over samples: 1/(N K) for the mean, else 1."""
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
            if sample.target is not None and sample.target not in ((0,), (1,)):
                raise DataError(
                    f"sample {sample.name}: target {shown(sample.target)} is not 0 "
                    "or 1; binary_cross_entropy takes y = 0 or y = 1"
                )
    return data


def shown(target: tuple) -> str:
    return str(target[0]) if len(target) == 1 else f"[{', '.join(map(str, target))}]"


def one_hot(sample: Sample, classes: int) -> Sample:
    """A class index y (0 .. classes - 1) as the one-hot row; a one-hot row as it is."""
    target = sample.target
    if target is None:
        return sample
    fix = (
        f"give a class index 0 to {classes - 1} or a one-hot list of {classes} "
        "numbers (a single 1, the rest 0)"
    )
    if len(target) == 1:
        index = target[0]
        if not (index.is_Integer and 0 <= index < classes):
            raise DataError(
                f"sample {sample.name}: target {index} is not a class index of the "
                f"network's {classes} outputs; {fix}"
            )
        row = tuple(sp.Integer(int(k == index)) for k in range(classes))
        return replace(sample, target=row)
    if len(target) != classes or sorted(target) != [0] * (classes - 1) + [1]:
        raise DataError(
            f"sample {sample.name}: target {shown(target)} is neither a class index "
            f"nor one-hot over the network's {classes} outputs; {fix}"
        )
    return sample


def class_index(target: tuple) -> int:
    """The position of the 1 in a one-hot target."""
    return list(target).index(1)
