"""How an output F_NN(P) is judged against the target Y(P), on blocks of images.

Every comparison is exact: F_k = N_k / D_k with integer N_k (integers.py), the target
an integer or a fraction, the tolerance and threshold exact Rationals (a decimal such
as 0.5 is 1/2), so `F >= T` or `|F - Y| <= X` is decided without rounding:

    exact      right when F_k = Y_k for every output k
    tol X      right when |F_k - Y_k| <= X for every k
    threshold  right when [F_k >= T] = Y_k for every k (a binary output read as 1)
    argmax     right when the largest output is unique and its index is the class:
               the target is a class index (one number) or one-hot (one per output)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import sympy as sp

from ..errors import SymcnnError
from ..model.data import image_text
from ..model.exact import to_rational

MODES = ("exact", "tol", "threshold", "argmax")


@dataclass(frozen=True)
class Verdict:
    """`mode` with its number (the tolerance X or the threshold T)."""

    mode: str = "exact"
    value: sp.Rational | None = None

    def __post_init__(self):
        """The same rules as check's --tol/--threshold/--argmax: a known mode, a
        number (read exactly, as to_rational reads it) for tol (>= 0) and threshold,
        none for exact and argmax."""
        if self.mode not in MODES:
            raise SymcnnError(
                f"Verdict mode {self.mode!r} is not one of {', '.join(MODES)}; "
                'give e.g. Verdict("tol", "1/10") or Verdict("threshold", "1/2")'
            )
        if self.mode in ("exact", "argmax"):
            if self.value is not None:
                raise SymcnnError(
                    f"Verdict({self.mode!r}) takes no number (got {self.value!r}); "
                    "only tol and threshold do"
                )
            return
        if self.value is None:
            raise SymcnnError(
                f'Verdict("{self.mode}") needs its number: e.g. '
                f'Verdict("{self.mode}", "1/2")'
            )
        value = to_rational(self.value, f"Verdict {self.mode}")
        if self.mode == "tol" and value < 0:
            raise SymcnnError(
                f"Verdict tol {self.value!r}: a tolerance is >= 0; give e.g. 1/10"
            )
        object.__setattr__(self, "value", value)

    def describe(self) -> str:
        """'F = Y', '|F - Y| <= 1/10', 'F >= 1/2 read as 1', 'the largest output'."""
        if self.mode == "tol":
            return within_text(self.value)
        if self.mode == "threshold":
            return f"F >= {number_text(self.value)} read as 1, else 0"
        if self.mode == "argmax":
            return "the class is the largest output"
        return "F = Y exactly"

    def check_sizes(self, outputs: int, targets: int) -> None:
        """A SymcnnError when the target's values do not fit the outputs."""
        if self.mode == "argmax":
            if outputs < 2:
                raise SymcnnError(
                    "--argmax needs a network with several outputs (one per class); "
                    "this one has 1: use --threshold T for a binary output"
                )
            if targets not in (1, outputs):
                raise SymcnnError(
                    f"the target gives {targets} values per image; --argmax needs a "
                    f"class index (one value) or a one-hot vector of {outputs} values"
                )
            return
        if targets == 1 and outputs > 1:
            raise SymcnnError(
                f"the target gives one number per image but the network has {outputs} "
                "outputs; use --argmax (the target is then the class index) or give "
                f"a target with {outputs} values"
            )
        if targets != outputs:
            raise SymcnnError(
                f"the target gives {targets} values per image but the network has "
                f"{outputs} outputs; give one target value per output"
            )


def within_text(value) -> str:
    """The one rule for an output against a target within a tolerance X, said in the
    same words by check --tol X and by train's accuracy (X = 1/2): inclusive, so that
    --tol 0 is exact equality and `check --exhaustive --tol 0.5` proves exactly what
    the accuracy report counts; an output exactly halfway is right."""
    return f"|F - Y| <= {number_text(value)}"


#: Characters up to which a tolerance or threshold is printed exactly (1/10, 1e3 as
#: 1000); longer ones (1e400) as 7-digit decimals, about 1.000000e+400.
SHORT_NUMBER = 20


def number_text(value) -> str:
    text = str(value)
    if len(text) <= SHORT_NUMBER:
        return text
    return "about " + str(sp.Float(sp.Rational(value), 7))


def fraction(value) -> Fraction:
    value = sp.Rational(value)
    return Fraction(int(value.p), int(value.q))


def wide(array: np.ndarray) -> np.ndarray:
    """As Python integers (or Fractions): no product can overflow."""
    return array.astype(object)


def scaled(numerator: np.ndarray, denominator: int, target: np.ndarray):
    """(N, Y D) as Python numbers: F - Y has the sign of N - Y D (D > 0)."""
    return wide(numerator), wide(target) * denominator


def judge(
    verdict: Verdict,
    numerators: list[np.ndarray],
    denominators: tuple[int, ...],
    targets: list[np.ndarray],
) -> np.ndarray:
    """Boolean (n,): which images the verdict calls right. Targets: one (n,) array per
    target value (int64, or Fractions as objects)."""
    if verdict.mode == "argmax":
        return argmax_right(numerators, denominators, targets)
    right = np.ones(len(numerators[0]), dtype=bool)
    for n, d, y in zip(numerators, denominators, targets):
        if verdict.mode == "exact":
            ok = exact_equal(n, d, y)
        else:
            value, target = scaled(n, d, y)
            limit = fraction(verdict.value)
            if verdict.mode == "tol":
                ok = abs(value - target) * limit.denominator <= limit.numerator * d
            else:
                read = value * limit.denominator >= limit.numerator * d
                ok = read.astype(int) == y
        right &= np.asarray(ok, dtype=bool)
    return right


def exact_equal(n: np.ndarray, d: int, y: np.ndarray) -> np.ndarray:
    if n.dtype != object and y.dtype != object and d < 2**31:
        bound = np.abs(y).max(initial=0)
        if bound < 2**31:  # Y D stays inside int64
            return n == y * d
    value, target = scaled(n, d, y)
    return value == target


def argmax_right(numerators, denominators, targets) -> np.ndarray:
    common = math.lcm(*denominators)
    values = np.stack(
        [wide(n) * (common // d) for n, d in zip(numerators, denominators)]
    )
    best = values.max(axis=0)
    unique = (values == best).sum(axis=0) == 1
    predicted = np.argmax(values == best, axis=0)
    if len(targets) == 1:
        wanted = targets[0]
    else:
        stacked = np.stack([wide(t) for t in targets])
        wanted = np.argmax(stacked == stacked.max(axis=0), axis=0)
    return unique & (predicted == wanted)


def class_count_check(
    verdict: Verdict, targets: list[np.ndarray], outputs: int, images: np.ndarray
):
    """A SymcnnError naming the image whose class index names no output (argmax),
    or whose target is not 0 or 1 under a threshold (a count is no binary answer)."""
    if verdict.mode == "argmax" and len(targets) == 1:
        for i, v in enumerate(targets[0]):
            if not (0 <= v < outputs and v == int(v)):
                raise SymcnnError(
                    f"the target gives the class {v} for the image "
                    f"{image_text(images[i])} but the network's classes are 0 to "
                    f"{outputs - 1}; give a class index or a one-hot vector"
                )
    if verdict.mode == "threshold":
        for column in targets:
            bad = np.flatnonzero((column != 0) & (column != 1))
            if len(bad):
                raise not_binary(verdict, column[bad[0]], images[bad[0]])


def not_binary(verdict: Verdict, value, image: np.ndarray) -> SymcnnError:
    return SymcnnError(
        f"--threshold {verdict.value} reads F as 1 or 0, but the target is "
        f"{value} for the image {image_text(image)}: not a binary answer (a count?); "
        'use --tol X (e.g. --tol 0.5) for a count, or a target of kind = "contains"'
    )
