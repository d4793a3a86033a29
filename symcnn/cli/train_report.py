"""What `train` found, for people (text) and scripts (JSON)."""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from ..limits import MAX_PRINTED_SIZE
from ..model.connections import Windows, layer_connections
from ..model.layers import Flatten
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


#: What a value's expanded formula is, as far as its written size cares: a product
#: written as a factor of another product merges into it (lecture_product), and so
#: does a sum into a sum (lecture_sum); a number coefficient merges with another;
#: a value 0 (a sum whose cells are all padding) drops out of sums and products.
OTHER, SUM, PRODUCT, SCALED, ZERO = 0, 1, 2, 3, 4  # SCALED: a number times


def inlined_size(network) -> float:
    """The largest output's written size (latex.written_size) with every row
    inlined (expanded to pixels), from the layers' connections: no trace row is
    built (inlining LeNet-5 took 80 s and 1 GB before its print was refused).
    Exact unless a value is a number other than 0 (sigmoid(0) = 1/2), whose
    folding only makes the formula shorter. Floats: exact below 2^53."""
    size = np.ones(math.prod(network.shapes[0]))
    kind = np.full(len(size), OTHER)
    for number, layer in enumerate(network.layers, start=1):
        if isinstance(layer, Flatten):
            continue
        conn = layer_connections(network, number)
        if isinstance(conn, Windows):
            size, kind = pooled_size(layer, conn, size, kind)
        else:
            size, kind = summed_size(conn, size, kind)
        function = layer.activation if hasattr(layer, "activation") else None
        if function is not None and not function.is_identity:
            zero = kind == ZERO
            size = size + np.where(zero, 0, 2 if function.kind == "leaky_relu" else 1)
            kind = np.where(zero & (function.kind in KEEP_ZERO), ZERO, OTHER)
            size = np.where(zero & (function.kind == "f"), 2, size)
    return float(size.max())


#: f(0) = 0 for these (f of 0 is 0, a number); sigmoid(0) = 1/2, f(0) is written.
KEEP_ZERO = ("relu", "leaky_relu", "tanh")


def only_read(start, reads, kept) -> np.ndarray:
    """Each row's input when it keeps exactly one (else any: callers mask it)."""
    rows = np.repeat(np.arange(len(start) - 1), np.diff(start))
    count = np.bincount(rows, kept, len(start) - 1)
    read = np.bincount(rows, np.where(kept, reads, 0), len(start) - 1).astype(int)
    return np.where(count == 1, read, 0)


def summed_size(conn, size, kind):
    """Sizes of x_1 w_1 + x_2 w_2 + ... (+ b): a product x w with x a product is
    one product (size(x) + 1), else size(x) + 2; one term alone is that term."""
    kept = kind[conn.inputs] != ZERO
    terms = size[conn.inputs] + np.where(kind[conn.inputs] >= PRODUCT, 1, 2)
    counts = np.bincount(conn.term_rows(), kept, conn.rows)
    bias = int(conn.bias is not None)
    total = np.bincount(conn.term_rows(), terms * kept, conn.rows) + bias
    n = counts + bias
    one = kind[only_read(conn.start, conn.inputs, kept)]
    one = np.where(one == SCALED, SCALED, PRODUCT)
    size = np.where(n > 1, 1 + total, np.where(n == 1, total, 1))
    alone = np.where((counts == 1) & (n == 1), one, np.where(n == 0, ZERO, OTHER))
    return size, np.where(n > 1, SUM, alone)


def pooled_size(layer, windows, size, kind):
    """Sizes of max/min(cells) or (1/d) (cell + cell + ...): nested sums flatten,
    a number merges into a product's, zeros drop out of the sum."""
    rows, cells = windows.cell_rows(), size[windows.cells]
    if layer.mode != "avg":
        counts = np.diff(windows.start)
        first = windows.cells[np.minimum(windows.start[:-1], len(windows.cells) - 1)]
        zero = np.bincount(rows, kind[windows.cells] != ZERO, windows.rows) == 0
        total = np.bincount(rows, cells, windows.rows)
        single = counts == 1
        size = np.where(single, size[first], np.where(zero, 1, 1 + total))
        kind = np.where(single, kind[first], np.where(zero, ZERO, OTHER))
        return size, kind
    kept = kind[windows.cells] != ZERO
    counts = np.bincount(rows, kept, windows.rows)
    flat = np.bincount(
        rows, (cells - (kind[windows.cells] == SUM)) * kept, windows.rows
    )
    one = only_read(windows.start, windows.cells, kept)
    single = counts == 1
    added = np.where(single, size[one], np.where(counts == 0, 1, 1 + flat))
    added_kind = np.where(single, kind[one], np.where(counts == 0, ZERO, SUM))
    merged = np.where(added_kind == SCALED, 0, np.where(added_kind == PRODUCT, 1, 2))
    scaled = (windows.divisor != 1) & (added_kind != ZERO)
    return (
        np.where(scaled, added + merged, added),
        np.where(scaled, SCALED, added_kind),
    )


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
