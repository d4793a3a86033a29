"""The exhaustive section of `check`: right on N of M images, whether that is a proof
(every image) or a sample (not a proof), and the wrong images with F and the target."""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

from ..limits import MAX_EXHAUSTIVE_IMAGES
from ..model.data import image_json, image_text
from ..model.images import DEFAULT_ALPHABET
from ..prove.exhaustive import Exhaustive
from ..typeset.latex import FLOAT_DECIMALS, decimal_text

#: Wrong images listed in the text report (JSON lists exhaustive.MAX_LISTED).
SHOWN_WRONG = 20

#: Characters up to which an exact number is printed as it is by default; longer ones
#: (a learned float weight's 100-digit fractions) as FLOAT_DECIMALS-digit decimals.
SHORT_NUMBER = 20


def number_text(decimals: int | None) -> Callable[[sp.Rational], str]:
    """How a report prints a number: with `decimals`, as a decimal of that many
    significant digits (whole numbers as they are); otherwise exact when at most
    SHORT_NUMBER characters, else as a FLOAT_DECIMALS-digit decimal."""

    def show(value) -> str:
        value = sp.Rational(value)
        if decimals is not None:
            return decimal_text(value, decimals)
        text = str(value)
        if len(text) <= SHORT_NUMBER:
            return text
        return decimal_text(value, FLOAT_DECIMALS)

    return show


def images_word(result: Exhaustive, shape: str) -> str:
    """'binary 4x4 images' or '4x4 images over {-1, 0, 1}'."""
    if tuple(result.alphabet) == DEFAULT_ALPHABET:
        return f"binary {shape} images"
    return f"{shape} images over {{{', '.join(map(str, result.alphabet))}}}"


def shape_text(network) -> str:
    channels, *size = network.shapes[0]
    return "x".join(map(str, size if channels == 1 else (channels, *size)))


def exhaustive_lines(report, show: Callable = number_text(None)) -> list[str]:
    """The section's lines (none without --exhaustive)."""
    result: Exhaustive | None = report.exhaustive
    if result is None:
        return []
    kind = images_word(result, shape_text(report.trace.network))
    right, checked = result.right, result.checked
    if result.verdict.mode == "exact":
        head = f"Exhaustive: {right:,} of {checked:,} {kind} match the target"
    else:
        head = (
            f"Exhaustive: right on {right:,} of {checked:,} {kind} "
            f"({result.verdict.describe()})"
        )
    lines = [head]
    if result.is_complete:
        lines.append("  every image checked in exact integer arithmetic: a proof")
    else:
        lines.append(
            f"  sampled {checked:,} of {result.total:,} images (seed {result.seed}), "
            "not a proof"
        )
        if result.total <= MAX_EXHAUSTIVE_IMAGES:
            lines.append("  (`symcnn check --exhaustive` checks every one)")
    if result.wrong_count:
        lines.append(f"  wrong on {result.wrong_count:,}:")
    for mismatch in result.mismatches[:SHOWN_WRONG]:
        lines.append(
            f"  {image_text(mismatch.image)}: "
            f"F_NN = {', '.join(map(show, mismatch.output))}, "
            f"target {', '.join(map(show, mismatch.expected))}"
            + rounded_note(mismatch.output, mismatch.expected, show)
        )
    if result.wrong_count > SHOWN_WRONG:
        listed = len(result.mismatches)
        lines.append(more_wrong(result.wrong_count, SHOWN_WRONG, listed))
    return lines


def rounded_note(output, expected, show: Callable) -> str:
    """When F_NN and the target differ but print alike (F = count - 1e-30 shown
    with 7 digits), their exact difference, so a wrong image never reads as right."""
    differences = [
        sp.Rational(f) - sp.Rational(y)
        for f, y in zip(output, expected)
        if show(f) == show(y) and sp.Rational(f) != sp.Rational(y)
    ]
    if not differences:
        return ""
    shown = ", ".join(decimal_text(d, 3) for d in differences)
    return f" (rounded; F_NN - target = {shown})"


def more_wrong(wrong_count: int, shown: int, listed: int) -> str:
    """The line under the first `shown` wrong images: how many more, and how many of
    them JSON lists (`listed`; all, or the first ones)."""
    where = (
        "all in --format json"
        if listed == wrong_count
        else f"--format json lists the first {listed:,}"
    )
    return f"  ... and {wrong_count - shown:,} more ({where})"


def exhaustive_json(result: Exhaustive | None, show: Callable = str) -> dict | None:
    """Stable keys: counts, whether it is a proof, and every wrong image listed
    (exhaustive.MAX_LISTED at most) with F and the target as exact strings and as
    `show` writes them."""
    if result is None:
        return None
    return {
        "checked": result.checked,
        "total": result.total,
        "complete": result.is_complete,
        "proof": result.is_complete,
        "sampled": None
        if result.is_complete
        else f"sampled {result.checked} of {result.total}, not a proof",
        "seed": result.seed,
        "alphabet": [str(a) for a in result.alphabet],
        "verdict": result.verdict.mode,
        "verdict_rule": result.verdict.describe(),
        "right": result.right,
        "wrong": result.wrong_count,
        "wrong_count": result.wrong_count,
        # mismatches lists the first `listed` wrong images (exhaustive.MAX_LISTED)
        "listed": len(result.mismatches),
        "truncated": len(result.mismatches) < result.wrong_count,
        "mismatches": [
            {
                "image": image_text(m.image),
                "pixels": image_json(m.image),
                "output": [str(v) for v in m.output],
                "expected": [str(v) for v in m.expected],
                "output_shown": [show(v) for v in m.output],
            }
            for m in result.mismatches
        ],
    }


def check_passed(report) -> bool:
    """With a verdict for learned weights (--tol, --threshold, --argmax), every image
    right decides; otherwise report.passed (loss exactly 0, every image matching)."""
    result = report.exhaustive
    if result is not None and result.verdict.mode != "exact":
        return result.wrong_count == 0
    return report.passed
