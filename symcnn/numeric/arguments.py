"""The arguments of a compiled Objective or Forward, checked the same way for every
backend before any of them runs: a theta of the wrong length once met lambdify's
TypeError "_lambdifygenerated() missing ..." on python and numpy and a clear error on
C; a negative batch index was read from the end (NumPy's wrap-around); an empty batch
gave IndexError on python and (0, zeros) elsewhere. Now: one SymcnnError naming the
value and the fix, or the same result, on every backend.
"""

from __future__ import annotations

import numpy as np

from ..errors import SymcnnError


def checked_theta(theta, parameters: int) -> np.ndarray:
    """theta as a float64 vector of `parameters` values (a list or tuple is fine)."""
    try:
        vector = np.asarray(theta, dtype=np.float64)
    except (TypeError, ValueError):
        raise SymcnnError(
            f"theta {type(theta).__name__} is not a vector of numbers; pass "
            f"{parameters} floats in parameter order (network.parameters)"
        ) from None
    if vector.shape != (parameters,):
        raise SymcnnError(
            f"theta has shape {vector.shape}, but the network has {parameters} "
            f"parameters; pass a vector of {parameters} floats in parameter order "
            "(network.parameters)"
        )
    return vector


def checked_batch(batch, samples: int) -> np.ndarray:
    """batch as a vector of sample indices, each in 0..samples-1."""
    indices = np.asarray(batch)
    if indices.size == 0:
        return np.zeros(0, dtype=np.int64)
    if indices.ndim != 1 or indices.dtype.kind not in "iu":
        raise SymcnnError(
            f"batch has shape {indices.shape} and type {indices.dtype}; pass a vector "
            f"of sample indices (whole numbers 0 to {samples - 1})"
        )
    outside = indices[(indices < 0) | (indices >= samples)]
    if len(outside):
        raise SymcnnError(
            f"batch index {int(outside[0])} is outside the data's samples 0 to "
            f"{samples - 1}; pass indices in that range (negative ones are not read "
            "from the end)"
        )
    return indices


def checked_images(images, shape: tuple[int, ...]) -> np.ndarray:
    """images as float64 (samples, channels, height, width) of the input's shape."""
    try:
        array = np.asarray(images, dtype=np.float64)
    except (TypeError, ValueError):
        raise SymcnnError(
            f"images {type(images).__name__} are not an array of numbers; pass "
            f"(samples, {', '.join(map(str, shape))}) floats"
        ) from None
    if array.shape == tuple(shape):
        raise SymcnnError(
            f"images have shape {array.shape}, the shape of ONE image; pass a batch "
            f"of shape (samples, {', '.join(map(str, shape))}), e.g. images[None] "
            "for one image"
        )
    if array.ndim != 1 + len(shape) or array.shape[1:] != tuple(shape):
        raise SymcnnError(
            f"images have shape {array.shape}, but the network's input is "
            f"{tuple(shape)}; pass (samples, {', '.join(map(str, shape))}) floats"
        )
    return array
