"""Target functions to check a network against: built in, by name, never evaluated."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..errors import SymcnnError, did_you_mean
from .data import parse_binary_rows
from .exact import as_sympy


def count_pattern(pattern: str) -> Callable[[np.ndarray], int]:
    """Y(P) = how many times the binary `pattern` ("11", or "1/1" for two rows) occurs
    in P: every placement where P's pixels equal the pattern's, summed over channels.

    count_pattern("11") is slide L2's "number of fragments 11"."""
    grid = as_sympy(parse_binary_rows(pattern, f"pattern {pattern!r}"))[0]
    ph, pw = grid.shape

    def count(image: np.ndarray) -> int:
        _, height, width = image.shape
        return sum(
            bool(np.all(channel[i : i + ph, j : j + pw] == grid))
            for channel in image
            for i in range(height - ph + 1)
            for j in range(width - pw + 1)
        )

    count.__name__ = f"count_{pattern.replace('/', '_')}"
    count.__doc__ = f"number of occurrences of the pattern {pattern!r}"
    count.counted_pattern = grid  # what prove/patches.py proves a count against
    count.description = f'count "{pattern}"'  # as the spec writes it (target_name)
    return count


def contains_pattern(pattern: str) -> Callable[[np.ndarray], int]:
    """Y(P) = 1 if the binary `pattern` occurs somewhere in P, else 0."""
    count = count_pattern(pattern)

    def contains(image: np.ndarray) -> int:
        return int(count(image) > 0)

    contains.__name__ = f"contains_{pattern.replace('/', '_')}"
    contains.contained_pattern = count.counted_pattern  # how typeset/ describes it
    contains.description = f'contains "{pattern}"'
    return contains


BUILT_IN = {"count": count_pattern, "contains": contains_pattern}


def target_name(target: Callable) -> str:
    """How messages name a target: 'contains "1/1"' for a built-in one (not its
    Python name contains_1_1), else the function's name."""
    described = getattr(target, "description", None)
    if isinstance(described, str):
        return described
    return getattr(target, "__name__", repr(target))


def target_from_spec(
    kind: object, pattern: object, where: str, *, build: bool = True
) -> Callable | None:
    """A built-in target by name (spec files): kind = "count", pattern = "11". With
    `build` False it is checked (the same errors) but not built, and without SymPy:
    None (`symcnn summary`)."""
    if not isinstance(kind, str) or kind not in BUILT_IN:
        raise SymcnnError(
            f"{where}: unknown target {kind!r}{did_you_mean(kind, BUILT_IN)} "
            f"(known: {', '.join(BUILT_IN)})"
        )
    if not isinstance(pattern, str):
        raise SymcnnError(f'{where}: `pattern` {pattern!r} is not a string like "11"')
    if not build:
        parse_binary_rows(pattern, f"pattern {pattern!r}")  # its errors, as built
        return None
    return BUILT_IN[kind](pattern)
