"""Weights by printed name: files, user dicts, and the one mapping to flat vectors.

A weight file is TOML keyed by the printed names (braces optional: "w_{11,1}" or
"w_11,1"); `missing = "zero"` at the top says that unlisted parameters are 0, as the
lecture does when it omits zero weights. Without it, unlisted parameters are an error.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import sympy as sp
import tomli_w

from .errors import SpecError, WeightsError, did_you_mean
from .exact import to_rational
from .names import normalize
from .network import Network

MISSING_CHOICES = ("error", "zero")


def parameter_index(network: Network) -> dict[str, int]:
    """Every accepted spelling of a parameter's name -> its place in the flat order."""
    index: dict[str, int] = {}
    for position, parameter in enumerate(network.parameters):
        for spelling in (parameter.name.latex, parameter.name.ascii):
            index[normalize(spelling)] = position
    return index


def resolve(
    network: Network,
    values: Mapping[str, object],
    *,
    missing: str = "error",
    where: str = "weights",
) -> tuple[sp.Rational, ...]:
    """Exact values of every parameter in the network's order, from a dict by name.

    Unknown names and (unless missing="zero") unlisted parameters are one WeightsError
    that lists them all."""
    if missing not in MISSING_CHOICES:
        raise WeightsError(
            f'{where}: `missing` is {missing!r}; use "zero" (unlisted weights are 0) '
            'or "error"'
        )
    index = parameter_index(network)
    printed = [p.name.latex for p in network.parameters]
    exact: list[sp.Rational | None] = [None] * len(printed)
    by_spelling = {normalize(name): name for name in printed}
    problems = []
    for name, value in values.items():
        position = index.get(normalize(str(name)))
        if position is None:
            near = did_you_mean(normalize(str(name)), by_spelling)
            for spelling, latex in by_spelling.items():
                near = near.replace(repr(spelling), repr(latex))
            problems.append(f"{name!r} is not a parameter of this network{near}")
        elif exact[position] is not None:
            problems.append(f"{name!r} gives {printed[position]} a second time")
        else:
            exact[position] = to_rational(value, f"{where}: {name}")
    unlisted = [printed[i] for i, value in enumerate(exact) if value is None]
    if unlisted and missing != "zero":
        problems.append(
            f"no value for {len(unlisted)} parameter(s): {', '.join(unlisted)}; "
            "give them, "
            'or say that unlisted weights are 0 (--missing zero, or missing = "zero" '
            "in the weight file)"
        )
    if problems:
        listing = (
            ""
            if unlisted and missing != "zero"
            else (f"\n  the parameters are: {', '.join(printed)}")
        )
        raise WeightsError(
            f"{where}:\n" + "\n".join(f"  {problem}" for problem in problems) + listing
        )
    return tuple(sp.S.Zero if value is None else value for value in exact)


def read_weight_file(path: str | Path) -> tuple[dict[str, object], str]:
    """(values by name, missing policy) from a weight file; SpecError if unreadable."""
    path = Path(path)
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SpecError(f"weight file {str(path)!r} does not exist") from None
    except (OSError, UnicodeDecodeError) as error:
        raise SpecError(f"weight file {str(path)!r} cannot be read: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise SpecError(
            f"weight file {str(path)!r} is not valid TOML: {error}"
        ) from None
    unknown = sorted(set(document) - {"missing", "weights"})
    if unknown:
        raise SpecError(
            f"weight file {str(path)!r}: unknown top-level key(s) "
            f"{', '.join(unknown)}; "
            'a weight file has `missing = "zero"` (optional) and a [weights] table'
        )
    values = document.get("weights")
    if not isinstance(values, dict):
        raise SpecError(
            f"weight file {str(path)!r} has no [weights] table; write\n"
            '[weights]\n"w_{1}" = 1'
        )
    return values, document.get("missing", "error")


def weight_file_text(network: Network, values, *, comment: str = "") -> str:
    """A weight file with every parameter in the network's order (floats or exact)."""
    table = {}
    for parameter, value in zip(network.parameters, values):
        if isinstance(value, sp.Rational):
            value = int(value) if value.is_Integer else str(value)
        table[parameter.name.latex] = value
    header = "".join(f"# {line}\n" for line in comment.splitlines())
    return header + tomli_w.dumps({"weights": table})


def as_vector(values) -> np.ndarray:
    """Values in the network's parameter order as a float64 vector."""
    return np.array([float(v) for v in values], dtype=np.float64)
