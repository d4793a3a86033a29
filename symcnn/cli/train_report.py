"""What `train` found, for people (text) and scripts (JSON)."""

from __future__ import annotations

import sympy as sp

from ..numeric.learned import Learned
from ..numeric.training import TrainResult
from ..symbolic.trace import Trace
from ..typeset.derivation import Derivation
from ..typeset.latex import FormulaTooLarge, make_printer
from ..typeset.linebreak import text_lines
from .check_report import wrapped

#: Text output fits an 80-column terminal.
TEXT_WIDTH = 80
#: The learned F_NN is written with weights rounded to this many significant digits
#: when they do not all snap to fractions.
ROUNDED_DIGITS = 3


def shown_weights(learned: Learned, result: TrainResult) -> list[sp.Expr]:
    """Snapped fractions when every weight snapped, else rounded decimals."""
    if learned.all_snapped:
        return list(learned.snapped)
    return [
        sp.Float(float(f"{w:.{ROUNDED_DIGITS}g}"), ROUNDED_DIGITS)
        for w in result.weights
    ]


def learned_formula(
    trace: Trace, learned: Learned, result: TrainResult, fmt: str
) -> str:
    """F_NN(P) with the learned weights put in, expanded to pixels (one per output)."""
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


def train_text(trace: Trace, result: TrainResult, learned: Learned) -> str:
    lines = [stop_text(result)]
    if result.message:
        lines += wrapped(result.message)
    lines.append("Learned weights (rounded; = the fraction where one is within 1e-4):")
    for (name, value), fraction in zip(
        result.weights_by_name().items(), learned.snapped
    ):
        snapped = f"  = {fraction}" if fraction is not None else ""
        lines.append(f"  {name} = {value:.6g}{snapped}")
    lines += learned_lines(learned)
    formula = learned_formula(trace, learned, result, "text")
    lines += text_lines("Learned F_NN(P)", formula, TEXT_WIDTH)
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
