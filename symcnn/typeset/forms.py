"""The forms a lecture writes of one network, as SymPy expressions: the equations,
F_NN(P) nested and expanded, and the loss (model/losses.py) with the images
substituted, each optionally with exact weights put in (slide L4).

Every form is the trace with rows substituted back (terms.substitute keeps the order);
this module only chooses which rows to inline and what to substitute.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import sympy as sp

from ..model.data import Dataset
from ..model.losses import LogSumExp, SoftPlus, class_index, loss_data, loss_scale
from ..symbolic.terms import lecture_product, lecture_sum, substitute
from ..symbolic.trace import Trace

F_NN = sp.Function("F_{NN}")
LOSS = sp.Function("L")(sp.Symbol("w"))
IMAGE = sp.Symbol("P")


def sample_symbol(number: int) -> sp.Symbol:
    """P_{1}, P_{2}, ...: the images of the training set as they appear in the loss."""
    return sp.Symbol(f"P_{{{number}}}")


def sample_loss(kind: str, outputs: list, target: tuple) -> list[sp.Expr]:
    """The terms one sample adds to the loss, from its output values."""
    if kind == "cross_entropy":
        picked = outputs[class_index(target)]
        return [LogSumExp(*outputs), lecture_product([sp.S.NegativeOne, picked])]
    if kind == "binary_cross_entropy":
        logit = outputs[0]
        if target[0] == 1:  # -log sigma(F) = log(1 + e^{-F})
            logit = lecture_product([sp.S.NegativeOne, logit])
        return [SoftPlus(logit)]
    terms = []
    for out, y in zip(outputs, target):
        residual = lecture_sum([out, -y])
        terms.append(sp.Pow(residual, 2, evaluate=residual.is_Number))
    return terms


@dataclass(frozen=True)
class Forms:
    """The lecture's formulas for one network and dataset, optionally with exact
    weights substituted."""

    trace: Trace
    data: Dataset | None = None
    weights: Sequence[sp.Rational] | None = None

    def _weight_map(self) -> dict:
        return dict(zip(self.trace.parameters, self.weights or ()))

    def equations(
        self, *, substituted: bool = False
    ) -> list[tuple[sp.Symbol, sp.Expr]]:
        """(a_{11}, p_{11} w_{1} + p_{12} w_{2}), ... for every named row."""
        return list(self.iter_equations(substituted=substituted))

    def iter_equations(
        self, *, substituted: bool = False
    ) -> Iterator[tuple[sp.Symbol, sp.Expr]]:
        """equations() one at a time, each inlined when it is asked for (derive
        prints a big network's first rows before the last are inlined)."""
        weights = self._weight_map() if substituted else {}
        for row in self.trace.equations():
            expr = self.trace.inline(row.expr)
            # Without weights there is nothing to put in: substitute would only build
            # again what inline just built (a third of a big network's derive).
            yield row.symbol, substitute(expr, weights) if weights else expr

    def output(
        self, *, expanded: bool = False, substituted: bool = False
    ) -> list[sp.Expr]:
        """F_NN(P) per output: nested (named values kept) or expanded to pixels."""
        weights = self._weight_map() if substituted else {}
        return [
            substitute(self.trace.inline(out, keep_named=not expanded), weights)
            for out in self.trace.outputs
        ]

    def loss_with_images(self, *, substituted: bool = False) -> sp.Expr:
        """The loss with each image's pixels put in: sum over samples of
        (F_NN(P_s) - Y_s)^2 (times 1/(N K) for the mean), of
        lse(F_NN(P_s)) - F_NN(P_s)_{y_s} (cross entropy), or of
        log(1 + e^{-F_NN(P_s)}) for y_s = 1 and log(1 + e^{F_NN(P_s)}) for y_s = 0."""
        outputs = self.output(expanded=True, substituted=substituted)
        kind, terms = self.trace.loss_kind, []
        for sample in self.loss_data().samples:
            pixels = dict(zip(self.trace.pixels.flat, sample.image.flat))
            values = [substitute(out, pixels) for out in outputs]
            terms += sample_loss(kind, values, sample.target)
        scale = loss_scale(kind, len(self.data), len(outputs))
        return lecture_product([scale, lecture_sum(terms)])

    def loss_data(self) -> Dataset:
        """The data with targets as the loss reads them (class indices one-hot)."""
        return loss_data(self.trace.loss_kind, self.data, len(self.trace.outputs))

    @property
    def has_loss(self) -> bool:
        """A loss needs data with a target for every sample."""
        return self.data is not None and self.data.has_targets
