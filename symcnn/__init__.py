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

__version__ = "0.1.0"

from .errors import (
    DataError,
    NotNumericError,
    ShapeError,
    SpecError,
    SymcnnError,
    WeightsError,
)
from .files.pytorch import Imported, from_torch
from .files.spec import parse_spec, read_spec
from .files.torchfiles import to_torch
from .files.weights import read_weight_file, resolve
from .model.activations import Activation, activation
from .model.data import Dataset, Sample, binary_images, image_text, parse_image
from .model.layers import (
    AvgPool2D,
    Conv2D,
    Dense,
    Flatten,
    Input,
    MaxPool2D,
    MinPool2D,
    Pool2D,
)
from .model.network import Network
from .model.targets import count_pattern
from .numeric.compile import compile_forward, compile_layer_values, compile_objective
from .numeric.training import TrainResult, initial_weights
from .numeric.training import train as train_trace
from .prove.curvature import full_check
from .prove.verify import CheckReport, channel_contributions, forward_exact
from .prove.verify import check as check_trace
from .symbolic.adjoint import gradient_program
from .symbolic.trace import Trace, build_trace
from .typeset.derivation import Derivation
from .typeset.latex import FLOAT_DECIMALS
from .typeset.pyformula import function_latex
from .typeset.summary import summary_json, summary_text

__all__ = [
    "Activation", "AvgPool2D", "CheckReport", "Conv2D", "Flatten", "MaxPool2D",
    "MinPool2D", "Pool2D", "DataError", "Dataset", "Dense",
    "Derivation", "Input", "Network", "NotNumericError", "Sample", "ShapeError",
    "SpecError", "SymcnnError", "Trace", "TrainResult", "WeightsError", "activation",
    "binary_images", "build_trace", "check", "check_trace", "full_check",
    "function_latex",
    "channel_contributions", "forward_exact", "compile_forward",
    "compile_layer_values",
    "compile_objective", "count_pattern", "derive", "gradient_program", "image_text",
    "initial_weights", "parse_image", "parse_spec", "read_spec", "read_weight_file",
    "resolve", "summary_json", "summary_text", "train", "train_trace",
    "from_torch", "to_torch",
]  # fmt: skip


def derive(
    network: Network,
    data: Dataset | None = None,
    weights=None,
    *,
    missing: str = "error",
    loss: str = "squared_error",
    decimals: int | None = None,
) -> Derivation:
    """The lecture's forms of `network` (and of its `loss` on `data`); `weights` by
    printed name puts numbers in (slide L4). Numbers print as exact fractions, or as
    decimals of `decimals` significant digits; weights from_torch read from floats
    print as decimals (FLOAT_DECIMALS) unless `decimals` says otherwise."""
    exact = None if weights is None else resolve(network, weights, missing=missing)
    if decimals is None and isinstance(weights, Imported):
        decimals = FLOAT_DECIMALS
    return Derivation(build_trace(network, loss=loss), data, exact, decimals)


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
    exact = resolve(network, weights, missing=missing)
    trace = build_trace(network, loss=loss)
    return full_check(trace, exact, data, target=target, second_order=second_order)


def train(
    network: Network, data: Dataset, *, loss: str = "squared_error", **options
) -> TrainResult:
    """Gradient descent on the compiled `loss` ("squared_error", "mean_squared_error",
    "cross_entropy", "binary_cross_entropy"); the options of
    symcnn.numeric.training.train."""
    return train_trace(build_trace(network, loss=loss), data, **options)
