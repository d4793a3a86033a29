"""symcnn: derive, typeset, prove and train small convolutional networks symbolically.

import symcnn as sc
net = sc.Network(
    sc.Input(channels=1, height=2, width=3),
    sc.Conv2D(filters=1, kernel=(1, 2), name="a"),
    sc.Dense(4, activation="relu"),
    sc.Dense(1, weight_first=True, bias_first=True),
)
data = sc.Dataset.from_rows([("011/001", 1), ("110/011", 2), ("101/010", 0)])
print(sc.derive(net, data))

The package follows the pipeline, one subpackage per stage, imports only downwards:
model -> files -> symbolic -> prove -> numeric -> typeset -> formulas -> cli
(each stage's __init__ says what it owns and what it may import). This module
re-exports the public API.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from .errors import (
    DataError,
    NotNumericError,
    ShapeError,
    SpecError,
    SymcnnError,
    WeightsError,
)

__version__ = "0.1.0"

#: Where each public name lives, read like import lines ("name as alias" renames). They
#: are imported on first use (PEP 562 __getattr__ below), not here: SymPy and NumPy cost
#: ~0.5 s, and `symcnn --version` or `import symcnn.errors` need neither.
LAZY_IMPORTS = {
    "files.pytorch": ("Imported", "from_torch"),
    "files.spec": ("parse_spec", "read_spec"),
    "files.torchfiles": ("to_torch",),
    "files.weights": ("read_weight_file", "resolve"),
    "model.activations": ("Activation", "activation"),
    "model.data": ("Dataset", "Sample", "binary_images", "image_text", "parse_image"),
    "model.layers": (
        "AvgPool2D", "Conv2D", "Dense", "Flatten", "Input", "MaxPool2D", "MinPool2D",
        "Pool2D",
    ),
    "model.images": ("every_image", "image_at", "image_count"),
    "model.network": ("Network",),
    "model.targets": ("count_pattern",),
    "numeric.compile": ("compile_forward", "compile_layer_values", "compile_objective"),
    "numeric.training": ("TrainResult", "initial_weights", "train as train_trace"),
    "prove.curvature": ("full_check",),
    "prove.verify": (
        "CheckReport", "channel_contributions", "forward_exact", "check as check_trace",
        "exhaustive_check",
    ),
    "prove.verdicts": ("Verdict",),
    "symbolic.adjoint": ("gradient_program",),
    "symbolic.trace": ("Trace", "build_trace"),
    "explore.page": ("explorer_page",),
    "typeset.derivation": ("Derivation",),
    "typeset.latex": ("FLOAT_DECIMALS",),
    "typeset.pyformula": ("function_latex",),
    "typeset.target_formula": ("target_formula",),
    "typeset.summary": ("summary_json", "summary_text"),
    "typeset.embedding_report": ("Embeddings",),
    "typeset.plots": ("plot_loss", "plot_grids"),
    "symbolic.compose": ("Composed",),
}  # fmt: skip


def _where() -> dict[str, tuple[str, str]]:
    """Public name -> (module, its name there), from LAZY_IMPORTS."""
    where = {}
    for module, entries in LAZY_IMPORTS.items():
        for entry in entries:
            name, _, alias = entry.partition(" as ")
            where[alias or name] = (module, name)
    return where


_WHERE = _where()

#: The modules that register Jupyter's rich displays (model/display.py imports them the
#: first time an object is displayed, not here: they import every stage).
DISPLAY_MODULES = ("symcnn.cli.notebook",)

if TYPE_CHECKING:  # the names as a type checker or an editor sees them
    from .model.data import Dataset
    from .model.network import Network
    from .numeric.training import TrainResult
    from .prove.verify import CheckReport
    from .typeset.derivation import Derivation


def __getattr__(name: str):
    """symcnn.Network and the other public names: imported when first asked for, then
    kept in the module's namespace (so this runs once per name)."""
    if name not in _WHERE:
        raise AttributeError(f"module 'symcnn' has no attribute {name!r}")
    module, attribute = _WHERE[name]
    value = getattr(importlib.import_module(f".{module}", __name__), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))


__all__ = [
    "Activation", "AvgPool2D", "CheckReport", "Conv2D", "Flatten", "MaxPool2D",
    "MinPool2D", "Pool2D", "DataError", "Dataset", "Dense",
    "Derivation", "Input", "Network", "NotNumericError", "Sample", "ShapeError",
    "SpecError", "SymcnnError", "Trace", "TrainResult", "WeightsError", "activation",
    "binary_images", "build_trace", "check", "check_trace", "full_check",
    "every_image", "image_at", "image_count", "exhaustive_check", "Verdict",
    "function_latex",
    "channel_contributions", "forward_exact", "compile_forward",
    "compile_layer_values",
    "compile_objective", "count_pattern", "derive", "gradient_program", "image_text",
    "initial_weights", "parse_image", "parse_spec", "read_spec", "read_weight_file",
    "resolve", "summary_json", "summary_text", "train", "train_trace",
    "from_torch", "to_torch",
    "Composed", "Embeddings", "compose", "embeddings", "plot_grids", "plot_loss",
    "prove_every_size", "explorer_page",
    "every_image_data", "accuracy", "target_formula",
]  # fmt: skip


def derive(
    network: Network,
    data: Dataset | None = None,
    weights=None,
    *,
    missing: str = "error",
    loss: str = "squared_error",
    decimals: int | None = None,
    width: int | None = None,
) -> Derivation:
    """The lecture's forms of `network` (and of its `loss` on `data`); `weights` by
    printed name puts numbers in (slide L4). Numbers print as exact fractions, or as
    decimals of `decimals` significant digits; weights from_torch read from floats
    print as decimals (FLOAT_DECIMALS) unless `decimals` says otherwise. Jupyter
    shows it as LaTeX broken at `width` characters (80 unless given)."""
    from .files.pytorch import Imported
    from .files.weights import resolve
    from .symbolic.trace import build_trace
    from .typeset.derivation import Derivation
    from .typeset.latex import FLOAT_DECIMALS

    exact = None if weights is None else resolve(network, weights, missing=missing)
    if decimals is None and isinstance(weights, Imported):
        decimals = FLOAT_DECIMALS
    return Derivation(build_trace(network, loss=loss), data, exact, decimals, width)


def check(
    network: Network,
    weights,
    data: Dataset,
    *,
    missing: str = "error",
    target=None,
    second_order: bool = True,
    loss: str = "squared_error",
) -> CheckReport:
    """Exact check of `weights` (by printed name) on `data`: outputs, residuals, loss,
    gradient and the kinks met; against `target` on every binary image (or a seeded
    sample) when given; with `second_order`, the Hessian's eigenvalue signs and, at
    kinks, the gradient under each one-sided derivative. The cross-entropy losses
    are refused (irrational at rational points), the squared ones are exact."""
    from .files.weights import resolve
    from .prove.curvature import full_check
    from .symbolic.trace import build_trace

    exact = resolve(network, weights, missing=missing)
    trace = build_trace(network, loss=loss)
    return full_check(trace, exact, data, target=target, second_order=second_order)


def train(
    network: Network, data: Dataset, *, loss: str = "squared_error", **options
) -> TrainResult:
    """Gradient descent on the compiled `loss` ("squared_error", "mean_squared_error",
    "cross_entropy", "binary_cross_entropy"); the options of
    symcnn.numeric.training.train."""
    from .numeric.training import train as train_trace
    from .symbolic.trace import build_trace

    return train_trace(build_trace(network, loss=loss), data, **options)


def prove_every_size(
    network: Network, weights, target, *, missing: str = "error", alphabet=(0, 1)
):
    """F_NN(P) = target(P) on every image of every size over `alphabet`, proven or
    refuted (with a counterexample) by one exact evaluation per patch class, when
    the network sums one function of local patches and the target counts a pattern
    of the patch's size (prove/patches.py states the argument); otherwise the
    result's `reason` says why enumeration is the only proof."""
    from .files.weights import resolve
    from .prove.patches import prove_every_size as prove
    from .symbolic.trace import build_trace

    exact = resolve(network, weights, missing=missing)
    return prove(build_trace(network), exact, target, alphabet=alphabet)


def every_image_data(network: Network, target, *, alphabet=(0, 1)) -> Dataset:
    """Every image of the network's input size over `alphabet` (0 and 1: binary), each
    with target(image) as its y: training on all of them teaches the task, not a few
    samples. `target` is any callable of the image, or of its pixels one by one
    (def count_11(p_11, p_12, ...)); train it with loss="mean_squared_error"."""
    from .model.every_image import every_image_data as build

    return build(network.shapes[0], target, alphabet, outputs=network.output_size)


def accuracy(network: Network, weights, data: Dataset, *, loss: str = "squared_error"):
    """How many samples of `data` float `weights` get right (a TrainResult, values in
    the network's order, or weights by printed name), read as `loss` reads an output
    (numeric/accuracy.py: |F - Y| <= 1/2 for the squared errors, argmax, logit >= 0)."""
    import numpy as np

    from .files.weights import resolve
    from .numeric.accuracy import accuracy as count
    from .symbolic.trace import build_trace

    weights = getattr(weights, "weights", weights)
    if not isinstance(weights, (list, tuple, np.ndarray)):  # by name, a WeightFile
        weights = resolve(network, weights)
    theta = np.array([float(w) for w in weights])
    return count(build_trace(network, loss=loss), theta, data)


def embeddings(
    network: Network,
    weights,
    data: Dataset,
    *,
    layer: str,
    metric: str = "cosine",
    missing: str = "error",
):
    """Slide L9: the exact embeddings of `data`'s images at the layer named `layer`
    and `metric` ("cosine", "euclidean", "chebyshev") between every pair, as an
    Embeddings table (text, LaTeX, Markdown; Jupyter shows it)."""
    from .files.weights import resolve
    from .typeset.embedding_report import embeddings as table

    exact = resolve(network, weights, missing=missing)
    return table(network, exact, data, layer, metric)


def compose(network: Network, weights=None, *, missing: str = "error"):
    """Slide L7: the one convolution a stack of linear convolutions equals, symbolic
    or with `weights` (by printed name) put in; Jupyter shows its kernels."""
    from .files.weights import resolve
    from .symbolic.compose import compose as composed
    from .symbolic.trace import build_trace

    exact = None if weights is None else resolve(network, weights, missing=missing)
    return composed(build_trace(network), exact)
