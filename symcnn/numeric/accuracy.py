"""How many images learned (float) weights get right, read as the loss reads them.

A float output is never exactly a whole number, so each loss says how an output is
read as an answer:
  squared errors:        right when |F_k - Y_k| <= 1/2 for every output k: the rule
                         of check --exhaustive --tol 0.5 (prove/verdicts.within_text),
                         inclusive as every tolerance is (--tol 0 is equality), so an
                         output exactly halfway between two whole numbers is right
  cross_entropy:         the class is the largest output (argmax; the first on a tie)
  binary_cross_entropy:  the answer is 1 when the logit F >= 0 (probability >= 1/2)

One rule, exact, as check decides it: F is what the float weights give exactly (their
binary values as fractions), not its float rounding. The float forward pass decides
every image whose |F - Y| is clear of 1/2 (or F clear of 0) by more than BORDERLINE;
the others are re-run exactly (prove/integers.py). A float 0.5 that is exactly
0.5 - 7e-17 once made train count 512 of 512 right where check counted 125.
Nets the exact engine cannot run (tanh, sigmoid) keep the float verdicts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from fractions import Fraction

import numpy as np
import sympy as sp

from ..model.data import Dataset
from ..model.every_image import every_image_data
from ..model.images import DEFAULT_ALPHABET, check_alphabet, image_count
from ..errors import SymcnnError
from ..model.losses import loss_data
from ..prove.integers import integer_plan, pixel_numerators, run_plan
from ..prove.verdicts import within_text
from ..symbolic.trace import Trace
from .compile import compile_forward

#: Wrong images kept in an Accuracy (the count is always complete).
MAX_WRONG_KEPT = 1000
#: Relative distance from the rule's edge within which a float verdict is re-decided
#: exactly: far above float64's rounding of a forward pass (1e-16 per operation).
BORDERLINE = 1e-6

RULES = {
    "cross_entropy": "the class is the largest output (argmax)",
    "binary_cross_entropy": "the answer is 1 when the output (a logit) is >= 0",
}
ROUNDED = (
    f"right when every output is within 1/2 of its target ({within_text('1/2')}, "
    "as check --exhaustive --tol 0.5)"
)


@dataclass(frozen=True)
class Wrong:
    name: str
    image: np.ndarray
    output: tuple[float, ...]
    target: tuple


@dataclass(frozen=True)
class Accuracy:
    """right of total images (`what` says which), the first wrong ones, the rule."""

    what: str
    total: int
    right: int
    wrong: tuple[Wrong, ...]
    rule: str

    @property
    def wrong_count(self) -> int:
        return self.total - self.right


def rule(loss: str) -> str:
    return RULES.get(loss, ROUNDED)


def right_answers(loss: str, outputs: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """One bool per image: the output read as an answer (module docstring) is the
    target. Targets as loss_data gives them (one-hot rows for cross_entropy)."""
    if loss == "cross_entropy":
        return np.argmax(outputs, axis=1) == np.argmax(targets, axis=1)
    if loss == "binary_cross_entropy":
        return (outputs[:, 0] >= 0) == (targets[:, 0] == 1)
    return np.all(np.abs(outputs - targets) <= 0.5, axis=1)


def accuracy(
    trace: Trace, weights: np.ndarray, data: Dataset, what: str = "training samples"
) -> Accuracy:
    """The images of `data` that `weights` get right, by trace.loss_kind's rule."""
    loss = trace.loss_kind
    data = loss_data(loss, data, trace.network.output_size)
    forward = compile_forward(trace, backend="auto")
    with np.errstate(all="ignore"):  # an overflow is a wrong answer, not an error
        outputs = forward(np.asarray(weights, dtype=np.float64), data.pixel_arrays())
    right = right_answers(loss, outputs, data.target_arrays())
    if loss != "cross_entropy":
        right = exact_borderline(trace, weights, data, outputs, right)
    wrong = tuple(
        Wrong(sample.name, sample.image, tuple(outputs[i]), sample.target)
        for i, sample in enumerate(data.samples)
        if not right[i]
    )
    return Accuracy(
        what, len(data), int(right.sum()), wrong[:MAX_WRONG_KEPT], rule(loss)
    )


def borderline(loss: str, outputs: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """The images whose float verdict could differ from the exact one."""
    if loss == "binary_cross_entropy":
        return np.abs(outputs[:, 0]) <= BORDERLINE
    gap = np.abs(np.abs(outputs - targets) - 0.5)
    scale = 1 + np.abs(outputs) + np.abs(targets)
    return np.any(~(gap > BORDERLINE * scale), axis=1)  # NaN: not borderline-safe


def exact(value) -> Fraction:
    """A float, an int or a SymPy Rational as the fraction it is."""
    if isinstance(value, sp.Rational):
        return Fraction(int(value.p), int(value.q))
    return Fraction(value)


def exact_borderline(trace, weights, data, outputs, right) -> np.ndarray:
    """`right` with the borderline images decided on F's exact value."""
    loss, targets = trace.loss_kind, data.target_arrays()
    with np.errstate(invalid="ignore"):
        rows = np.flatnonzero(
            borderline(loss, outputs, targets) & np.isfinite(outputs).all(axis=1)
        )
    if not len(rows):
        return right
    images = np.stack([data.samples[i].image for i in rows]).astype(object)
    try:
        rationals = [sp.Rational(*exact(float(w)).as_integer_ratio()) for w in weights]
        alphabet = sorted(
            {sp.Rational(*exact(v).as_integer_ratio()) for v in images.flat}
        )
        plan = integer_plan(trace, rationals, alphabet)
    except SymcnnError:  # not piecewise linear: the float verdicts stand
        return right
    numerators = run_plan(plan, pixel_numerators(images, plan.scale))
    right = right.copy()
    for n, i in enumerate(rows):
        values = [
            Fraction(int(numerator[n]), d)
            for numerator, d in zip(numerators, plan.output_denominators())
        ]
        wanted = [exact(t) for t in data.samples[i].target]
        if loss == "binary_cross_entropy":
            right[i] = (values[0] >= 0) == (wanted[0] == 1)
        else:
            right[i] = all(abs(f - y) <= Fraction(1, 2) for f, y in zip(values, wanted))
    return right


def every_image_accuracy(
    trace: Trace,
    weights: np.ndarray,
    target: Callable,
    alphabet=DEFAULT_ALPHABET,
    *,
    limit: int,
) -> Accuracy | None:
    """accuracy() on every image of the input size over `alphabet` with target(image),
    or None when there are more than `limit` of them."""
    alphabet = check_alphabet(alphabet)
    shape = trace.network.shapes[0]
    total = image_count(shape, alphabet)
    if total > limit:
        return None
    outputs = None if trace.loss_kind == "cross_entropy" else trace.network.output_size
    data = every_image_data(shape, target, alphabet, outputs=outputs)
    # "image 17", as data errors number them: P1, P2, ... are the spec's samples
    data = Dataset(
        tuple(replace(s, name=f"image {k}") for k, s in enumerate(data.samples, 1))
    )
    what = f"images of {size_text(shape)} over {len(alphabet)} pixel values"
    return accuracy(trace, weights, data, what)


def size_text(shape) -> str:
    """3x3, or 2x3x3 with channels."""
    return "x".join(map(str, shape if shape[0] > 1 else shape[1:]))
