"""Training data of every image: each image of the input size over the pixel
alphabet (images.py's order), its target computed by a target function.

A target is any Python callable: of the image (a (channels, height, width) array of
exact numbers, as count_pattern's), or of its pixels one by one in raster order
(def count_11(p_11, p_12, ...), the form latexify-py typesets). It returns one number
per output (a number or a list).
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Sequence

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
import sympy as sp

from ..errors import DataError
from .data import Dataset, Sample
from .exact import to_rational
from .images import DEFAULT_ALPHABET, check_alphabet, check_training_images
from .images import every_image


def image_target(target: Callable, shape: Sequence[int]) -> Callable:
    """`target` as a function of one image: called with the image when it takes one
    argument, with the image's pixels (raster order, channel by channel) when it
    takes one per pixel; a DataError saying both forms otherwise."""
    pixels = math.prod(shape)
    try:
        parameters = inspect.signature(target).parameters.values()
    except (TypeError, ValueError):  # a builtin without a signature: one argument
        return target
    positional = [
        p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    if len(positional) == 1 or any(p.kind == p.VAR_POSITIONAL for p in parameters):
        return target
    if len(positional) == pixels:
        return lambda image: target(*image.flat)
    name = getattr(target, "__name__", repr(target))
    raise DataError(
        f"target {name} takes {len(positional)} arguments but an image of "
        f"{'x'.join(map(str, shape))} has {pixels} pixels; write it as "
        f"{name}(image) or with one argument per pixel (p_11, p_12, ...)"
    )


def target_values(target: Callable, image: np.ndarray, number: int):
    """target(image) as a tuple of exact numbers, or a DataError naming the image."""
    value = target(image)
    values = value if isinstance(value, (list, tuple, np.ndarray)) else [value]
    if all(type(v) is int for v in values):  # the usual case, 10x faster
        return tuple(sp.Integer(v) for v in values)
    where = f"image {number} of all ({image_label(image)})"
    return tuple(to_rational(v, f"{where}: target") for v in values)


def exact_block(block: np.ndarray, alphabet) -> np.ndarray:
    """A block of images.py's images as exact Rationals (it gives int64 for integer
    alphabets)."""
    if block.dtype == object:
        return block
    values = sorted(alphabet)
    keys = np.array([int(v) for v in values], dtype=np.int64)
    return np.array(values, dtype=object)[np.searchsorted(keys, block)]


def pattern_counts(target: Callable, block: np.ndarray) -> np.ndarray | None:
    """count_pattern's or contains_pattern's values on a block of integer images at
    once (the same numbers as their loop over placements, 50x faster); None for any
    other target."""
    counted = getattr(target, "counted_pattern", None)
    contained = getattr(target, "contained_pattern", None)
    pattern = counted if counted is not None else contained
    if pattern is None or block.dtype == object:
        return None
    grid = np.array(pattern, dtype=np.int64)
    if grid.shape[0] > block.shape[2] or grid.shape[1] > block.shape[3]:
        counts = np.zeros(len(block), dtype=np.int64)  # no placement fits
    else:
        windows = sliding_window_view(block, grid.shape, axis=(2, 3))
        counts = np.all(windows == grid, axis=(-2, -1)).sum(axis=(1, 2, 3))
    return counts if counted is not None else (counts > 0).astype(np.int64)


def every_image_data(
    shape: Sequence[int],
    target: Callable,
    alphabet=DEFAULT_ALPHABET,
    *,
    outputs: int | None = None,
) -> Dataset:
    """Every image of `shape` over `alphabet` with target(image), as samples P1, P2,
    ... in images.py's order; a DataError above MAX_TRAINING_IMAGES images, or when
    the target gives another number of values than `outputs`."""
    alphabet = check_alphabet(alphabet)
    shape = tuple(shape)
    check_training_images(shape, alphabet)
    function = image_target(target, shape)
    samples = []
    for block in every_image(shape, alphabet):
        fast = pattern_counts(target, block)
        for index, image in enumerate(exact_block(block, alphabet)):
            number = len(samples) + 1
            if fast is None:
                values = target_values(function, image, number)
            else:
                values = (sp.Integer(int(fast[index])),)
            if outputs is not None and len(values) != outputs:
                raise DataError(
                    f"image {number} of all ({image_label(image)}): the target gives "
                    f"{len(values)} value(s) but the network has {outputs} output(s); "
                    "give one target value per output"
                )
            samples.append(Sample.of_exact(f"P{number}", image, values))
    return Dataset(tuple(samples))


def image_label(image: np.ndarray) -> str:
    if image.shape[0] == 1 and all(v in (0, 1) for v in image.flat):
        return "/".join("".join(str(v) for v in row) for row in image[0])
    return str([[str(sp.Rational(v)) for v in row] for row in image[0]])
