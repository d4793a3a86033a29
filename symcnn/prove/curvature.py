"""Second-order facts at given weights, exact: the Hessian's eigenvalue signs, and the
gradient under each one-sided choice at the kinks met.

Away from kinks and ties a ReLU network is, near the given weights, the polynomial one
gets by fixing every ReLU to its current side and every max to its current winner; the
Hessian of that polynomial is the Hessian of L there. It comes from the trace by
forward-over-reverse in Fractions (hessian.py: 0.03 s on a 55-parameter conv stack
where sp.diff of the expanded polynomial took 65 s). Its eigenvalue signs come from
Sylvester's law of inertia (congruence elimination in exact arithmetic), never from
floating-point eigenvalues.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from fractions import Fraction

import sympy as sp

from ..limits import MAX_HESSIAN_PARAMETERS, MAX_HESSIAN_WORK, MAX_INERTIA_SECONDS
from ..model.activations import Activation
from ..model.data import Dataset
from ..model.layers import Pool2D
from ..model.network import Network
from ..model.shapes import trace_terms
from ..symbolic.trace import Trace, build_trace
from .hessian import exact_hessian
from .verify import CheckReport, check


@dataclass(frozen=True)
class Curvature:
    """Eigenvalue sign counts of the Hessian of L, and what they mean; `reason` says
    why there are none (a kink met, too many parameters)."""

    positive: int = 0
    negative: int = 0
    zero: int = 0
    reason: str = ""

    @property
    def verdict(self) -> str:
        if self.reason:
            return f"not computed: {self.reason}"
        n = self.positive + self.negative + self.zero
        if self.positive == n:
            return "positive definite: a strict local minimum (if the gradient is 0)"
        if self.negative == n:
            return "negative definite: a strict local maximum (if the gradient is 0)"
        if self.positive and self.negative:
            return "indefinite: a saddle point (if the gradient is 0)"
        return (
            "semidefinite with zero eigenvalues: degenerate, the test is inconclusive"
        )


class TooSlow(Exception):
    """The exact elimination ran past its time limit (its numbers grew too long)."""


def inertia(
    matrix: list[list[Fraction]], seconds: float | None = None
) -> tuple[int, int, int]:
    """(positive, negative, zero) eigenvalue counts of a symmetric rational matrix, by
    symmetric elimination (a congruence keeps the counts: Sylvester's law); TooSlow
    when it runs past `seconds` (checked once per pivot row)."""
    deadline = None if seconds is None else time.monotonic() + seconds
    a = [row[:] for row in matrix]
    size = len(a)
    active = list(range(size))
    positive = negative = 0
    while active:
        pivot = next((i for i in active if a[i][i] != 0), None)
        if pivot is None:
            pair = next(
                ((i, j) for i in active for j in active if i < j and a[i][j] != 0), None
            )
            if pair is None:
                break  # what is left is all zero
            i, j = pair  # row/col i += row/col j makes a[i][i] = 2 a[i][j] != 0
            for k in range(size):
                a[i][k] += a[j][k]
            for k in range(size):
                a[k][i] += a[k][j]
            pivot = i
        value = a[pivot][pivot]
        positive += value > 0
        negative += value < 0
        active.remove(pivot)
        for r in active:
            if deadline is not None and time.monotonic() > deadline:
                raise TooSlow
            factor = a[r][pivot] / value
            if factor:
                for c in active:
                    a[r][c] -= factor * a[pivot][c]
    return positive, negative, size - positive - negative


def too_large(trace: Trace, data: Dataset) -> str:
    """Why the Hessian is not computed for this size ('' when it is): no parameters
    (no matrix to call definite), the parameter limit, and its cost, parameters x
    terms x samples exact operations at most."""
    count = len(trace.parameters)
    if count == 0:
        return "the network has no parameters"
    if count > MAX_HESSIAN_PARAMETERS:
        return f"{count} parameters (the limit is {MAX_HESSIAN_PARAMETERS})"
    work = count * trace.terms * len(data.samples)
    if work > MAX_HESSIAN_WORK:
        return (
            f"{count} parameters x {trace.terms} terms x {len(data.samples)} "
            f"samples = {work} steps (the limit is {MAX_HESSIAN_WORK})"
        )
    return ""


def second_order_facts(
    trace: Trace, weights, data: Dataset, report: CheckReport
) -> Curvature:
    """The Hessian's inertia at `weights`, or why it is not defined there."""
    if report.kinks:
        return Curvature(
            reason=f"L is not twice differentiable at the {len(report.kinks)} "
            "kink(s) and tie(s) met"
        )
    reason = too_large(trace, data)
    if reason:
        return Curvature(reason=reason)
    hessian = exact_hessian(trace, weights, data)
    try:
        return Curvature(*inertia(hessian, MAX_INERTIA_SECONDS))
    except TooSlow:
        return Curvature(
            reason=f"its exact entries grew too long to classify within "
            f"{MAX_INERTIA_SECONDS} s (weights with long fractions)"
        )


def with_convention(network: Network, side: str) -> Network:
    """The same network with every kink taken from the `side` ("left" or "right") and
    every pooling tie sent to the first ("left") or last ("right") cell."""
    layers = []
    for layer in network.layers:
        activation = getattr(layer, "activation", None)
        if activation is not None and activation.has_kink:
            left = activation.slope if activation.kind == "leaky_relu" else sp.S.Zero
            at_zero = left if side == "left" else sp.S.One
            layer = replace(
                layer, activation=Activation(activation.kind, at_zero, activation.slope)
            )
        if isinstance(layer, Pool2D):
            layer = replace(layer, tie="first" if side == "left" else "last")
        layers.append(layer)
    # The size the user's network was accepted with, whatever its max_terms was: the
    # re-run must not refuse a network the user's own run built.
    accepted = trace_terms(network.shapes, network.layers)
    return Network(network.input, *layers, max_terms=accepted)


def one_sided_gradients(
    network: Network, weights, data: Dataset, loss: str = "squared_error"
) -> dict[str, tuple]:
    """The exact gradient with every kink's left and with every kink's right
    derivative (ties to the first and to the last winning cell)."""
    return {
        side: check(
            build_trace(with_convention(network, side), loss=loss), weights, data
        ).gradient
        for side in ("left", "right")
    }


def full_check(
    trace: Trace, weights, data: Dataset, *, target=None, second_order: bool = True
) -> CheckReport:
    """verify.check, plus (with second_order) the Hessian's inertia and, where kinks
    or ties were met, the gradient under each one-sided choice."""
    report = check(trace, weights, data, target=target)
    if not second_order:
        return report
    one_sided = (
        one_sided_gradients(trace.network, weights, data, trace.loss_kind)
        if report.kinks
        else None
    )
    curvature = second_order_facts(trace, weights, data, report)
    return replace(report, curvature=curvature, one_sided=one_sided)
