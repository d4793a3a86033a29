"""Spec files: a network, its data, a target and training settings as TOML.

    [input]                  channels, height, width, letter
    [[layers]]               type = "conv" | "dense", then that layer's fields
    [data]                   samples = [{ image = "011/001", y = 1 }, ...]
    [target]                 kind = "count", pattern = "11"   (optional)
    [train]                  optimizer, lr, steps, seed, tol, restarts, loss (optional)

Nothing in a spec is evaluated: names are looked up in registries, numbers are read as
exact fractions. Every problem found is reported at once, each with its location.
Reading and checking a spec imports no SymPy (the network's symbols and the target's
pattern are built with it, unless only the shapes are asked for: `symcnn summary`).
"""

from __future__ import annotations

from functools import partial

import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import SpecError, SymcnnError, did_you_mean
from ..model.activations import activation
from ..model.data import Dataset
from ..model.exact import Exact
from ..model.images import BINARY
from ..model.layers import Conv2D, Dense, Flatten, Input, Pool2D
from ..model.shapes import DEFAULT_MAX_TERMS
from ..model.targets import target_from_spec
from .train_values import TRAIN_OPTIMIZERS  # noqa: F401  (spec.TRAIN_OPTIMIZERS)
from .train_values import spec_loss, train_number, train_problem
from .train_values import every_image_count, every_image_requested
from .train_values import every_image_spec
from .train_values import parse_latex
from .spec_data import parse_alphabet, parse_data
from .spec_network import architecture_of, network_of
from .tomlfile import header_lines, parse, read_text

if TYPE_CHECKING:
    from ..model.network import Network

LAYER_TYPES = {
    "conv": Conv2D,
    "dense": Dense,
    "pool": Pool2D,
    "maxpool": Pool2D,
    "minpool": Pool2D,
    "avgpool": Pool2D,
    "flatten": Flatten,
}
POOL_TYPE_MODES = {"maxpool": "max", "minpool": "min", "avgpool": "avg"}
#: A layer's spec keys are its fields (the layer validates them), plus the options
#: of its activation.
POOL_FIELDS = {f.name for f in fields(Pool2D)}
LAYER_FIELDS = {
    "conv": {f.name for f in fields(Conv2D)} | {"grad_at_zero", "slope"},
    "dense": {
        "units",
        "activation",
        "grad_at_zero",
        "slope",
        "bias",
        "name",
        "letter",
        "bias_letter",
        "first_index",
        "neuron_index",
        "weight_first",
        "bias_first",
    },
    "pool": POOL_FIELDS,
    "maxpool": POOL_FIELDS - {"mode"},
    "minpool": POOL_FIELDS - {"mode"},
    "avgpool": POOL_FIELDS - {"mode"},
    "flatten": {"name"},
}
REQUIRED = {
    "conv": ("filters", "kernel"),
    "dense": ("units",),
    "pool": ("size",),
    "maxpool": ("size",),
    "minpool": ("size",),
    "avgpool": ("size",),
    "flatten": (),
}
INPUT_FIELDS = {"channels", "height", "width", "letter"}
TRAIN_FIELDS = {"optimizer", "lr", "steps", "seed", "tol", "restarts", "loss"}
SECTIONS = {"input", "layers", "data", "target", "train", "latex"}
@dataclass(frozen=True)
class Spec:
    """Everything one spec file says."""

    network: Network  # an Architecture when read with shapes_only
    data: Dataset | None
    target: Callable | None  # None when read with shapes_only: checked, not built
    train: dict = field(default_factory=dict)
    path: Path | None = None
    latex: dict = field(default_factory=dict)
    #: [data] alphabet: the pixel values of every image `check --exhaustive` checks
    #: (SymPy Rationals; model.images.DEFAULT_ALPHABET by default).
    alphabet: tuple = Exact(BINARY)

    @property
    def loss(self) -> str:
        """[train] loss (model/losses.py), the lecture's squared error by default."""
        return self.train.get("loss", "squared_error")


class Problems:
    """Collects every problem of a spec before one SpecError lists them all."""

    def __init__(self, source: str, headers: dict[str, int]):
        self.source = source
        self.headers = headers
        self.lines: list[str] = []

    def add(self, where: str, message: str) -> None:
        """Record a problem at `where` ("layer 2", 1-based as every message numbers
        layers, or "[train].tol"), with the line of its table when the file has one."""
        layer = re.match(r"layer (\d+)$", where)
        table = re.match(r"\[\w+\]", where)
        key = f"layers[{int(layer.group(1)) - 1}]" if layer else None
        line = self.headers.get(key or (table.group() if table else ""))
        place = f"{where} (line {line})" if line else where
        self.lines.append(f"{place}: {message}")

    def add_error(self, where: str, error: SymcnnError) -> None:
        """Record a SymcnnError; "layer 2 (Dense): ..." from the network is placed at
        layer 2 and its line, not at the list of layers."""
        found = re.match(r"layer (\d+) \((\w+)\): (.*)", str(error), re.DOTALL)
        if found:
            self.add(f"layer {found.group(1)}", f"{found.group(2)}: {found.group(3)}")
        else:
            self.add(where, str(error))

    def unknown_keys(self, where: str, table: dict, allowed: set[str]) -> None:
        for key in table:
            if key not in allowed:
                self.add(
                    where,
                    f"unknown key {key!r}{did_you_mean(key, allowed)}; "
                    f"allowed: {', '.join(sorted(allowed))}",
                )

    def attempt(self, where: str, build: Callable):
        """build(), or None with its SymcnnError recorded at `where`."""
        try:
            return build()
        except SymcnnError as error:
            self.add_error(where, error)
            return None

    def raise_if_any(self) -> None:
        if self.lines:
            listing = "\n".join(f"  {line}" for line in self.lines)
            raise SpecError(
                f"{self.source} has {len(self.lines)} problem(s):\n{listing}"
            )


def read_spec(
    path: str | Path, *, max_terms: int = DEFAULT_MAX_TERMS, shapes_only: bool = False
) -> Spec:
    """The Spec in a TOML file; a SpecError that lists every problem otherwise.
    `max_terms` bounds the network's size (shapes.DEFAULT_MAX_TERMS). With
    `shapes_only`, spec.network is the Architecture (input, layers, shapes; nothing
    named, no size limit: what summary reads, VGG16 in a blink), and [target] is
    checked but not built (spec.target is None): nothing imports SymPy."""
    label = f"spec file {str(path)!r}"
    text = read_text(path, "spec file")
    return spec_from_document(
        parse(text, label),
        source=label,
        path=Path(path),
        max_terms=max_terms,
        lines=header_lines(text),
        shapes_only=shapes_only,
    )


def parse_spec(
    text: str, *, source: str = "spec", max_terms: int = DEFAULT_MAX_TERMS
) -> Spec:
    """The Spec in TOML text."""
    document = parse(text, source)
    return spec_from_document(
        document, source=source, max_terms=max_terms, lines=header_lines(text)
    )


def spec_from_document(
    document: dict,
    *,
    source: str,
    path: Path | None = None,
    max_terms: int = DEFAULT_MAX_TERMS,
    lines: dict[str, int] | None = None,
    shapes_only: bool = False,
) -> Spec:
    problems = Problems(source, lines or {})
    problems.unknown_keys("top level", document, SECTIONS)
    input_layer = parse_input(document.get("input"), problems)
    layers = parse_layers(document.get("layers"), problems)
    network = None
    if input_layer is not None and layers is not None and None not in layers:
        network = problems.attempt(
            "layers",
            lambda: (architecture_of if shapes_only else network_of)(
                input_layer, layers, max_terms
            ),
        )
    data = parse_data(document.get("data"), network, problems, spec_loss(document))
    known = len(problems.lines)
    target = parse_target(document.get("target"), problems, build=not shapes_only)
    target_read = len(problems.lines) == known  # shapes_only: None, yet read
    train = parse_train(document.get("train", {}), problems)
    latex = parse_latex(document.get("latex", {}), problems)
    alphabet = parse_alphabet(document.get("data"), problems)
    if every_image_requested(document, target):  # shapes_only: no [target] there
        build = partial(every_image_spec, network, target, alphabet, train)
        data = problems.attempt("[data].samples", build)
    elif shapes_only and target_read and network is not None:
        count = partial(every_image_count, document, network, alphabet)
        problems.attempt("[data].samples", count)
    problems.raise_if_any()
    return Spec(network, data, target, train, path, latex, alphabet)


def table(value: object, where: str, problems: Problems) -> dict | None:
    if not isinstance(value, dict):
        problems.add(where, f"expected a table, got {value!r}")
        return None
    return value


def parse_input(value: object, problems: Problems) -> Input | None:
    if value is None:
        problems.add(
            "[input]", "missing; add [input] with height = ... and width = ..."
        )
        return None
    fields = table(value, "[input]", problems)
    if fields is None:
        return None
    problems.unknown_keys("[input]", fields, INPUT_FIELDS)
    missing = [key for key in ("height", "width") if key not in fields]
    if missing:
        problems.add("[input]", f"missing {', '.join(missing)}")
        return None
    known = {k: v for k, v in fields.items() if k in INPUT_FIELDS}
    return problems.attempt("[input]", lambda: Input(**known))


def parse_layers(value: object, problems: Problems) -> list | None:
    if value is None:
        problems.add(
            "[[layers]]",
            'missing; add at least one [[layers]] with type = "conv" or "dense"',
        )
        return None
    if not isinstance(value, list) or not value:
        problems.add("[[layers]]", "expected one or more [[layers]] tables")
        return None
    return [parse_layer(index, entry, problems) for index, entry in enumerate(value)]


def parse_layer(index: int, value: object, problems: Problems):
    where = f"layer {index + 1}"
    fields = table(value, where, problems)
    if fields is None:
        return None
    kind = fields.get("type")
    if not isinstance(kind, str) or kind not in LAYER_TYPES:
        problems.add(
            where,
            f"`type` {kind!r} is not a layer type{did_you_mean(kind, LAYER_TYPES)}; "
            f"use one of {', '.join(repr(k) for k in LAYER_TYPES)}",
        )
        return None
    allowed = LAYER_FIELDS[kind]
    problems.unknown_keys(
        where, {k: v for k, v in fields.items() if k != "type"}, allowed
    )
    missing = [key for key in REQUIRED[kind] if key not in fields]
    if missing:
        problems.add(where, f"a {kind} layer needs {', '.join(missing)}")
        return None
    arguments = {k: v for k, v in fields.items() if k in allowed}
    if kind in POOL_TYPE_MODES:
        arguments["mode"] = POOL_TYPE_MODES[kind]
    options = {k: arguments.pop(k) for k in ("grad_at_zero", "slope") if k in arguments}
    if options:
        name = arguments.get("activation")
        built = problems.attempt(where, lambda: activation(name, **options))
        if built is None:
            return None
        arguments["activation"] = built
    return problems.attempt(where, lambda: LAYER_TYPES[kind](**arguments))


def parse_target(value: object, problems: Problems, *, build: bool = True):
    if value is None:
        return None
    fields = table(value, "[target]", problems)
    if fields is None:
        return None
    problems.unknown_keys("[target]", fields, {"kind", "pattern"})
    return problems.attempt(
        "[target]",
        lambda: target_from_spec(
            fields.get("kind"), fields.get("pattern"), "`kind`", build=build
        ),
    )


def parse_train(value: object, problems: Problems) -> dict:
    """optimizer (a name), lr (> 0), tol (>= 0), steps and seed (whole numbers >= 0)
    and restarts (>= 1): each checked here, so that training never meets a `tol` of
    "x" (the command line's options are checked by argparse)."""
    fields = table(value, "[train]", problems)
    if fields is None:
        return {}
    problems.unknown_keys("[train]", fields, TRAIN_FIELDS)
    settings = {}
    for key, given in fields.items():
        if key not in TRAIN_FIELDS:
            continue
        trouble = train_problem(key, given)
        if trouble:
            problems.add(f"[train].{key}", trouble)
        elif key in ("lr", "tol") and isinstance(given, str):
            settings[key] = train_number(given)  # "1/20" as training's float
        else:
            settings[key] = given
    return settings
