"""The C backend: the gradient program as generated C, compiled by the machine's C
compiler, with the loop over samples inside the compiled code.

Every row of the program becomes one assignment ``v[k] = ...;`` into a scratch array
(one per sample of a block of BLOCK samples), printed by SymPy's C99 printer in the
trace's term order; our functions become small
inline C functions with the same conventions as everywhere else (ReLU'(0) as the
layer chose, pooling ties to the first cell in the order given). The statements are
split into functions of about PART_CHARS characters each: the compiler's time then
grows linearly with the trace (the L8 program at -O1: 27 s as one function, 6.6 s in
parts; 2.4 s at -Og in two units), and large programs are split into translation
units compiled in parallel. No -ffast-math: it would change comparisons at kinks and
the propagation of NaN and inf.

The compiler, the cache of shared libraries (private, each verified before it is
loaded) and loading are c_build.py's.
"""

from __future__ import annotations

import ctypes
import functools
import os
import re
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import sympy as sp
from sympy.printing.c import C99CodePrinter

from ..errors import SymcnnError
from ..limits import MAX_THREADS
from ..model.losses import C_HELPERS as LOSS_HELPERS
from .c_build import compiler, has_compiler, load_library
from .constants import PoolPrinting, SafeNames, TraceOrder

__all__ = ["CProgram", "c_sources", "compile_c", "compiler", "has_compiler"]

PART_CHARS = 20_000  # ~2000 operations: the register allocator stays fast
UNIT_MIN_CHARS = 100_000  # below this, one compiler call beats several

# A part runs its statements on a block of nb <= BLOCK samples, one sample after the
# other: its code is fetched once per block. Straight-line code one sample at a time
# re-fetched all of it per sample and ran 4.5x slower per operation on LeNet-5
# (15 MB of source) than on a 9k-term net.
BLOCK = 16
# Fewer blocks than this per thread run in the calling thread alone: handing two blocks
# to two threads made a 32-sample step of the digits net 1.8x slower, not faster.
THREAD_MIN_BLOCKS = 4
# t: parameters, xs: the block's inputs, vs: its scratch, os: its outputs
PART_SIGNATURE = (
    "const double *restrict t, const double *restrict xs, "
    "double *restrict vs, double *restrict os, long nb"
)
PART_LOOP = """
  for (long b = 0; b < nb; b++) {
    const double *restrict x = xs + b * NI;
    double *restrict v = vs + b * NV;
    double *restrict o = os + b * NO;"""
HELPERS = r"""
#include <math.h>
#include <stdlib.h>

#define NOINLINE __attribute__((noinline))  /* one part, one register allocation */

/* NaN as numpy.maximum and PyTorch: relu(NaN) = NaN (x < 0 is false), and -0.0 stays
   -0.0 as in numpy; every step is 0 at NaN (numpy's (x > 0) + c*(x == 0)) */
static inline double relu(double x) { return x < 0 ? 0.0 : x; }
static inline double relu_step(double x, double at_zero)
{ return x > 0 ? 1.0 : (x == 0 ? at_zero : 0.0); }
static inline double leaky_relu(double x, double slope)
{ return x > 0 ? x : slope * x; }
static inline double leaky_relu_step(double x, double slope, double at_zero)
{ return x > 0 ? 1.0 : (x < 0 ? slope : (x == 0 ? at_zero : 0.0)); }
static inline double sigmoid(double x) { return 0.5 * tanh(0.5 * x) + 0.5; }
/* a NaN cell wins, as in numpy.maximum/minimum (b != b: b is NaN); ties keep a */
static inline double max2(double a, double b) { return b > a || b != b ? b : a; }
static inline double min2(double a, double b) { return b < a || b != b ? b : a; }
"""


class CTracePrinter(TraceOrder, PoolPrinting, SafeNames, C99CodePrinter):
    """C for one program row: symbols as the array slots in `slots`, our functions as
    the helpers above, terms in the trace's order."""

    def __init__(self, slots: dict[sp.Symbol, str]):
        super().__init__(slots, {"order": "none"})

    def _call(self, name, expr):
        return f"{name}({', '.join(self._print(arg) for arg in expr.args)})"

    def _print_ReLU(self, expr):
        return self._call("relu", expr)

    def _print_ReLUStep(self, expr):
        return self._call("relu_step", expr)

    def _print_LeakyReLU(self, expr):
        return self._call("leaky_relu", expr)

    def _print_LeakyReLUStep(self, expr):
        return self._call("leaky_relu_step", expr)

    def _print_Sigmoid(self, expr):
        return self._call("sigmoid", expr)


def c_sources(parameters, inputs, assignments, outputs, *, units: int) -> list[str]:
    """C translation units (at most `units`) for
        int program(const double *t, const double *x, long n, double *o)
    which for every sample s (inputs x[s*len(inputs) ...]) writes the outputs to
    o[s*len(outputs) ...]; t holds the parameters. The first unit holds `program`,
    the others the parts it calls, so that several compilers can run at once."""
    slots = {p: f"t[{i}]" for i, p in enumerate(parameters)}
    slots.update({symbol: f"x[{i}]" for i, symbol in enumerate(inputs)})
    printer = CTracePrinter(slots)
    statements = []
    for number, (symbol, expr) in enumerate(assignments):
        code = printer.doprint(expr)  # printed before its own slot exists
        slots[symbol] = f"v[{number}]"
        statements.append(f"  v[{number}] = {code};")
    statements += [f"  o[{k}] = {printer.doprint(o)};" for k, o in enumerate(outputs)]
    sizes = f"""
enum {{ NI = {len(inputs)}, NV = {max(len(assignments), 1)}, NO = {len(outputs)} }};
#define BLOCK {BLOCK}
"""
    parts = [
        f"NOINLINE void part{i}({PART_SIGNATURE})\n{{{PART_LOOP}\n"
        + "\n".join(part)
        + "\n  }\n}\n"
        for i, part in enumerate(split(statements, PART_CHARS))
    ]
    calls = "\n".join(
        f"    part{i}(t, x + s * NI, v, o + s * NO, n - s < BLOCK ? n - s : BLOCK);"
        for i in range(len(parts))
    )
    declarations = "".join(
        f"void part{i}({PART_SIGNATURE});\n" for i in range(len(parts))
    )
    main = f"""{declarations}
int program(const double *t, const double *x, long n, double *o)
{{
  double *v = malloc(BLOCK * NV * sizeof(double));
  if (!v) return 1;
  for (long s = 0; s < n; s += BLOCK) {{
{calls}
  }}
  free(v);
  return 0;
}}
"""
    size = sum(map(len, parts))
    units = max(1, min(units, size // UNIT_MIN_CHARS))
    groups = split(parts, -(-size // units) + max(map(len, parts)))
    prelude = HELPERS + LOSS_HELPERS + sizes
    if len(groups) == 1:
        return [prelude + "".join(groups[0]) + main]
    return [prelude + main] + [prelude + "".join(group) for group in groups]


def split(pieces: list[str], chars: int) -> list[list[str]]:
    """Consecutive runs of pieces of about `chars` characters each (at least one)."""
    runs: list[list[str]] = [[]]
    length = 0
    for piece in pieces:
        if runs[-1] and length + len(piece) > chars:
            runs.append([])
            length = 0
        runs[-1].append(piece)
        length += len(piece)
    return runs


def default_threads() -> int:
    """$SYMCNN_THREADS, else the CPUs this process may run on."""
    setting = os.environ.get("SYMCNN_THREADS", "").strip()
    if setting:
        # ASCII digits only: str.isdigit() takes "²", which int() refuses
        if not re.fullmatch(r"[0-9]{1,9}", setting) or not (
            1 <= int(setting) <= MAX_THREADS
        ):
            raise SymcnnError(
                f"SYMCNN_THREADS is {setting!r}; use a whole number from 1 to "
                f"{MAX_THREADS}, such as 1, or unset it to use every CPU"
            )
        return int(setting)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class CProgram:
    """(theta, rows) -> (len(rows), outputs) float64: the compiled program on every
    row of inputs (pixels, then targets), the same parameters for all.

    With threads > 1, blocks of rows run at once in threads (ctypes releases the GIL
    for the call). Each sample's outputs have their own row, so the result is the
    same bit for bit whatever the number of threads."""

    def __init__(
        self,
        library: ctypes.CDLL,
        n_parameters: int,
        n_inputs: int,
        n_outputs: int,
        threads: int | None = None,
        table: np.ndarray | None = None,
        block_sums: bool = False,
    ):
        self.library = library  # kept: the function lives as long as it does
        self.function = self.library.program
        # Plain addresses, not ndpointer: ndpointer checks arrays in Python code inside
        # the ctypes call, where a Ctrl-C became ctypes.ArgumentError (an internal
        # error that lost the weights) instead of KeyboardInterrupt.
        pointer = ctypes.c_void_p
        argtypes = [pointer, pointer, ctypes.c_long, pointer]
        # the vectorized program's table of products (c_soa.py), its last argument
        self.table = None if table is None else np.ascontiguousarray(table, np.int32)
        self.extra: tuple = ()
        if self.table is not None:
            argtypes.append(pointer)
            self.extra = (self.table.ctypes.data,)
        self.function.argtypes = argtypes
        self.block_sums = block_sums  # rows of sums over BLOCK samples (c_soa.py)
        self.thread_min_blocks = THREAD_MIN_BLOCKS  # c_soa: 1 for long blocks
        self.function.restype = ctypes.c_int
        self.shape = (n_parameters, n_inputs, n_outputs)
        self.threads = default_threads() if threads is None else threads

    def __call__(self, theta: np.ndarray, rows: np.ndarray) -> np.ndarray:
        n_parameters, n_inputs, n_outputs = self.shape
        theta = np.ascontiguousarray(theta, dtype=np.float64)
        rows = np.ascontiguousarray(rows, dtype=np.float64)
        if (
            theta.shape != (n_parameters,)
            or rows.ndim != 2
            or rows.shape[1] != n_inputs
        ):
            raise SymcnnError(
                f"the compiled program takes {n_parameters} parameters and rows of "
                f"{n_inputs} inputs; got {theta.shape} and {rows.shape}"
            )
        per_row = BLOCK if self.block_sums else 1  # samples per row of out
        out = np.empty((-(-len(rows) // per_row), n_outputs))
        chunks = self.chunks(len(rows))
        # The arrays are C-contiguous float64 (above); a slice of rows of one is too.
        def run(c: slice) -> int:
            return self.function(
                theta.ctypes.data,
                rows[c].ctypes.data,
                c.stop - c.start,
                out[c.start // per_row :].ctypes.data,
                *self.extra,
            )

        if len(chunks) == 1:
            status = [run(chunks[0])]
        else:
            status = list(executor(self.threads).map(run, chunks))
        if any(status):
            raise MemoryError("the compiled program could not allocate its scratch")
        return out

    def chunks(self, rows: int) -> list[slice]:
        """Whole blocks of rows, one run of them per thread (one run for few rows:
        at least thread_min_blocks blocks per thread)."""
        blocks = -(-rows // BLOCK)
        threads = min(self.threads, blocks // self.thread_min_blocks)
        if threads <= 1:
            return [slice(0, rows)]
        bounds = [BLOCK * (blocks * k // threads) for k in range(threads)] + [rows]
        return [slice(a, b) for a, b in zip(bounds[:-1], bounds[1:])]


@functools.cache
def executor(threads: int) -> ThreadPoolExecutor:
    return ThreadPoolExecutor(threads, thread_name_prefix="symcnn")


def compile_c(parameters, inputs, assignments, outputs) -> CProgram:
    """Generate, compile (or take from the cache) and load the program."""
    threads = default_threads()  # a bad $SYMCNN_THREADS before the compiler runs
    sources = c_sources(
        parameters, inputs, assignments, outputs, units=os.cpu_count() or 1
    )
    library = load_library(sources)
    return CProgram(library, len(parameters), len(inputs), len(outputs), threads)
