"""A spec's [train] and [latex] values checked, each with a fix; the data's targets
read as the [train] loss reads them (a class index or one-hot for cross_entropy, 0 or
1 for binary_cross_entropy)."""

from __future__ import annotations

import math

from ..errors import DataError, SymcnnError, did_you_mean
from ..model.exact import shown_value, to_fraction
from ..model.data import Dataset
from ..model.images import check_training_images
from ..model.losses import LOSSES, loss_data

#: The optimizers of numeric.optimizers.OPTIMIZERS, named here since a spec is read
#: before that stage (tests/files/test_spec_limits.py holds the two equal).
TRAIN_OPTIMIZERS = ("gd", "momentum", "adam")
#: [latex]: how derive and document typeset this spec, as their options say it.
LATEX_FIELDS = {
    "width": (int, 20),
    "elide": (int, 2),
    "cdot": (bool, None),
    "expanded": (bool, None),
}


#: [train] keys that are whole numbers, with their least value (as train() says).
TRAIN_WHOLE_NUMBERS = {"steps": 0, "seed": 0, "restarts": 1}


def train_problem(key: str, given: object) -> str | None:
    """What is wrong with `key = given` in [train], with a fix; None when it is fine."""
    shown = shown_value(given)
    if key == "loss":
        return loss_problem(given, shown)
    if key == "optimizer":
        if isinstance(given, str) and given in TRAIN_OPTIMIZERS:
            return None
        return (
            f"{shown} is not an optimizer{did_you_mean(given, TRAIN_OPTIMIZERS)}; "
            f"use one of {', '.join(repr(o) for o in TRAIN_OPTIMIZERS)}"
        )
    if key in TRAIN_WHOLE_NUMBERS:
        least = TRAIN_WHOLE_NUMBERS[key]
        if isinstance(given, int) and not isinstance(given, bool) and given >= least:
            return None
        return f"{shown} is not a whole number >= {least}; write for example {least}"
    example = "0.01" if key == "lr" else "1e-12"
    sign = "positive" if key == "lr" else "non-negative"
    try:
        number = train_number(given)
    except OverflowError:  # "1e400" in quotes
        number = math.inf
    except SymcnnError:
        number = math.nan
    if number == math.inf:
        return (
            f"{shown}: the number is too large, beyond float64 (over 1.8e308, as "
            f"TOML reads 1e1000); write for example {example}"
        )
    if number == 0 and isinstance(given, str) and to_fraction(given, "") != 0:
        return (
            f"{shown}: the number is too small for float64 (under 4.9e-324, it "
            f"would be 0); write 0 if you mean it, or for example {example}"
        )
    if number > 0 or key == "tol" and number == 0:
        return None
    return f"{shown} is not a {sign} number; write for example {example}"


def train_number(given: object) -> float:
    """lr or tol as the float training uses: a number, or an exact one in quotes
    ("1/20", as every other number of a spec may be written); nan when it is no
    number (the comparisons of train_problem then fail); OverflowError when too
    large, a SymcnnError for text that is no number."""
    if isinstance(given, str):
        return float(to_fraction(given, ""))
    if isinstance(given, (int, float)) and not isinstance(given, bool):
        return float(given)
    return math.nan


def loss_problem(given: object, shown: str) -> str | None:
    """What is wrong with `loss = given`, with a fix; None when it names a loss."""
    if isinstance(given, str) and given in LOSSES:
        return None
    return (
        f"{shown} is not a loss{did_you_mean(given, LOSSES)}; "
        f"use one of {', '.join(repr(kind) for kind in LOSSES)}"
    )


def spec_loss(document: dict) -> str | None:
    """[train] loss as the data's targets are read by it: the squared error when
    none is given, None for one that is no loss (train_problem says why)."""
    given = document.get("train")
    if not isinstance(given, dict) or "loss" not in given:
        return "squared_error"
    return given["loss"] if loss_problem(given["loss"], "") is None else None


def check_targets(data: Dataset, network, loss: str | None) -> None:
    """The DataError of the first sample whose image or target (as `loss` reads it)
    does not fit `network`; targets are not checked for a refused loss (None)."""
    if loss is None:
        return
    loss_data(loss, data, network.output_size).check_fits(network)


#: [data] samples = "all": every image of the input size over the alphabet.
ALL_IMAGES = "all"
#: The loss of every image when [train] names none: the mean, so that the default
#: learning rates work on 512 images as on 3 (the sum's gradient grows with them).
ALL_IMAGES_LOSS = "mean_squared_error"


def every_image_requested(document: dict, target) -> bool:
    """[data] samples = "all", to be built now: not when [target] is there but was
    refused (its own problem is reported; "the spec has none" would be wrong)."""
    data = document.get("data")
    target_read = target is not None or "target" not in document
    return isinstance(data, dict) and data.get("samples") == ALL_IMAGES and target_read


def every_image_count(document: dict, network, alphabet) -> None:
    """samples = "all" over MAX_TRAINING_IMAGES refused as every_image_spec refuses
    it, for a spec read without building its target (summary: no SymPy)."""
    data = document.get("data")
    if isinstance(data, dict) and data.get("samples") == ALL_IMAGES:
        check_training_images(network.shapes[0], alphabet)


def every_image_spec(network, target, alphabet, train: dict) -> Dataset | None:
    """The Dataset of every image with its target, for samples = "all"; [train] loss
    becomes the mean squared error unless given (train is updated in place). None
    while the network has problems of its own (reported elsewhere)."""
    if target is None:
        raise DataError(
            'samples = "all" takes each image\'s target from [target], and the spec '
            'has none; add a [target] table (kind = "count", pattern = "11")'
        )
    if network is None:
        return None
    from ..model.every_image import every_image_data  # SymPy: not for summary

    train.setdefault("loss", ALL_IMAGES_LOSS)
    outputs = None if train["loss"] == "cross_entropy" else network.output_size
    data = every_image_data(network.shapes[0], target, alphabet, outputs=outputs)
    loss = train["loss"] if loss_problem(train["loss"], "") is None else None
    check_targets(data, network, loss)
    return data


def parse_latex(value: object, problems) -> dict:
    """width (>= 20), elide (>= 2), cdot and expanded (true/false); each problem
    added to `problems` (spec.Problems)."""
    if not isinstance(value, dict):
        problems.add("[latex]", f"expected a table, got {value!r}")
        return {}
    fields = value
    problems.unknown_keys("[latex]", fields, set(LATEX_FIELDS))
    settings = {}
    for key, (kind, least) in LATEX_FIELDS.items():
        if key not in fields:
            continue
        given = fields[key]
        is_bool = isinstance(given, bool)
        if kind is bool and not is_bool:
            problems.add(f"[latex].{key}", f"{given!r} is not true or false")
        elif kind is int and (is_bool or not isinstance(given, int) or given < least):
            problems.add(
                f"[latex].{key}", f"{given!r} is not a whole number >= {least}"
            )
        else:
            settings[key] = given
    return settings
