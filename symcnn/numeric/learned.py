"""What training found, told exactly: learned weights snapped to simple fractions and
re-checked in exact arithmetic, the learned F_NN, and a comparison with given
weights."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from ..model.data import Dataset, binary_images
from ..model.losses import EXACT_LOSSES
from ..prove.verify import MAX_EXHAUSTIVE_PIXELS, check
from ..symbolic.trace import Trace
from .compile import compile_forward

#: A weight is snapped to a fraction when one with a denominator up to SNAP_DENOMINATOR
#: lies within SNAP_TOLERANCE of it.
SNAP_TOLERANCE = 1e-4
SNAP_DENOMINATOR = 12


def snap(value: float) -> sp.Rational | None:
    """The simple fraction nsimplify finds near `value`, or None if there is none."""
    guess = sp.nsimplify(float(value), tolerance=SNAP_TOLERANCE, rational=True)
    if guess.q <= SNAP_DENOMINATOR and abs(float(guess) - value) <= SNAP_TOLERANCE:
        return guess
    return None


def snap_all(weights: np.ndarray) -> tuple[sp.Rational | None, ...]:
    """snap(w) for every weight; nsimplify only where a fraction p/q with q <=
    SNAP_DENOMINATOR lies within SNAP_TOLERANCE (a little more: rounding), which
    every snapped weight has (LeNet-5's 44,426 weights: 5 s of nsimplify, now
    the few that can snap)."""
    values = np.asarray(weights, dtype=np.float64)
    near = np.zeros(len(values), dtype=bool)
    for q in range(1, SNAP_DENOMINATOR + 1):
        scaled = values * q
        near |= np.abs(scaled - np.round(scaled)) <= SNAP_TOLERANCE * q * (1 + 1e-6)
    return tuple(snap(v) if close else None for v, close in zip(values, near))


@dataclass(frozen=True)
class Learned:
    """snapped: one fraction per weight (None where none is close); exact_loss: the
    loss of the snapped weights when all snapped (None otherwise); gap: the largest
    |F_learned(P) - F_given(P)| over the compared images, with how many there were."""

    snapped: tuple[sp.Rational | None, ...]
    exact_loss: sp.Rational | None
    gap: float | None = None
    compared_images: int = 0

    @property
    def all_snapped(self) -> bool:
        return all(value is not None for value in self.snapped)


def comparison_images(trace: Trace, data: Dataset) -> np.ndarray:
    """Every binary image of the input size if there are at most 2^16, else the data."""
    shape = trace.network.shapes[0]
    if int(np.prod(shape)) <= MAX_EXHAUSTIVE_PIXELS:
        return np.array([np.array(i, dtype=float) for i in binary_images(shape)])
    return data.pixel_arrays()


def describe(trace: Trace, data: Dataset, weights: np.ndarray, given=None) -> Learned:
    """Snap `weights`, re-check the snapped ones exactly, and compare with `given`
    (exact weights, e.g. the hand-picked ones) on comparison_images."""
    snapped = snap_all(weights)
    exact_loss = None
    exact = all(
        getattr(layer, "activation", None) is None or layer.activation.is_exact
        for layer in trace.network.layers
    )
    exact = exact and trace.loss_kind in EXACT_LOSSES  # the cross entropies are not
    if exact and all(value is not None for value in snapped):
        exact_loss = check(trace, snapped, data).loss
    if given is None:
        return Learned(snapped, exact_loss)
    images = comparison_images(trace, data)
    forward = compile_forward(trace, backend="auto")
    given_vector = np.array([float(v) for v in given])
    gap = np.max(np.abs(forward(weights, images) - forward(given_vector, images)))
    return Learned(snapped, exact_loss, float(gap), len(images))
