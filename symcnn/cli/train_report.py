"""What `train` found, for people (text) and scripts (JSON)."""

from __future__ import annotations

import sympy as sp

from ..limits import MAX_PRINTED_SIZE
from ..numeric.learned import Learned
from ..numeric.training import TrainResult
from ..symbolic.trace import Trace
from ..typeset.derivation import Derivation
from ..typeset.inlined_size import inlined_size
from ..typeset.latex import FormulaTooLarge, make_printer
from ..typeset.linebreak import text_lines
from .check_report import wrapped

#: Text output fits an 80-column terminal.
TEXT_WIDTH = 80
#: The learned F_NN is written with weights rounded to this many significant digits
#: when they do not all snap to fractions.
ROUNDED_DIGITS = 3


#: The report lists this many learned weights; --all lists every one.
MAX_LISTED_WEIGHTS = 30


def shown_weights(learned: Learned, result: TrainResult) -> list[sp.Expr]:
    """Each weight as its snapped fraction, else rounded to ROUNDED_DIGITS."""
    return [
        sp.Float(float(f"{w:.{ROUNDED_DIGITS}g}"), ROUNDED_DIGITS)
        if fraction is None
        else fraction
        for w, fraction in zip(result.weights, learned.snapped)
    ]


def learned_formula(
    trace: Trace, learned: Learned, result: TrainResult, fmt: str
) -> str:
    """F_NN(P) with the learned weights put in (snapped fractions where they snapped,
    else rounded), expanded to pixels (one per output)."""
    size = inlined_size(trace.network)
    if size > MAX_PRINTED_SIZE:  # LeNet-5: 80 s and 1 GB to inline, then refused
        return (  # print_within_limits's words, said before the work
            f"(not written out: a formula would be written with {size:,.0f} symbols "
            f"and operations, more than the {MAX_PRINTED_SIZE:,} symcnn prints; give "
            "a layer a `name` so that its values are equations of their own)"
        )
    derivation = Derivation(trace, None, shown_weights(learned, result))
    show = make_printer(trace.names, fmt).doprint
    try:
        return "; ".join(
            show(out) for out in derivation.output(expanded=True, substituted=True)
        )
    except FormulaTooLarge as error:  # the training's result is still reported
        return f"(not written out: {error})"


def stop_text(result: TrainResult) -> str:
    return (
        f"Final loss {result.final_loss:.3e} after {result.steps} steps\n"
        f"(stopped: {result.stopped}; random start {result.attempt + 1} of at most "
        f"{result.attempts})"
    )


def learned_lines(learned: Learned) -> list[str]:
    snapped = sum(value is not None for value in learned.snapped)
    lines = [
        f"Snapped to simple fractions: {snapped} of {len(learned.snapped)} weights"
    ]
    if learned.exact_loss is not None:
        verdict = (
            "an exact zero-loss solution"
            if learned.exact_loss == 0
            else "not an exact solution; the floats above are the result"
        )
        lines.append(
            f"Exact loss of the snapped weights: {learned.exact_loss} ({verdict})"
        )
    if learned.gap is not None:
        lines += wrapped(
            f"Compared with the given weights on {learned.compared_images} images: "
            f"largest |F_learned(P) - F_given(P)| = {learned.gap:.3g} (weights can "
            "differ where the functions agree: hidden units can be permuted)"
        )
    return lines


def weight_lines(result: TrainResult, learned: Learned, *, every: bool) -> list[str]:
    """'w_{1} = 0.333333 = 1/3' per weight (the fraction only where it snapped and
    says more than the decimal), at most MAX_LISTED_WEIGHTS of them unless `every`."""
    lines = ["Learned weights (rounded; = the fraction where one is within 1e-4):"]
    pairs = list(zip(result.weights_by_name().items(), learned.snapped))
    shown = pairs if every else pairs[:MAX_LISTED_WEIGHTS]
    for (name, value), fraction in shown:
        decimal = f"{value:.6g}"
        exact = "" if fraction is None or str(fraction) == decimal else f" = {fraction}"
        lines.append(f"  {name} = {decimal}{exact}")
    if len(shown) < len(pairs):
        lines.append(
            f"  ... {len(pairs) - len(shown):,} more "
            "(--all lists every one; --save FILE writes them all)"
        )
    return lines


def formula_lines(
    trace: Trace, result: TrainResult, learned: Learned, formula: bool | None
) -> list[str]:
    """The learned F_NN(P): written when `formula` is True, or, when it is None, only
    when every weight snapped (then it is exact and short, as slide L4's)."""
    if formula is None:
        formula = learned.all_snapped
    if not formula:
        return [
            "Learned F_NN(P): not written; symcnn train --formula writes it "
            f"({ROUNDED_DIGITS} digits)"
        ]
    return text_lines(
        "Learned F_NN(P)", learned_formula(trace, learned, result, "text"), TEXT_WIDTH
    )


def train_text(
    trace: Trace,
    result: TrainResult,
    learned: Learned,
    *,
    every: bool = False,
    formula: bool | None = None,
) -> str:
    """The training report: how it stopped, the weights (bounded unless `every`), what
    snapped, and the learned F_NN (see formula_lines)."""
    lines = [stop_text(result)]
    if result.message:
        lines += wrapped(result.message)
    lines += weight_lines(result, learned, every=every)
    lines += learned_lines(learned)
    lines += formula_lines(trace, result, learned, formula)
    return "\n".join(lines)


def train_json(trace: Trace, result: TrainResult, learned: Learned) -> dict:
    return {
        "final_loss": result.final_loss,
        "steps": result.steps,
        "stopped": result.stopped,
        "message": result.message,
        "attempt": result.attempt,
        "history": result.history.tolist(),
        "weights": result.weights_by_name(),
        "snapped": {
            name: None if value is None else str(value)
            for name, value in zip(result.weights_by_name(), learned.snapped)
        },
        "snapped_exact_loss": (
            None if learned.exact_loss is None else str(learned.exact_loss)
        ),
        "learned_output": learned_formula(trace, learned, result, "latex"),
        "compared": (
            None
            if learned.gap is None
            else {"images": learned.compared_images, "largest_difference": learned.gap}
        ),
    }
