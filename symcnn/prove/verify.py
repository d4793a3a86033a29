"""Exact checks of given weights: Rationals only, every value proven, nothing sampled.

Runs the trace's own rows (and the adjoint rows of adjoint.py for the gradient) with
exact numbers substituted, so the numbers are those of the derived formulas.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp

from ..model.data import Dataset, Sample
from ..model.display import RichDisplay
from ..model.losses import loss_data, loss_scale
from ..model.pooling import tie_convention, tied
from ..symbolic.adjoint import check_activations, gradient_program
from ..symbolic.trace import Row, Trace
from .exhaustive import QUICK_IMAGES, check_every_image
from .exhaustive import Exhaustive, Mismatch  # noqa: F401

#: Pixels up to which numeric/learned.py checks a learned net on every binary image.
MAX_EXHAUSTIVE_PIXELS = 16


@dataclass(frozen=True)
class Kink:
    """A point where the network is not differentiable, met on one sample: an
    activation exactly at its kink (ReLU at 0), or a max/min pooling window whose
    winning value is shared by several cells (a tie)."""

    sample: str
    row: Row
    convention: str


@dataclass(frozen=True)
class CheckReport(RichDisplay):
    """Exact facts about one weight vector on one dataset (Jupyter shows the `symcnn
    check` report: model/display.py)."""

    trace: Trace
    weights: tuple[sp.Rational, ...]
    samples: tuple[Sample, ...]
    outputs: tuple[tuple[sp.Rational, ...], ...]
    residuals: tuple[tuple[sp.Rational, ...], ...]
    loss: sp.Rational
    gradient: tuple[sp.Rational, ...]
    kinks: tuple[Kink, ...]
    exhaustive: Exhaustive | None
    #: Filled in by curvature.py (symcnn.check does): the Hessian's eigenvalue signs,
    #: and the gradient with every kink's left and right derivative.
    curvature: object = None
    one_sided: dict | None = None

    def __repr__(self) -> str:
        images = ""
        if self.exhaustive is not None:
            wrong = len(self.exhaustive.mismatches)
            checked = self.exhaustive.checked
            images = f", {checked - wrong}/{checked} images match"
        zero = "zero" if self.gradient_is_zero else "not zero"
        return (
            f"<CheckReport: loss {self.loss}, gradient {zero}, "
            f"{len(self.kinks)} kinks{images}>"
        )

    @property
    def gradient_is_zero(self) -> bool:
        return all(g == 0 for g in self.gradient)

    @property
    def passed(self) -> bool:
        """Loss exactly 0 and, when checked, no mismatch on any image."""
        exhaustive_ok = self.exhaustive is None or not self.exhaustive.mismatches
        return self.loss == 0 and exhaustive_ok


def evaluate(assignments, values: dict) -> dict:
    """Run straight-line assignments in exact arithmetic; every row becomes a number."""
    values = dict(values)
    for symbol, expr in assignments:
        value = expr.xreplace(values)
        assert value.is_Number, f"row {symbol} did not evaluate to a number: {value}"
        values[symbol] = value
    return values


def kinks_met(trace: Trace, values: dict, sample: str) -> list[Kink]:
    kinks = []
    for row in trace.rows:
        if row.role == "activation" and row.activation.has_kink:
            if values[row.expr.args[0]] == 0:
                kinks.append(Kink(sample, row, row.activation.convention()))
        elif row.role == "pool" and tied(row.expr, values):
            kinks.append(Kink(sample, row, tie_convention(row)))
    return kinks


def as_tuple(target: object) -> tuple[sp.Rational, ...]:
    values = target if isinstance(target, (list, tuple, np.ndarray)) else [target]
    return tuple(sp.Rational(v) for v in values)


def exhaustive_check(
    trace: Trace,
    weights: Sequence[sp.Rational],
    target: Callable,
    *,
    sample: int = 4096,
    seed: int = 0,
    **options,
) -> Exhaustive:
    """Compare F_NN(P) with target(P) exactly on every image of the input size (binary
    unless `alphabet` says otherwise) when there are at most MAX_EXHAUSTIVE_IMAGES,
    otherwise on `sample` random ones (`seed`): exhaustive.check_every_image, whose
    `options` (alphabet, verdict, max_images, progress, announce) it passes on."""
    check_activations(trace, exact=True)
    return check_every_image(
        trace, weights, target, sample=sample, seed=seed, **options
    )


def check(
    trace: Trace,
    weights: Sequence[sp.Rational],
    data: Dataset,
    *,
    target: Callable | None = None,
) -> CheckReport:
    """Outputs, residuals, loss L = sum (F(P) - Y)^2, its gradient and the kinks met,
    all exact; with `target`, also the exhaustive check over binary images."""
    check_activations(trace, exact=True)
    data.require_targets("the exact check")
    data = loss_data(trace.loss_kind, data, len(trace.outputs))
    data.check_fits(trace.network)
    program = gradient_program(trace)
    parameters = dict(zip(trace.parameters, weights))
    outputs, residuals, kinks = [], [], []
    loss = sp.S.Zero
    gradient = [sp.S.Zero] * len(trace.parameters)
    for sample in data.samples:
        values = dict(parameters)
        values.update(zip(trace.pixels.flat, sample.image.flat))
        values.update(zip(trace.targets, sample.target))
        values = evaluate(program.assignments, values)
        output = tuple(values[symbol] for symbol in trace.outputs)
        outputs.append(output)
        residuals.append(tuple(o - y for o, y in zip(output, sample.target)))
        loss += values[program.loss]
        gradient = [
            g + entry.xreplace(values) for g, entry in zip(gradient, program.gradient)
        ]
        kinks += kinks_met(trace, values, sample.name)
    scale = loss_scale(trace.loss_kind, len(data), len(trace.outputs))  # the mean's
    loss, gradient = scale * loss, [scale * g for g in gradient]
    exhaustive = None
    if target:  # an overview's check: every image up to QUICK_IMAGES, else a sample
        exhaustive = exhaustive_check(
            trace, weights, target, enumerate_up_to=QUICK_IMAGES
        )
    return CheckReport(
        trace,
        tuple(weights),
        data.samples,
        tuple(outputs),
        tuple(residuals),
        loss,
        tuple(gradient),
        tuple(kinks),
        exhaustive,
    )


@dataclass(frozen=True)
class LayerValues:
    """One layer's exact values on one image, (c, h, w) arrays: before its activation
    (None for Flatten) and after it."""

    number: int
    sums: np.ndarray | None
    values: np.ndarray


def evaluate_array(symbols: np.ndarray | None, values: dict) -> np.ndarray | None:
    if symbols is None:
        return None
    out = np.empty(symbols.shape, dtype=object)
    for position, symbol in np.ndenumerate(symbols):
        out[position] = values[symbol]
    return out


def forward_values(trace: Trace, weights, image: np.ndarray) -> dict:
    """Exact value of every symbol of the forward rows on `image`."""
    check_activations(trace, exact=True)
    values = dict(zip(trace.parameters, weights))
    values.update(zip(trace.pixels.flat, image.flat))
    forward = [(row.symbol, row.expr) for row in trace.rows if row.role != "loss"]
    return evaluate(forward, values)


def forward_exact(
    trace: Trace, weights: Sequence[sp.Rational], image: np.ndarray
) -> tuple[LayerValues, ...]:
    """Every layer's values on `image`, computed exactly from the trace's rows."""
    values = forward_values(trace, weights, image)
    return tuple(
        LayerValues(number, evaluate_array(sums, values), evaluate_array(out, values))
        for number, (sums, out) in enumerate(zip(trace.layer_sums, trace.layer_values))
    )


def channel_contributions(
    trace: Trace, weights: Sequence[sp.Rational], image: np.ndarray, number: int
) -> np.ndarray:
    """For a conv layer, what each input channel adds to each output value (slide L6):
    shape (channels in, filters, h, w); the sum over channels plus the bias is the
    layer's value. Computed from the layer's own rows with the other channels set to 0.
    """
    full = forward_values(trace, weights, image)
    no_bias = {p.symbol: sp.S.Zero for p in trace.network.biases[number - 1] or ()}
    inputs, sums = trace.layer_values[number - 1], trace.layer_sums[number]
    definitions = trace.definitions
    out = np.empty((inputs.shape[0], *sums.shape), dtype=object)
    for channel in range(inputs.shape[0]):
        values = {**full, **no_bias}
        for other, symbols in enumerate(inputs):
            if other != channel:
                values.update({symbol: sp.S.Zero for symbol in symbols.flat})
        for position, symbol in np.ndenumerate(sums):
            out[(channel, *position)] = definitions[symbol].xreplace(values)
    return out
