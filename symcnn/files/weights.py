"""Weights by printed name: files, user dicts, and the one mapping to flat vectors.

A weight file is TOML keyed by the printed names (braces optional: "w_{11,1}" or
"w_11,1"); `missing = "zero"` at the top says that unlisted parameters are 0, as the
lecture does when it omits zero weights. Without it, unlisted parameters are an error.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sympy as sp
import tomli_w

from ..errors import SpecError, WeightsError, did_you_mean
from ..limits import MAX_FILE_BYTES, WEIGHT_FILE_BYTES_PER_PARAMETER
from ..model.exact import to_rational
from ..model.layers import Conv2D, Dense
from ..model.names import normalize
from ..model.network import Network
from ..model.shapes import layer_label
from .tomlfile import read_toml

MISSING_CHOICES = ("error", "zero")


def parameter_index(network: Network) -> dict[str, int]:
    """Every accepted spelling of a parameter's name -> its place in the flat order."""
    index: dict[str, int] = {}
    for position, parameter in enumerate(network.parameters):
        for spelling in (parameter.name.latex, parameter.name.ascii):
            index[normalize(spelling)] = position
    return index


#: What every function taking weights accepts, for the message refusing the rest.
WEIGHT_FORMS = (
    "a dict by printed name ({'w_{1}': 1, 'w_{2}': '1/2'}), a list or tuple of "
    "values in the network's parameter order (network.parameters), a TrainResult, "
    "or a weight file: sc.read_weight_file('net-weights.toml')"
)


def resolve(
    network: Network,
    values,
    *,
    missing: str = "error",
    where: str = "weights",
) -> tuple[sp.Rational, ...]:
    """Exact values of every parameter in the network's order, from any form weights
    are given in (WEIGHT_FORMS): a dict by name, a WeightFile (its own `missing`
    unless `missing` says "zero"), values in the network's order (a list, tuple or
    array; a TrainResult's `weights`). Anything else is a WeightsError naming the
    forms; unknown names and (unless missing="zero") unlisted parameters are one
    WeightsError that lists them all."""
    if missing not in MISSING_CHOICES:
        raise WeightsError(
            f'{where}: `missing` is {missing!r}; use "zero" (unlisted weights are 0) '
            'or "error"'
        )
    if isinstance(values, WeightFile):
        return values.resolve(network, None if missing == "error" else missing)
    if not isinstance(values, Mapping):
        return ordered_values(network, values, where)
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
            exact[position] = to_rational(plain_number(value), f"{where}: {name}")
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


def ordered_values(network: Network, values, where: str) -> tuple[sp.Rational, ...]:
    """Exact values from a sequence in the network's parameter order (a TrainResult
    gives its `weights`); a WeightsError for another type or another count."""
    values = getattr(values, "weights", values)  # a TrainResult
    if not isinstance(values, (list, tuple, np.ndarray)):
        raise WeightsError(
            f"{where}: weights given as {type(values).__name__}; give {WEIGHT_FORMS}"
        )
    flat = list(np.asarray(values, dtype=object).reshape(-1))
    printed = [p.name.latex for p in network.parameters]
    if len(flat) != len(printed):
        raise WeightsError(
            f"{where}: {len(flat)} values for the network's {len(printed)} "
            f"parameters; give one value per parameter, in this order: "
            f"{', '.join(printed) or '(none)'}"
        )
    return tuple(
        to_rational(plain_number(value), f"{where}: {name}")
        for name, value in zip(printed, flat)
    )


def plain_number(value: object) -> object:
    """A NumPy scalar (np.float64(0.5), from list(array)) as the Python number it
    holds; anything else as it is."""
    return value.item() if isinstance(value, np.generic) else value


@dataclass(frozen=True)
class WeightFile:
    """What a weight file says: values by printed name, whole layers as arrays in
    PyTorch layout ({"1": {"weight": [...], "bias": [...]}}), and the missing policy."""

    source: str
    values: dict
    arrays: dict
    missing: str = "error"

    def resolve(self, network: Network, missing: str | None = None):
        """Exact values of every parameter, in the network's order."""
        values = dict(self.values)
        for name, value in layer_array_values(
            network, self.arrays, self.source
        ).items():
            if any(normalize(str(k)) == normalize(name) for k in values):
                raise WeightsError(
                    f"{self.source}: {name} is given by name and in a [layers] array; "
                    "give it once"
                )
            values[name] = value
        return resolve(
            network, values, missing=missing or self.missing, where=self.source
        )


def read_weight_file(path: str | Path, network: Network | None = None) -> WeightFile:
    """The WeightFile at `path`; SpecError if unreadable or malformed. Read for
    `network`, it may hold limits.WEIGHT_FILE_BYTES_PER_PARAMETER more bytes per
    parameter than MAX_FILE_BYTES: what train --save writes for it."""
    source = f"weight file {str(path)!r}"
    limit = MAX_FILE_BYTES
    if network is not None:
        limit += WEIGHT_FILE_BYTES_PER_PARAMETER * len(network.parameters)
    document = read_toml(path, "weight file", limit)
    unknown = sorted(set(document) - {"missing", "weights", "layers"})
    if unknown:
        raise SpecError(
            f"{source}: unknown top-level key(s) {', '.join(unknown)}; a weight file "
            'has `missing = "zero"` (optional), a [weights] table and [layers.N] tables'
        )
    values = document.get("weights", {})
    arrays = document.get("layers", {})
    if not isinstance(values, dict) or not isinstance(arrays, dict):
        raise SpecError(f"{source}: [weights] and [layers] must be tables")
    missing = document.get("missing", "error")
    if not values and not arrays and missing != "zero":
        raise SpecError(
            f"{source} gives no weights; write\n"
            '[weights]\n"w_{1}" = 1\nor a whole layer in PyTorch layout:\n'
            "[layers.1]\nweight = [[[[1, 0], [0, 1]]]]"
        )
    return WeightFile(source, values, arrays, missing)


def layer_array_values(network: Network, arrays: dict, source: str) -> dict:
    """{printed name: value} from whole-layer arrays: weight in PyTorch's layout
    (filters, channels, kh, kw) or (units, inputs), bias (filters or units)."""
    values = {}
    for key, table in arrays.items():
        where = f"{source}: [layers.{key}]"
        number = layer_number(key)
        if not 1 <= number <= len(network.layers):
            raise WeightsError(
                f"{where}: {key!r} is not a layer number; use 1 to "
                f"{len(network.layers)}"
            )
        if not isinstance(table, dict) or not set(table) <= {"weight", "bias"}:
            raise WeightsError(f"{where}: give `weight = [...]` and/or `bias = [...]`")
        label = layer_label(number, network.layers[number - 1])
        expected = {
            "weight": network.weights[number - 1],
            "bias": np.array(network.biases[number - 1] or [], dtype=object),
        }
        for field, array in table.items():
            parameters = expected[field]
            given = np.array(array, dtype=object)
            if parameters.size == 0 or given.shape != parameters.shape:
                raise WeightsError(
                    f"{where}.{field}: shape {shape_text(given.shape)} but {label} has "
                    f"{field}s of shape {shape_text(parameters.shape)}"
                    + layout_hint(network, number, field)
                )
            for parameter, value in zip(parameters.flat, given.flat):
                values[parameter.name.latex] = value
    return values


def layer_number(key: object) -> int:
    """The layer number in [layers.N], or 0 when N is not plain ASCII digits: "²" and
    "٣" pass str.isdigit() but not int(), and int() of 5000 digits is refused."""
    text = str(key)
    return int(text) if re.fullmatch(r"[0-9]{1,9}", text) else 0


def shape_text(shape) -> str:
    return "x".join(map(str, shape)) if shape else "(none)"


def layout_hint(network: Network, number: int, field: str) -> str:
    layer = network.layers[number - 1]
    if field == "weight" and isinstance(layer, Conv2D):
        channels = network.shapes[number - 1][0] // layer.groups
        per_group = " per group" if layer.groups > 1 else ""
        return (
            f" (filters {layer.filters} x channels{per_group} {channels} x kernel "
            f"{layer.kernel[0]}x{layer.kernel[1]}, PyTorch's layout)"
        )
    if field == "weight" and isinstance(layer, Dense):
        return " (units x inputs, PyTorch's layout)"
    return ""


WEIGHT_SUFFIX = "-weights"


def beside(spec_path: str | Path) -> Path:
    """Where a spec's own weights live: <name>-weights.toml next to <name>.toml."""
    path = Path(spec_path)
    return path.with_name(f"{path.stem}{WEIGHT_SUFFIX}.toml")


def is_weight_file(path: str | Path) -> bool:
    return Path(path).stem.endswith(WEIGHT_SUFFIX)


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
