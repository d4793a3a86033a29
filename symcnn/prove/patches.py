"""Proofs for every image size: a network that sums one function of local patches,
against a target that counts a local pattern, is checked once per patch class.

The form (local_form.py): F_NN(P) = b + sum_q h(P_q), one function h of the
r_h x r_w patch P_q at every position q of the convolutions' output grid, b the
read-out's bias plus what its constant units add. The same sum defines the network
on an image of any size: the same filters, and at every position the units and
read-out of position (1,1).

The target. count_pattern(pattern) with a pattern of exactly the patch size counts
Y(P) = sum_q t(P_q), t(x) = 1 if x is the pattern (per channel, summed), over the
same positions q.

The argument. F_NN(P) - Y(P) = b + sum_q (h - t)(P_q). So F_NN = Y on every image of
every size (images smaller than the patch have no position: both sums are empty,
and b = 0 makes them equal) if b = 0 and h(x) = t(x) for every patch class x over the
pixel alphabet: |alphabet|^(channels r_h r_w) exact evaluations. Conversely, if
b + h(x) != t(x) for a class x, the image x itself (r_h x r_w) is a counterexample;
and if b + h(x) = t(x) for every x but b != 0, every image of two positions
(r_h x (r_w + 1)) has F_NN - Y = b - 2b = -b != 0. The verdict is thus exact both
ways; nothing is sampled. Values are computed by the trace's own rows in Rationals.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp

from ..errors import SymcnnError
from ..limits import MAX_PATCH_CLASSES
from ..model.images import DEFAULT_ALPHABET, check_alphabet, every_image
from ..model.targets import target_name
from ..symbolic.trace import Trace
from .local_form import LocalForm, NotLocal, local_form
from .verify import evaluate

#: Wrong patch classes kept in a proof (the count is always exact).
MAX_WRONG_SHOWN = 20

ARGUMENT = (
    "F_NN(P) = b + sum over positions q of h(P_q), h the network on one patch (on "
    "another image size: the same filters, and the units and read-out of one position "
    "at every position), Y(P) = sum over the same q of t(P_q); so F_NN - Y = b + "
    "sum_q (h - t)(P_q) is 0 on every image of every size when b = 0 and h = t on "
    "every patch class, and a class with b + h != t (or b != 0 on an image of two "
    "positions) is a counterexample"
)


@dataclass(frozen=True)
class Counterexample:
    """An image on which the network (at that image's size) and the target differ."""

    image: np.ndarray
    output: sp.Rational
    expected: sp.Rational
    #: True when the image has the spec's own input size (computed by its network).
    own_size: bool


@dataclass(frozen=True)
class PatchProof:
    """The verdict for every image size, or why there is none (`reason`)."""

    reason: str = ""
    patch: tuple[int, int] | None = None
    classes: int = 0
    bias: sp.Rational = sp.S.Zero
    wrong: tuple[tuple[np.ndarray, sp.Rational, sp.Rational], ...] = ()
    wrong_count: int = 0
    counterexample: Counterexample | None = None
    argument: str = ARGUMENT

    @property
    def applies(self) -> bool:
        return not self.reason

    @property
    def proven(self) -> bool:
        return self.applies and self.bias == 0 and self.wrong_count == 0


def prove_every_size(
    trace: Trace,
    weights: Sequence[sp.Rational],
    target: Callable,
    *,
    alphabet=DEFAULT_ALPHABET,
) -> PatchProof:
    """Prove (or refute, with a counterexample) F_NN(P) = target(P) for every image
    of every size over `alphabet`, one exact evaluation per patch class; when the
    network or the target does not have the form, a PatchProof whose `reason` says
    why (then enumeration is the only proof)."""
    alphabet = check_alphabet(alphabet)
    exact = dict(zip(trace.parameters, (sp.Rational(w) for w in weights)))
    try:
        pattern = counted_pattern(target)
        form = local_form(trace, exact)
        check_pattern_size(pattern, form.patch)
    except NotLocal as reason:
        return PatchProof(reason=f"enumeration is the only proof here: {reason}")
    return verdict(trace, exact, form, target, alphabet)


def counted_pattern(target: Callable) -> np.ndarray:
    pattern = getattr(target, "counted_pattern", None)
    if pattern is None:
        name = target_name(target)
        raise NotLocal(
            f"the target {name} is not a count of a pattern (count_pattern, "
            'kind = "count"): only a count is a sum over positions'
        )
    return pattern


def check_pattern_size(pattern: np.ndarray, patch: tuple[int, int]) -> None:
    if tuple(pattern.shape) != patch:
        ph, pw = pattern.shape
        raise NotLocal(
            f"the network reads {patch[0]}x{patch[1]} patches but the pattern is "
            f"{ph}x{pw}, so F_NN and the count sum over different positions "
            "(the patch classes prove only a pattern of the patch's size)"
        )


def needed_rows(trace: Trace, exact: dict, symbols) -> list:
    """The forward rows the given symbols depend on, weights put in, in order."""
    rows = [
        (row.symbol, row.expr.xreplace(exact))
        for row in trace.rows
        if row.role != "loss"
    ]
    needed = set(symbols)
    kept = []
    for symbol, expr in reversed(rows):
        if symbol in needed:
            kept.append((symbol, expr))
            needed |= expr.free_symbols
    return kept[::-1]


def local_table(trace: Trace, exact: dict, form: LocalForm, alphabet):
    """(constant b, [(patch class x, h(x))...]): h by the trace's own rows, the
    pixels of the patch at position (1,1) set to x (the others do not matter)."""
    channels = trace.network.shapes[0][0]
    rh, rw = form.patch
    symbols = [s for s, _ in form.readout] + [s for s, _ in form.constants]
    rows = needed_rows(trace, exact, symbols)
    zeros = {pixel: sp.S.Zero for pixel in trace.pixels.flat}
    window = list(trace.pixels[:, :rh, :rw].flat)
    constant_values = evaluate(rows, zeros)
    bias = form.bias + sum(
        (w * constant_values[s] for s, w in form.constants), sp.S.Zero
    )
    table = []
    for block in every_image((channels, rh, rw), alphabet):
        for patch in block:
            exact_patch = np.array([sp.Rational(v) for v in patch.flat], dtype=object)
            values = evaluate(rows, {**zeros, **dict(zip(window, exact_patch))})
            h = sum((w * values[s] for s, w in form.readout), sp.S.Zero)
            table.append((exact_patch.reshape(patch.shape), h))
    return bias, table


def verdict(trace, exact, form: LocalForm, target, alphabet) -> PatchProof:
    channels = trace.network.shapes[0][0]
    classes = len(alphabet) ** (channels * form.patch[0] * form.patch[1])
    if classes > MAX_PATCH_CLASSES:
        raise SymcnnError(
            f"{classes} patch classes ({len(alphabet)} pixel values on {channels} "
            f"channel{'s' if channels > 1 else ''} of {form.patch[0]}x{form.patch[1]})"
            " are over the limit of "
            f"{MAX_PATCH_CLASSES} (limits.MAX_PATCH_CLASSES); use a smaller alphabet "
            "or smaller filters"
        )
    bias, table = local_table(trace, exact, form, alphabet)
    wrong = [
        (x, h, sp.Rational(target(x))) for x, h in table if h != sp.Rational(target(x))
    ]
    counter = None
    if bias != 0 or wrong:
        counter = counterexample(trace, exact, form, target, bias, table)
    return PatchProof(
        patch=form.patch,
        classes=classes,
        bias=bias,
        wrong=tuple(wrong[:MAX_WRONG_SHOWN]),
        wrong_count=len(wrong),
        counterexample=counter,
    )


def family_value(image: np.ndarray, bias, lookup: dict, patch) -> sp.Rational:
    """b + sum_q h(P_q) on an image of any size at least the patch."""
    _, height, width = image.shape
    rh, rw = patch
    return bias + sum(
        (
            lookup[key(image[:, i : i + rh, j : j + rw])]
            for i in range(height - rh + 1)
            for j in range(width - rw + 1)
        ),
        sp.S.Zero,
    )


def key(array: np.ndarray) -> tuple:
    return tuple(sp.Rational(v) for v in array.flat)


def counterexample(trace, exact, form, target, bias, table) -> Counterexample:
    """An image of the spec's own size where F_NN != Y if a simple one exists (a
    wrong class at the corner, the rest one pixel value), its F_NN computed by the
    network's own rows; else the smallest image of the argument (the class itself,
    or two positions when only b != 0), F_NN by the sum over its positions."""
    lookup = {key(x): h for x, h in table}
    shape = trace.network.shapes[0]
    rh, rw = form.patch
    wrong = [x for x, h in table if bias + h != target(x)] or [table[0][0]]
    fills = sorted({v for x, _ in table for v in x.flat}, key=repr)
    for x in wrong[:MAX_WRONG_SHOWN]:
        for fill in fills:
            image = np.full(shape, fill, dtype=object)
            image[:, :rh, :rw] = x
            output = family_value(image, bias, lookup, form.patch)
            expected = sp.Rational(target(image))
            if output != expected:
                own = network_output(trace, exact, image)
                assert own == output, f"local form {output} != network {own}"
                return Counterexample(image, own, expected, True)
    x = wrong[0]
    if bias + lookup[key(x)] == target(x):  # only b != 0: two positions
        x = np.concatenate([x, x[:, :, -1:]], axis=2)
    output = family_value(x, bias, lookup, form.patch)
    return Counterexample(x, output, sp.Rational(target(x)), False)


def network_output(trace: Trace, exact: dict, image: np.ndarray) -> sp.Rational:
    """F_NN(image) by every forward row of the trace, exactly."""
    rows = [(r.symbol, r.expr) for r in trace.rows if r.role != "loss"]
    values = evaluate(rows, {**exact, **dict(zip(trace.pixels.flat, image.flat))})
    return values[trace.outputs[0]]
