"""Images and training sets: "011/001" rows or nested arrays, with exact targets.

Pixels and targets are read as Fractions, without SymPy (a spec is checked without
it), and are SymPy Rationals once a sample's image or target is read (exact.Exact).
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from fractions import Fraction
from itertools import product
from typing import TYPE_CHECKING

import numpy as np

from ..errors import DataError
from .exact import Exact, given, to_fraction

if TYPE_CHECKING:
    import sympy as sp

    from .network import Network


def parse_image(image: object, where: str) -> np.ndarray:
    """An image as an object array (channels, height, width) of exact Fractions (a
    Sample's image: SymPy Rationals once read).

    "011/001" is a binary image with rows separated by "/"; nested lists are
    [rows][cols] (one channel) or [channels][rows][cols] of numbers.
    """
    if isinstance(image, str):
        return parse_binary_rows(image, where)
    if not isinstance(image, (list, tuple)) and hasattr(image, "__array__"):
        image = np.asarray(image)  # a tensor: its own dtype, float32 kept
    if isinstance(image, np.ndarray) and image.dtype != object:
        # NumPy's scalars, not .tolist()'s Python floats: a float32 pixel is read as
        # float32's shortest decimal (0.1), not as the widened double's 17 digits
        array = np.empty(image.shape, dtype=object)
        for position, value in np.ndenumerate(image):
            array[position] = value
    else:
        array = np.array(image, dtype=object)
    if array.ndim == 2:
        array = array[np.newaxis]
    if (
        array.ndim != 3
        or array.size == 0
        or any(isinstance(v, (list, tuple)) for v in array.flat)
    ):
        raise DataError(
            f"{where}: image {image!r} is not a rectangular grid of numbers; "
            "write it as "
            '"011/001" or as [[0, 1, 1], [0, 0, 1]] (rows of equal length)'
        )
    values = np.empty(array.shape, dtype=object)
    for position, value in np.ndenumerate(array):
        values[position] = to_fraction(value, f"{where}: pixel {position}")
    return values


def parse_binary_rows(text: str, where: str) -> np.ndarray:
    """A "011/001" image as a (1, height, width) object array of Fractions 0 and 1; a
    DataError naming `where` for an empty row, another character or unequal rows."""
    rows = [row.strip() for row in text.split("/")]
    if not rows or any(not row for row in rows):
        raise DataError(
            f'{where}: image {text!r} has an empty row; write it as "011/001"'
        )
    for row_number, row in enumerate(rows, start=1):
        bad = [ch for ch in row if ch not in "01"]
        if bad:
            raise DataError(
                f"{where}: image {text!r} row {row_number} has the character "
                f"{bad[0]!r}; "
                'binary images use only 0 and 1 ("011/001"); write other values as '
                "nested arrays"
            )
    if len({len(row) for row in rows}) != 1:
        raise DataError(
            f"{where}: image {text!r} has rows of lengths "
            f"{', '.join(str(len(r)) for r in rows)}; every row needs the same length"
        )
    return np.array([[[Fraction(int(ch)) for ch in row] for row in rows]], dtype=object)


def image_text(image: np.ndarray) -> str:
    """A binary single-channel image as "011/001"; other pixel values as rows of
    numbers, "0 -1 -1 / 1 0 1"; channels side by side, "01/10 | 11/00"."""
    binary = all(v in (0, 1) for v in image.flat)
    gap, between = ("", "/") if binary else (" ", " / ")
    return " | ".join(
        between.join(gap.join(str(v) for v in row) for row in channel)
        for channel in image
    )


def image_json(image: np.ndarray) -> list:
    """[channels][rows][cols] of numbers for JSON: whole numbers as integers, other
    exact values as their fraction strings ("1/2")."""

    import sympy as sp

    def number(value):
        value = sp.Rational(value)
        return int(value) if value.q == 1 else str(value)

    return [[[number(v) for v in row] for row in channel] for channel in image]


#: Types of exact numbers a Sample keeps as given: Fraction, and SymPy's Rational
#: classes (Integer, One, Half, ...) added as they are met (exact_kinds).
SYMPY_KINDS: set[type] = set()
FRACTIONS = {Fraction}


def exact_kinds(kinds: set[type]) -> bool:
    """Whether numbers of `kinds` are kept as they are: all Fractions, or all SymPy
    Rationals (as_sympy converts an array by its first number, so not mixed)."""
    if kinds <= SYMPY_KINDS and kinds or kinds == FRACTIONS:
        return True
    sympy = sys.modules.get("sympy")
    if sympy is None or not all(issubclass(kind, sympy.Rational) for kind in kinds):
        return False
    SYMPY_KINDS.update(kinds)
    return bool(kinds)


def exact_image(image: object, where: str) -> np.ndarray:
    """`image` as parse_image reads it; an object array (channels, height, width) of
    exact numbers as it is (every_image's 65,536 images are only looked at)."""
    is_ready = (
        type(image) is np.ndarray
        and image.ndim == 3
        and image.dtype.kind == "O"
        and exact_kinds(set(map(type, image.flat)))
    )
    return image if is_ready else parse_image(image, where)


def exact_target(target: object, where: str) -> tuple | None:
    """`target` as from_rows reads it: None, or a tuple of exact numbers (one number
    or a list of them given); a tuple of exact numbers as it is."""
    if target is None:
        return None
    if type(target) is tuple:
        kinds = set(map(type, target)) - {Fraction}
        if not kinds or exact_kinds(kinds):
            return target  # Fractions and SymPy Rationals: as_sympy reads each
    values = target if isinstance(target, (list, tuple)) else [target]
    return tuple(to_fraction(value, f"{where}: target") for value in values)


def exact_key(values) -> tuple:
    """Exact numbers (Fractions, SymPy Rationals, ints) as Fractions: equal numbers,
    equal keys and hashes, whichever type holds them."""
    return tuple(map(fraction_of, values))


def fraction_of(value) -> Fraction:
    if type(value) is Fraction:
        return value
    if hasattr(value, "q"):  # a SymPy Rational
        return Fraction(int(value.p), int(value.q))
    return Fraction(value)


@dataclass(frozen=True, eq=False)
class Sample:
    """One image P (exact) and its target Y (one exact number per output), or None
    for an image without a target (forward passes, slides L5-L7). Both are read as
    SymPy Rationals; `exact.given(sample, "image")` is the image as read (Fractions).

    However it is built (Sample(...), dataclasses.replace), the image and target are
    read as Dataset.from_rows reads them (parse_image, to_fraction: "011/001", nested
    lists, floats as their shortest decimal), with the same errors. Samples are equal
    when their names, images and targets are (by value, exactly: 1/2 in a Fraction
    equals 1/2 in a SymPy Rational) and hash alike then."""

    name: str
    image: np.ndarray = Exact()
    target: tuple[sp.Rational, ...] | None = Exact()

    def __post_init__(self) -> None:
        where = "sample " + self.name if type(self.name) is str else "a sample"
        image, target = given(self, "image"), given(self, "target")
        normal = exact_image(image, where)
        if normal is not image:
            object.__setattr__(self, "image", normal)
        normal = exact_target(target, where)
        if normal is not target:
            object.__setattr__(self, "target", normal)

    @classmethod
    def of_exact(cls, name: str, image: np.ndarray, target: tuple | None) -> Sample:
        """A Sample of an image and target that are already what a Sample holds (an
        object array (channels, height, width) of SymPy Rationals or of Fractions, a
        tuple of them), taken without looking: every_image's 65,536 images (looking
        at each costs a third of building them)."""
        sample = object.__new__(cls)
        fields = cls.__dict__
        image_key, target_key = fields["image"].given, fields["target"].given
        sample.__dict__.update({"name": name, image_key: image, target_key: target})
        return sample  # what __init__ stores through the Exact fields

    def _key(self) -> tuple:
        image, target = given(self, "image"), given(self, "target")
        values = None if target is None else exact_key(target)
        return (self.name, image.shape, exact_key(image.flat), values)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self is other or self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())


@dataclass(frozen=True)
class Dataset:
    """Samples P1, P2, ... in order."""

    samples: tuple[Sample, ...]

    def __post_init__(self) -> None:
        if type(self.samples) is not tuple:  # a list given: equal and hashable too
            object.__setattr__(self, "samples", tuple(self.samples))
        for number, sample in enumerate(self.samples, start=1):
            if not isinstance(sample, Sample):  # else an AttributeError much later
                raise DataError(
                    f"sample {number}: {sample!r} is not a Sample; build datasets with "
                    'Dataset.from_rows([("011/001", 1), ...]) or of Sample(name, '
                    "image, target) values"
                )

    @classmethod
    def from_rows(cls, rows, *, first: int = 1) -> "Dataset":
        """Dataset.from_rows([("011/001", 1), ("110/011", 2)]); a target may be a list
        (several outputs) or None (an image without a target); samples are named
        P{first}, P{first + 1}, ..."""
        samples = []
        for number, row in enumerate(rows, start=first):
            where = f"sample {number} (P{number})"
            if not isinstance(row, (tuple, list)) or len(row) != 2:
                raise DataError(f"{where}: {row!r} is not a pair (image, target)")
            image, target = row
            targets = exact_target(target, where)
            samples.append(Sample(f"P{number}", parse_image(image, where), targets))
        if not samples:
            raise DataError(
                "the dataset is empty; give at least one (image, target) pair"
            )
        return cls(tuple(samples))

    def __len__(self) -> int:
        return len(self.samples)

    def check_fits(self, network: Network) -> None:
        """A DataError naming the first sample whose image or target does not fit."""
        shape = network.shapes[0]
        for sample in self.samples:
            image, target = given(sample, "image"), given(sample, "target")
            if image.shape != shape:
                raise DataError(
                    f"sample {sample.name}: image is "
                    f"{'x'.join(map(str, image.shape))} "
                    f"(channels x height x width) but the network's input is "
                    f"{'x'.join(map(str, shape))}; give images of that size or change "
                    "`input`"
                )
            if target is not None and len(target) != network.output_size:
                raise DataError(
                    f"sample {sample.name}: {len(target)} target value(s) but "
                    "the "
                    f"network has {network.output_size} output(s); give one per output"
                )

    def pixel_arrays(self) -> np.ndarray:
        """Images as float64, shape (samples, channels, height, width)."""
        return np.array([s.image for s in self.samples], dtype=np.float64)

    @property
    def has_targets(self) -> bool:
        return all(given(sample, "target") is not None for sample in self.samples)

    def require_targets(self, purpose: str) -> None:
        """A DataError naming the first sample without a target, for `purpose`, or
        saying the dataset is empty (a loss over no samples is 0 whatever the weights:
        a check would pass with no evidence)."""
        if not self.samples:
            raise DataError(
                f"the dataset is empty; {purpose} needs at least one sample with a "
                'target (Dataset.from_rows([("011/001", 1), ...]))'
            )
        for sample in self.samples:
            if given(sample, "target") is None:
                raise DataError(
                    f"sample {sample.name} has no target; {purpose} needs a target y "
                    'for every sample (in a spec: { image = "...", y = 1 })'
                )

    def target_arrays(self) -> np.ndarray:
        """Targets as float64, shape (samples, outputs)."""
        return np.array([s.target for s in self.samples], dtype=np.float64)


def binary_images(shape: tuple[int, int, int]):
    """Every image of `shape` with pixels 0 or 1, in counting order (000/000 first)."""
    import sympy as sp

    for bits in product((0, 1), repeat=math.prod(shape)):
        yield np.array([sp.Integer(b) for b in bits], dtype=object).reshape(shape)
