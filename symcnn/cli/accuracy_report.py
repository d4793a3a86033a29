"""After training: how many training samples and how many images of the input size
the learned weights get right (numeric/accuracy.py says how a float is read), and
the wrong ones, for people (text) and scripts (JSON)."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, replace

from ..files.spec import Spec
from ..files.train_values import every_image_spec
from ..limits import MAX_TRAINING_IMAGES
from ..model.data import image_json, image_text
from ..model.images import image_count
from ..numeric.accuracy import Accuracy, accuracy, every_image_accuracy, size_text
from ..symbolic.trace import Trace
from .exhaustive_report import more_wrong

#: Wrong images listed in the text report (JSON lists up to MAX_WRONG_KEPT).
WRONG_SHOWN = 20
#: Text reports fit an 80-column terminal.
TEXT_WIDTH = 80


@dataclass(frozen=True)
class TrainingAccuracy:
    """On the training samples (None without targets), on every image (None without
    a [target], or `skipped` says why)."""

    samples: Accuracy | None
    every: Accuracy | None
    skipped: str = ""


def training_accuracy(spec: Spec, trace: Trace, weights) -> TrainingAccuracy:
    """Right/wrong of `weights` on spec.data and, with a [target], on every image
    of the input size over the spec's alphabet (up to MAX_TRAINING_IMAGES)."""
    on_samples = None
    if spec_has_every_image(spec):  # the training samples are every image
        what = (
            f"images of {size_text(spec.network.shapes[0])} over "
            f"{len(spec.alphabet)} pixel values, all of them trained on"
        )
        return TrainingAccuracy(accuracy(trace, weights, spec.data, what), None)
    if spec.data is not None and spec.data.has_targets:
        on_samples = accuracy(trace, weights, spec.data)
    if spec.target is None:
        return TrainingAccuracy(on_samples, None, "the spec has no [target]")
    total = image_count(spec.network.shapes[0], spec.alphabet)
    if total > MAX_TRAINING_IMAGES:
        return TrainingAccuracy(
            on_samples,
            None,
            f"{total:,} images are over the limit of {MAX_TRAINING_IMAGES:,} "
            "(limits.MAX_TRAINING_IMAGES); `check --exhaustive --threshold` judges "
            "them exactly",
        )
    every = every_image_accuracy(
        trace, weights, spec.target, spec.alphabet, limit=MAX_TRAINING_IMAGES
    )
    return TrainingAccuracy(on_samples, every)


def numbers(values) -> str:
    return ", ".join(f"{float(v):.4g}" for v in values)


def output_text(output, target) -> str:
    """F with 4 digits, or with every digit (shortest float repr) when 4 digits would
    put every output within 1/2 of its target: F = 0.50000000816 shown as 0.5 beside
    target 0 read as right on a line of wrong images."""
    short = [float(f"{float(f):.4g}") for f in output]
    if all(abs(f - float(y)) <= 0.5 for f, y in zip(short, target)):
        return ", ".join(repr(float(f)) for f in output)
    return numbers(output)


def accuracy_lines(result: Accuracy) -> list[str]:
    lines = [
        f"Right on {result.right} of {result.total} {result.what} "
        f"({result.wrong_count} wrong)"
    ]
    for wrong in result.wrong[:WRONG_SHOWN]:
        lines.append(
            f"  wrong: {wrong.name} {image_text(wrong.image)}: F = "
            f"{output_text(wrong.output, wrong.target)}, target {numbers(wrong.target)}"
        )
    if result.wrong_count > WRONG_SHOWN:
        lines.append(more_wrong(result.wrong_count, WRONG_SHOWN, len(result.wrong)))
    return lines


def accuracy_text(found: TrainingAccuracy) -> str:
    """'Right on 512 of 512 images of 3x3 over 2 values (0 wrong)', with the rule."""
    parts = [found.samples, found.every]
    lines = [
        line for part in parts if part is not None for line in accuracy_lines(part)
    ]
    if found.skipped:
        lines.append(f"Every image: not counted ({found.skipped})")
    if found.samples is not None and found.every is not None and found.every.wrong:
        lines.append(
            f"  (learned from {found.samples.total} samples only; "
            "`--data all` trains on every image)"
        )
    shown = next((part for part in parts if part is not None), None)
    if shown is not None:
        rule = f"(an output is read as an answer: {shown.rule})"
        lines += textwrap.wrap(rule, TEXT_WIDTH, subsequent_indent=" ")
    return "\n".join(lines)


def accuracy_json(found: TrainingAccuracy) -> dict:
    def one(result: Accuracy | None):
        if result is None:
            return None
        return {
            "what": result.what,
            "total": result.total,
            "right": result.right,
            "wrong_count": result.wrong_count,
            "listed": len(result.wrong),
            "truncated": len(result.wrong) < result.wrong_count,
            "rule": result.rule,
            "wrong": [
                {
                    "name": w.name,
                    "image": image_text(w.image),
                    "pixels": image_json(w.image),
                    "output": [float(v) for v in w.output],
                    "target": [str(v) for v in w.target],
                }
                for w in result.wrong
            ],
        }

    return {
        "training_samples": one(found.samples),
        "every_image": one(found.every),
        "every_image_skipped": found.skipped or None,
    }


def every_image_option(spec: Spec, args) -> Spec:
    """`train --data all`: the spec with every image as its samples (as [data]
    samples = "all" says it), the mean squared error unless [train] names a loss."""
    if getattr(args, "data", "spec") != "all" or spec_has_every_image(spec):
        return spec
    train = dict(spec.train)
    data = every_image_spec(spec.network, spec.target, spec.alphabet, train)
    return replace(spec, data=data, train=train)


def spec_has_every_image(spec: Spec) -> bool:
    shape = spec.network.shapes[0]
    return spec.data is not None and len(spec.data) == image_count(shape, spec.alphabet)
