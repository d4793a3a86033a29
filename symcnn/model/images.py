"""Every image of one shape over a small pixel alphabet, in one fixed order.

The order is lexicographic in the alphabet's order, the first pixel most significant:
pixels are read channel by channel, each channel row by row (NumPy's C order of a
(channels, height, width) array), and image number i is i written in base
k = len(alphabet) with one digit per pixel, digit d standing for alphabet[d]. With the
default alphabet (0, 1) image i is the binary number i: "000/000" is 0, "000/001" is
1, "111/111" is 63, as `binary_images` in data.py counts them.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

from ..errors import DataError
from ..limits import MAX_ALPHABET_SIZE, MAX_ALPHABET_VALUE, MAX_TRAINING_IMAGES
from .exact import as_sympy, to_fraction

if TYPE_CHECKING:
    import sympy as sp

#: Binary images, the lecture's, as read (DEFAULT_ALPHABET: as SymPy Integers, built
#: on first use so that a spec is read without SymPy).
BINARY = (Fraction(0), Fraction(1))


def __getattr__(name: str):
    if name == "DEFAULT_ALPHABET":
        globals()[name] = default_alphabet()  # one tuple, as a constant is
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def default_alphabet() -> tuple[sp.Integer, sp.Integer]:
    """(0, 1) as SymPy Integers: DEFAULT_ALPHABET."""
    return as_sympy(BINARY)

#: Images per block of `every_image`: 65,536 images of 25 pixels are 13 MB as int64.
BLOCK = 65_536


def check_alphabet(values: object, where: str = "alphabet") -> tuple[sp.Rational, ...]:
    """The alphabet as exact Rationals, in the order given; a DataError naming
    `where` for a non-list, an empty one, a non-number, a duplicate, more than
    MAX_ALPHABET_SIZE values or a value whose numerator or denominator is
    MAX_ALPHABET_VALUE or more."""
    return as_sympy(alphabet_fractions(values, where))


def alphabet_fractions(values: object, where: str = "alphabet") -> tuple[Fraction, ...]:
    """check_alphabet's values as Fractions, without SymPy (a spec's [data])."""
    if not isinstance(values, (list, tuple)) or not values:
        raise DataError(
            f"{where}: {values!r} is not a list of pixel values; write it as "
            "[0, 1] or [-1, 0, 1]"
        )
    if len(values) > MAX_ALPHABET_SIZE:
        raise DataError(
            f"{where}: {len(values)} values are over the limit of "
            f"{MAX_ALPHABET_SIZE} (limits.MAX_ALPHABET_SIZE); the images to check "
            "grow as (values)^(pixels), so name at most "
            f"{MAX_ALPHABET_SIZE} pixel values"
        )
    alphabet = []
    for number, value in enumerate(values, start=1):
        exact = to_fraction(value, f"{where}: value {number}")
        if max(abs(exact.numerator), exact.denominator) >= MAX_ALPHABET_VALUE:
            raise DataError(
                f"{where}: value {number} ({value!r}) is over the limit: numerator "
                f"and denominator must be below {MAX_ALPHABET_VALUE} "
                "(limits.MAX_ALPHABET_VALUE); pixel values are small numbers like "
                "-1, 0, 1 or 1/2"
            )
        if exact in alphabet:
            first = alphabet.index(exact) + 1
            raise DataError(
                f"{where}: the value {exact} is there twice (positions {first} and "
                f"{number}); name each pixel value once"
            )
        alphabet.append(exact)
    return tuple(alphabet)


def image_count(shape: Sequence[int], alphabet=BINARY) -> int:
    """len(alphabet) ** (channels * height * width), an exact Python int."""
    return len(alphabet) ** math.prod(shape)


def check_training_images(shape: Sequence[int], alphabet=BINARY) -> int:
    """The number of images samples = "all" trains on; a DataError over
    MAX_TRAINING_IMAGES (SymPy-free: summary refuses it as train does)."""
    total = image_count(shape, alphabet)
    if total > MAX_TRAINING_IMAGES:
        raise DataError(
            f'samples = "all" is {total:,} images ({len(alphabet)} pixel values on '
            f"{'x'.join(map(str, shape))}), over the limit of {MAX_TRAINING_IMAGES:,} "
            "(limits.MAX_TRAINING_IMAGES); list the samples instead, or use a smaller "
            "input or alphabet"
        )
    return total


def digits(start: int, count: int, pixels: int, base: int) -> np.ndarray:
    """(count, pixels) int64 array: the base-`base` digits of start, ..., start +
    count - 1, most significant first (the alphabet positions of those images).
    Blocks are counted in int64: start + count must stay below 2^62."""
    numbers = np.arange(start, start + count, dtype=np.int64)
    if base == 2 and pixels <= 62:  # bits by shifts: faster than divmod
        shifts = np.arange(pixels - 1, -1, -1, dtype=np.int64)
        return (numbers[:, None] >> shifts) & 1
    out = np.zeros((count, pixels), dtype=np.int64)
    for position in range(pixels - 1, -1, -1):
        if not numbers.any():
            break
        numbers, out[:, position] = np.divmod(numbers, base)
    return out


def values_of(positions: np.ndarray, alphabet) -> np.ndarray:
    """Alphabet positions to pixel values: int64 when every value is an integer,
    otherwise an object array of exact Rationals."""
    if all(value.q == 1 for value in alphabet):
        table = np.array([int(value) for value in alphabet], dtype=np.int64)
    else:
        table = np.array(list(alphabet), dtype=object)
    return table[positions]


def every_image(
    shape: Sequence[int], alphabet=BINARY, *, block: int = BLOCK
) -> Iterator[np.ndarray]:
    """All images of `shape` (channels, height, width) over `alphabet`, in the order of
    this module's docstring, as arrays (n, channels, height, width) of at most `block`
    images each: int64 for an integer alphabet, exact Rationals (object) otherwise."""
    alphabet = check_alphabet(alphabet)
    total, pixels = image_count(shape, alphabet), math.prod(shape)
    for start in range(0, total, block):
        count = min(block, total - start)
        positions = digits(start, count, pixels, len(alphabet))
        yield values_of(positions, alphabet).reshape((count, *shape))


def image_at(index: int, shape: Sequence[int], alphabet=BINARY) -> np.ndarray:
    """Image number `index` of `every_image` as one (channels, height, width) array of
    exact Rationals (object), as data.py's images are."""
    alphabet = check_alphabet(alphabet)
    total = image_count(shape, alphabet)
    if not 0 <= index < total:
        raise DataError(
            f"image number {index} does not exist: there are {total} images of "
            f"{'x'.join(map(str, shape))} pixels over {len(alphabet)} values "
            f"(numbers 0 to {total - 1})"
        )
    pixels = math.prod(shape)
    out = []
    for _ in range(pixels):
        index, digit = divmod(index, len(alphabet))
        out.append(alphabet[digit])
    return np.array(out[::-1], dtype=object).reshape(tuple(shape))
