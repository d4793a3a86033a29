"""The one lambdify call site: the trace's gradient program as fast float64 callables.

One generic sample is compiled once, with the trace rows and their adjoint rows handed
to ``lambdify`` as its shared subexpressions in a flat output list (a nested one
silently disables them: NUMERICS.md). Symbols have ASCII names and the printer keeps
the trace's term order (``order="none"``): both are 10x in lambdify time.

Backends that evaluate it over a dataset:

- "python": the scalar program on plain floats, once per sample. NumPy pays ~1 us per
  operation whatever the array length, so for lecture-sized data (a few samples) plain
  floats are ~10x faster (count-11: 22 us vs 246 us for loss and gradient).
- "numpy": the program on arrays over the samples, once; no compiler needed.
- "c": vectorized C built from the network itself, not from the trace's rows
  (c_layers.py, c_soa.py): blocks of 16 samples at once, the conv and dense sums and
  their adjoints run from a table of slot numbers by one compiled loop, activations
  and pooling as one printed loop per layer. LeNet-5: built and compiled in 0.2 s
  where printing every statement took gcc 84 s (benchmarks/lenet5.py).
- "c-scalar": the trace's rows and reverse mode, every row a C statement, one sample
  after the other (c_backend.py): the independent oracle of "c"; its compile time
  grows with the trace (L8's loss and gradient on 256 images in 4.9 ms, against
  NumPy's 38 ms and PyTorch's 5.5 ms).
- "llvm": symengine's LLVM Lambdify (llvm_backend.py); 2-3x PyTorch's time on L8,
  and its cse pass makes compiling slow (L8 derived and compiled in 25 s, C in 8 s).

"auto" picks from the expected work, terms x samples: "python" up to
AUTO_PYTHON_MAX_WORK (count-11); else with a C compiler "c", without one "numpy".
Measured (load 2.5, one loss + gradient): "c" takes 7-70 us per step on every net
tried, python 0.1 us per term and sample + 7 us (count-11, 18 terms x 4 samples:
7.6 us; 196 x 16: 116 us against 9.7; 4,952 x 16: 5.6 ms against 0.042); "c"
costs 0.07-0.16 s once to compile (0.003 s from its cache). Below 1,000 python's
extra time over 2,000 steps is under that compile; above it "c" wins. "c" even for
fewer samples than its block of 16: built without the trace's rows it beats
"c-scalar" on both counts (a 7,744-term net on 15 samples: built in 0.21 s and
0.062 ms per loss + gradient, against 2.6 s and 0.13 ms).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp
from sympy.printing.numpy import NumPyPrinter
from sympy.printing.pycode import PythonCodePrinter

from ..errors import DataError, SymcnnError
from ..model.data import Dataset
from ..model.losses import loss_data, loss_scale
from ..model.pooling import PoolMax, PoolMin
from ..symbolic.adjoint import check_activations, gradient_program
from ..symbolic.trace import Trace
from .arguments import checked_batch, checked_images, checked_theta
from .backend_names import BACKENDS
from .c_backend import compile_c, has_compiler
from .c_layers import compile_network
from .constants import SafeNames, check_layer_constants, short
from .llvm_backend import evaluate as llvm_evaluate
from .llvm_backend import lambdify_llvm

C_BACKENDS = ("c", "c-scalar")
# trace terms x samples (module docstring); count-11 is 18 x 4 (all 64 images: 1,152
# terms x samples, still well under a second in python)
AUTO_PYTHON_MAX_WORK = 1_000
# the forward pass runs once (accuracy, forward): lambdify beats a compiler below this
AUTO_FORWARD_NUMPY_MAX_TERMS = 5_000  # trace terms; the digits net has 3,400


class NumPyTracePrinter(SafeNames, NumPyPrinter):
    """NumPy code in the trace's own term order."""

    def __init__(self, names: dict[sp.Symbol, str]):
        super().__init__(names, {"order": "none", "fully_qualified_modules": True})


class PythonTracePrinter(SafeNames, PythonCodePrinter):
    """Plain-float code in the trace's own term order; math functions unqualified
    (lambdify's "math" namespace holds math's functions, not the module)."""

    def __init__(self, names: dict[sp.Symbol, str]):
        super().__init__(names, {"order": "none", "fully_qualified_modules": False})

    def _print(self, expr, **settings):
        # before the functions' own _pythoncode (Python's max and min), which a
        # printer consults first
        if isinstance(expr, (PoolMax, PoolMin)):
            name = "pool_max" if isinstance(expr, PoolMax) else "pool_min"
            return f"{name}({', '.join(self._print(cell) for cell in expr.args)})"
        return super()._print(expr, **settings)


def pool_max(*cells: float) -> float:
    """numpy.maximum folded over the cells: a NaN cell wins, where Python's max(1.0,
    nan) is 1.0 (the python backend once lost NaN there); ties keep the first."""
    best = cells[0]
    for cell in cells[1:]:
        if cell > best or cell != cell:
            best = cell
    return best


def pool_min(*cells: float) -> float:
    """numpy.minimum folded over the cells, as pool_max."""
    best = cells[0]
    for cell in cells[1:]:
        if cell < best or cell != cell:
            best = cell
    return best


PRINTERS = {"python": PythonTracePrinter, "numpy": NumPyTracePrinter}
# NumPy as the module itself, not the name: lambdify runs `from numpy import *` for
# "numpy", which loads numpy.f2py, .testing, .ma and more (0.1-0.3 s of `symcnn
# train`); the module's own functions are all the generated code calls.
MODULES = {
    "python": [{"pool_max": pool_max, "pool_min": pool_min}, "math"],
    "numpy": [{"numpy": np}, np],
}


def generated_names(arguments, assignments) -> dict[sp.Symbol, str]:
    """Identifiers by position: argument i is ``_a{i}``, row k's value ``_v{k}``.
    User names are letters first, so none of them is ever one of these."""
    names = {symbol: f"_a{i}" for i, symbol in enumerate(arguments)}
    names.update({symbol: f"_v{k}" for k, (symbol, _) in enumerate(assignments)})
    return names


def lambdify_program(arguments, assignments, outputs, *, backend: str):
    """lambdify(arguments, outputs) with `assignments` as the shared subexpressions,
    the generated code naming every symbol by its position (generated_names)."""
    names = generated_names(arguments, assignments)
    return sp.lambdify(
        [sp.Symbol(names[argument]) for argument in arguments],
        list(outputs),
        modules=MODULES[backend],
        printer=PRINTERS[backend](names),
        cse=lambda exprs: (list(assignments), list(exprs)),
        docstring_limit=0,
    )


def choose_backend(backend: str, samples: int, terms: int) -> str:
    """The backend for `samples` samples of a trace with `terms` terms."""
    if backend not in BACKENDS:
        raise SymcnnError(
            f"unknown backend {backend!r}; use one of {', '.join(BACKENDS)}"
        )
    if backend != "auto":
        return backend
    if terms * samples <= AUTO_PYTHON_MAX_WORK:
        return "python"
    return "c" if has_compiler() else "numpy"


@dataclass(frozen=True)
class Objective:
    """theta -> (L(theta), dL/dtheta) on one dataset,
    L = scale * sum_s loss(F(P_s), Y_s) (the trace's loss row; scale 1/(N K) for the
    mean squared error, else 1), theta a float64 vector in parameter order. A batch
    sums over its samples with the same scale, so that training's N/B makes it the
    batch mean (PyTorch's) for the mean and an estimate of the whole sum otherwise.

    `samples` holds one row (pixels, then targets) per sample; the python backend runs
    the program once per row, the numpy backend once on their columns."""

    backend: str
    program: object
    samples: np.ndarray
    scale: float = 1.0
    parameters: int | None = None  # theta's length, checked (arguments.py)

    def __call__(
        self, theta: np.ndarray, batch: np.ndarray | None = None
    ) -> tuple[float, np.ndarray]:
        """The sums over all samples, or over the samples indexed by `batch` (indices
        0 to samples - 1; an empty batch sums nothing: 0 and a zero gradient)."""
        if self.parameters is not None:
            theta = checked_theta(theta, self.parameters)
        rows = self.samples
        if batch is not None:
            rows = self.samples[checked_batch(batch, len(self.samples))]
            if not len(rows):
                return 0.0, np.zeros(len(theta))
        if self.backend in C_BACKENDS:  # rows of sums ("c") or of samples
            totals = self.program(theta, rows).sum(axis=0)
        elif self.backend == "llvm":
            totals = llvm_evaluate(self.program, theta, rows).sum(axis=0)
        elif self.backend == "python":
            weights = theta.tolist()  # lambdified code takes the weights one by one
            try:
                per_sample = [self.program(*weights, *row) for row in rows.tolist()]
            except OverflowError:  # plain floats raise where NumPy gives inf
                per_sample = self.on_numpy_scalars(theta, rows)
            totals = np.array(per_sample, dtype=np.float64).sum(axis=0)
        else:
            outputs = self.program(*theta.tolist(), *rows.T, float(len(rows)))
            totals = np.array(outputs, dtype=np.float64)
        return float(totals[0]) * self.scale, totals[1:] * self.scale

    def loss(self, theta: np.ndarray) -> float:
        return self(theta)[0]

    def on_numpy_scalars(self, theta: np.ndarray, rows: np.ndarray) -> list:
        """The python program on float64 scalars, which give inf where a float's **
        raises OverflowError: then the python backend's numbers are numpy's (w = 1e200
        once gave an all-NaN gradient here, finite in the other backends)."""
        weights = list(theta.astype(np.float64))
        with np.errstate(all="ignore"):
            try:
                return [self.program(*weights, *row) for row in rows.astype(np.float64)]
            except OverflowError:  # math.exp and the like raise on scalars too
                return [[np.inf] + [np.nan] * len(weights)]


N_SAMPLES = sp.Symbol("_n_samples")


def compile_objective(
    trace: Trace, data: Dataset, *, backend: str = "auto"
) -> Objective:
    """Compile the loss and its gradient (reverse mode over the trace) for `data`;
    "c" builds its program from the network (c_layers.py), not from the rows."""
    check_activations(trace)
    check_layer_constants(trace.network)
    data.require_targets("the loss")
    outputs = trace.network.output_size
    data = loss_data(trace.loss_kind, data, outputs)  # class -> one-hot
    data.check_fits(trace.network)
    samples = float_samples(data)  # refused before compiling, not after
    scale = float(loss_scale(trace.loss_kind, len(data), outputs))
    backend = choose_backend(backend, len(data), trace.terms)
    if backend == "c":
        function = compile_network(trace.network, trace.loss_kind)
        return Objective(backend, function, samples, scale, len(trace.parameters))
    program = gradient_program(trace)
    outputs = [program.loss, *program.gradient]
    inputs = [*trace.pixels.flat, *trace.targets]
    arguments = [*trace.parameters, *inputs]
    if backend == "numpy":
        varying = per_sample_symbols(trace, program.assignments)
        outputs = [batch_total(output, varying) for output in outputs]
        arguments.append(N_SAMPLES)
    if backend == "c-scalar":
        function = compile_c(trace.parameters, inputs, program.assignments, outputs)
    elif backend == "llvm":
        function = lambdify_llvm(arguments, program.assignments, outputs)
    else:
        function = lambdify_program(
            arguments, program.assignments, outputs, backend=backend
        )
    return Objective(backend, function, samples, scale, len(trace.parameters))


def float_samples(data: Dataset) -> np.ndarray:
    """One float64 row per sample: its pixels, then its targets. A number float64
    cannot hold is refused, named: as inf it would look like divergence."""
    pixels = data.pixel_arrays().reshape(len(data), -1)
    samples = np.concatenate([pixels, data.target_arrays()], axis=1)
    if not np.all(np.isfinite(samples)):
        raise beyond_float64(data)
    return samples


def beyond_float64(data: Dataset) -> DataError:
    """The error naming the first pixel or target of `data` beyond float64."""
    for sample in data.samples:
        for (channel, row, column), value in np.ndenumerate(sample.image):
            if not np.isfinite(float(value)):
                place = f"pixel (channel {channel + 1}, row {row + 1}, column "
                return out_of_range(sample.name, f"{place}{column + 1})", value)
        for number, value in enumerate(sample.target, start=1):
            if not np.isfinite(float(value)):
                return out_of_range(sample.name, f"target {number}", value)
    raise AssertionError("no number of the data is beyond float64")


def out_of_range(sample: str, place: str, value) -> DataError:
    return DataError(
        f"sample {sample}: {place} is {short(value)}, beyond float64 (about 1.8e308), "
        "so training would read it as infinity; scale the images and targets to "
        "numbers below 1e308 in size"
    )


class SampleSum(sp.Function):
    """The sum over the samples of a per-sample value (an array over the batch)."""

    nargs = 1

    def _numpycode(self, printer):
        return f"({printer._print(self.args[0])}).sum()"


def per_sample_symbols(trace: Trace, assignments) -> set[sp.Symbol]:
    """Symbols whose values are arrays over the samples: pixels, targets and every row
    that reads one of them."""
    varying = set(trace.pixels.flat) | set(trace.targets)
    for symbol, expr in assignments:
        if expr.free_symbols & varying:
            varying.add(symbol)
    return varying


def batch_total(expr: sp.Expr, varying: set[sp.Symbol]) -> sp.Expr:
    """sum over the samples of expr: a reduction where expr varies, n * expr where it
    reads no sample (np.sum of a scalar would count it once)."""
    return SampleSum(expr) if expr.free_symbols & varying else N_SAMPLES * expr


@dataclass(frozen=True)
class Forward:
    """(theta, images (samples, c, h, w)) -> F_NN(P) as (samples, outputs), float64."""

    program: object
    backend: str = "numpy"
    shape: tuple[int, ...] | None = None  # one image's; with `parameters` and
    parameters: int | None = None  # `outputs` the arguments are checked (arguments.py)
    outputs: int = 0

    def __call__(self, theta: np.ndarray, images: np.ndarray) -> np.ndarray:
        if self.shape is None:
            images = np.asarray(images, dtype=np.float64)
        else:
            theta = checked_theta(theta, self.parameters)
            images = checked_images(images, self.shape)
            if not len(images):
                return np.zeros((0, self.outputs))
        pixels = images.reshape(len(images), -1)
        if self.backend in C_BACKENDS:
            return self.program(theta, pixels)
        outputs = self.program(*theta.tolist(), *pixels.T)
        return np.stack([np.broadcast_to(o, len(images)) for o in outputs], axis=1)


def compile_forward(trace: Trace, *, backend: str = "numpy") -> Forward:
    """Compile F_NN alone: "numpy" (vectorized over images), "c" (from the network:
    c_layers.py), "c-scalar", or "auto": "c" for a trace of more than
    AUTO_FORWARD_NUMPY_MAX_TERMS terms when there is a C compiler, else "numpy"."""
    check_activations(trace)
    check_layer_constants(trace.network)
    if backend == "auto":
        big = trace.terms > AUTO_FORWARD_NUMPY_MAX_TERMS
        backend = "c" if big and has_compiler() else "numpy"
    if backend not in ("numpy", *C_BACKENDS):
        raise SymcnnError(
            f"the forward pass has backends auto, numpy, c and c-scalar, not "
            f"{backend!r}"
        )
    network = trace.network
    if backend == "c":  # from the layers: the trace's rows are never built
        program = compile_network(network, None)
    else:
        program = trace_forward(trace, backend)
    sizes = (network.shapes[0], len(network.parameters), network.output_size)
    return Forward(program, backend, *sizes)


def trace_forward(trace: Trace, backend: str):
    """F_NN's rows compiled by "c-scalar" or "numpy"."""
    rows = [(row.symbol, row.expr) for row in trace.rows if row.role != "loss"]
    pixels = list(trace.pixels.flat)
    if backend == "c-scalar":
        return compile_c(trace.parameters, pixels, rows, trace.outputs)
    arguments = [*trace.parameters, *pixels]
    return lambdify_program(arguments, rows, trace.outputs, backend="numpy")


@dataclass(frozen=True)
class LayerValuesFunction:
    """(theta, images) -> every layer's values after its activation, one float64
    array (samples, values of the layer, channel-major) per layer (the input first)."""

    program: object
    sizes: tuple[int, ...]

    def __call__(self, theta: np.ndarray, images: np.ndarray) -> list[np.ndarray]:
        images = np.asarray(images, dtype=np.float64)
        flat = self.program(*theta.tolist(), *images.reshape(len(images), -1).T)
        columns = [np.broadcast_to(value, len(images)) for value in flat]
        bounds = np.cumsum((0, *self.sizes))
        return [
            np.stack(columns[start:stop], axis=1)
            for start, stop in zip(bounds[:-1], bounds[1:])
        ]


def compile_layer_values(trace: Trace) -> LayerValuesFunction:
    """Compile every layer's values at once, vectorized over images with NumPy."""
    check_activations(trace)
    check_layer_constants(trace.network)
    rows = [(row.symbol, row.expr) for row in trace.rows if row.role != "loss"]
    arguments = [*trace.parameters, *trace.pixels.flat]
    outputs = [symbol for values in trace.layer_values for symbol in values.flat]
    program = lambdify_program(arguments, rows, outputs, backend="numpy")
    return LayerValuesFunction(program, tuple(v.size for v in trace.layer_values))
