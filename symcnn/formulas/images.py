"""On which binary images a formula of the pixels takes a given value: slide L4 writes
F_NN(P) = f(-1) + ... = 0 for the image 000/000, a value, not a formula.

The exact test expands the formula on each image (SymPy): 56 s for the 4,096 images
of a 3x4 input through two layers of weights. So every image is first computed at
once in floats, one NumPy array per node of the formula (the weights still symbols
put at fixed rational points), and only the images within float rounding of the
value are tested exactly. Equal as formulas implies equal at any point, so no image
is missed; a formula with a function that has no NumPy form here is tested exactly
on every image, as before.
"""

from __future__ import annotations

from functools import reduce

import numpy as np
import sympy as sp

from ..model.activations import LeakyReLU, ReLU, Sigmoid
from ..model.pooling import PoolMax, PoolMin

#: Each function a formula may hold, on float arrays (the activations' and pooling's
#: own conventions: these are their values, not their derivatives).
FLOATS = {
    ReLU: lambda x: np.maximum(x, 0.0),
    LeakyReLU: lambda x, slope: np.where(x > 0, x, slope * x),
    Sigmoid: lambda x: 0.5 * np.tanh(0.5 * x) + 0.5,
    sp.tanh: np.tanh,
    PoolMax: lambda *cells: reduce(np.maximum, cells),
    PoolMin: lambda *cells: reduce(np.minimum, cells),
}


class NoFloats(Exception):
    """A formula this module cannot compute in floats (a generic f, a huge number)."""


def candidates(formula: sp.Expr, pixels: list, images: np.ndarray, value) -> list:
    """The indices of the `images` (n, pixels) on which `formula` (pixels and numbers
    only) may equal the number `value`: all of them when it has no float form."""
    columns = {pixel: images[:, k].astype(float) for k, pixel in enumerate(pixels)}
    try:
        result = np.broadcast_to(floats(formula, columns), len(images))
        target = as_float(value)
    except NoFloats:
        return list(range(len(images)))
    with np.errstate(all="ignore"):
        close = np.isclose(result, target, rtol=1e-9, atol=1e-9)
    return [int(i) for i in np.flatnonzero(close | ~np.isfinite(result))]


def floats(expr: sp.Expr, columns: dict):
    """`expr` on every image at once: a float or a float array."""
    if expr.is_Number:
        return as_float(expr)
    if expr.is_Symbol:
        if expr not in columns:
            raise NoFloats(expr)
        return columns[expr]
    args = [floats(arg, columns) for arg in expr.args]
    with np.errstate(all="ignore"):
        if expr.is_Add:
            return reduce(np.add, args)
        if expr.is_Mul:
            return reduce(np.multiply, args)
        if expr.is_Pow:
            return np.power(args[0], args[1])
        function = FLOATS.get(expr.func)
        if function is None:
            raise NoFloats(expr.func)
        return function(*args)


def as_float(number) -> float:
    try:
        value = float(number)
    except (OverflowError, TypeError, ValueError) as error:
        raise NoFloats(number) from error
    if not np.isfinite(value):
        raise NoFloats(number)
    return value
