"""Vectorized C for the gradient program: a block of LANES samples at once, every
value stored as LANES consecutive doubles (struct of arrays), so one machine
instruction works on several samples.

The program's sums of products (c_rows.py: 768k of LeNet-5's products) are not
printed: one loop, compiled once per program, runs them from a table of slot numbers
given at run time,

    V[dest] = V[a_1] * X[b_1] + V[a_2] * X[b_2] + ...   (X: V, or a scalar of S),

with GCC's vector types (`vw`, WIDTH doubles, PER of them per block) for each term,
in the trace's order and without fused multiply-add, so a value is what the printed
statement gives. The remaining rows are printed: activations, pooling and their
derivatives as vector statements (c_lanes.py), anything else (the loss) one lane at
a time in a loop over the LANES lanes. Compiled with -march=native (c_build.py).

Measured on LeNet-5 (benchmarks/lenet5.py, the 2-core development machine under
load): gcc 6 s and 170 MB instead of 84 s and 1.5 GB for one statement per row;
loss + gradient on 64 images ~8 ms of CPU instead of ~48 ms.
Every sample is computed in its own lane from its own inputs, so the results are
the same bit for bit whatever the block a sample falls in and whatever the number
of threads; with block sums (sums=True) each block's outputs are added in lane
order, blocks start at multiples of LANES whatever the threads.
"""

from __future__ import annotations

import os
from itertools import groupby

import sympy as sp

from ..model.losses import C_HELPERS as LOSS_HELPERS
from .c_backend import (
    BLOCK,
    HELPERS,
    PART_CHARS,
    UNIT_MIN_CHARS,
    CProgram,
    CTracePrinter,
    default_threads,
    split,
)
from .c_build import load_library
from .c_lanes import VECTOR_HELPERS, CLanesPrinter, on_lanes
from .c_rows import sort_rows

#: Samples per block: c_backend.BLOCK, the samples threads take whole.
LANES = BLOCK

#: A table this long (int32 numbers: ~ 2 per product) makes a block long enough
#: (LeNet-5: ~1.5 ms) for a thread of its own; shorter blocks go 4 to a thread
#: (c_backend.THREAD_MIN_BLOCKS).
THREAD_ONE_BLOCK_TABLE = 200_000

PART_SIGNATURE = "const double *restrict t, double *restrict V"

#: Doubles per vector variable: one AVX-512 register, two AVX2 ones. Vectors of all
#: LANES doubles were spilled to the stack on every term (measured: 4x slower).
WIDTH = 8
PER = LANES // WIDTH  # vectors per block

KERNEL_HEAD = r"""
#include <stdint.h>
#include <string.h>

typedef double vw __attribute__((vector_size(WIDTH * 8), aligned(64)));

/* Factor b of a term: the slot's vector (b >= 0) or the scalar S[~b] on every lane */
#define FACTOR(b, k) ((b) >= 0 ? V[(b) * PER + (k)] : V[0] * S[~(b)])

/* rows r0 <= r < r1 of the table: V[dest[r]] = the sum of its terms, left to right
   (V[0] is ONES: 1.0 * s == s exactly) */
__attribute__((optimize("O2"))) NOINLINE static void
run_table(vw *restrict V, const double *restrict S, const int *restrict table,
          long r0, long r1)
{
  const long rows = table[0], terms = table[1];
  const int *dest = table + 2, *start = dest + rows, *a = start + rows + 1;
  const int *b = a + terms;
  for (long r = r0; r < r1; r++) {
    long j = start[r];
    const long end = start[r + 1];
"""


def kernel() -> str:
    """The table loop with PER accumulators (of WIDTH lanes) held in registers."""
    first = "".join(
        f"    vw s{k} = V[a[j] * PER + {k}] * FACTOR(b[j], {k});\n" for k in range(PER)
    )
    more = "".join(
        f"      s{k} = s{k} + V[a[j] * PER + {k}] * FACTOR(b[j], {k});\n"
        for k in range(PER)
    )
    store = "".join(f"    V[dest[r] * PER + {k}] = s{k};\n" for k in range(PER))
    return (
        KERNEL_HEAD
        + first
        + "    for (j++; j < end; j++) {\n"
        + more
        + "    }\n"
        + store
        + "  }\n}\n"
    )


MAIN = r"""
int program(const double *t, const double *x, long n, double *o, const int *table)
{
  double *S = malloc((NT + NN) * sizeof(double));
  char *raw = malloc(NS * LANES * sizeof(double) + 64);
  if (!S || !raw) { free(S); free(raw); return 1; }
  vw *V = (vw *)(((uintptr_t)raw + 63) & ~(uintptr_t)63);
  double *v = (double *)V;
  memcpy(S, t, NT * sizeof(double));
  for (long k = 0; k < NN; k++) S[NT + k] = NUMBERS[k];
  for (long l = 0; l < LANES; l++) v[l] = 1.0;  /* slot 0: ONES */
  for (long s = 0; s < n; s += LANES) {
    const long nb = n - s < LANES ? n - s : LANES;
    for (long i = 0; i < NI; i++)  /* lanes past the last sample compute on zeros */
      for (long l = 0; l < LANES; l++)
        v[(1 + i) * LANES + l] = l < nb ? x[(s + l) * NI + i] : 0.0;
%s
    for (long k = 0; k < NO; k++) {
      const double *out = v + (FIRST_OUTPUT + k) * LANES;
      if (SUMS) {  /* the block's sum, lane by lane as NumPy's sum(axis=0) adds */
        double total = out[0];
        for (long l = 1; l < nb; l++) total += out[l];
        o[s / LANES * NO + k] = total;
      } else {
        for (long l = 0; l < nb; l++) o[(s + l) * NO + k] = out[l];
      }
    }
  }
  free(S);
  free(raw);
  return 0;
}
"""


def statement_code(printer, slot: int, expr: sp.Expr) -> str:
    return f"    v[{slot * LANES}] = {printer.doprint(expr)};"


def code_parts(statements: list[str], first: int) -> list[str]:
    """Functions part{first}, ... that run the statements on every lane."""
    return [
        f"NOINLINE void part{first + i}({PART_SIGNATURE})\n{{\n"
        "  for (long l = 0; l < LANES; l++) {\n"
        "    double *v = (double *)V + l;\n" + "\n".join(chunk) + "\n  }\n}\n"
        for i, chunk in enumerate(split(statements, PART_CHARS))
    ]


def lane_parts(statements: list[str], first: int) -> list[str]:
    """Functions part{first}, ... that run vector statements on the PER vectors of
    WIDTH lanes of a block (c_lanes.py)."""
    return [
        f"NOINLINE void part{first + i}({PART_SIGNATURE})\n{{\n"
        "  vw *restrict W = (vw *)V;\n"
        "  for (long c = 0; c < PER; c++) {\n" + "\n".join(chunk) + "\n  }\n}\n"
        for i, chunk in enumerate(split(statements, PART_CHARS))
    ]


def printed_parts(segment, printers, first: int) -> list[str]:
    """A code segment's statements as parts: runs of rows c_lanes can compute on
    vectors, and runs of the others (one lane at a time), in order."""
    scalar, lanes = printers
    parts: list[str] = []

    def vector(statement) -> bool:
        return on_lanes(statement[1], lanes.vectors)

    for together, run in groupby(segment.statements, vector):
        if together:
            code = [f"    W[{k * PER} + c] = {lanes.doprint(e)};" for k, e in run]
            parts += lane_parts(code, first + len(parts))
        else:
            code = [statement_code(scalar, *statement) for statement in run]
            parts += code_parts(code, first + len(parts))
    return parts


def soa_sources(parameters, inputs, assignments, outputs, *, units: int, sums: bool):
    """(C translation units, table) for
        int program(const double *t, const double *x, long n, double *o,
                    const int *table)
    with the contract of c_backend.c_sources (samples' inputs in rows of x, their
    outputs in rows of o) plus `table`, the int32 array to pass as the last
    argument. With sums=True, row b of o holds the sums of the outputs over the
    samples of block b (samples b LANES ... b LANES + LANES - 1), added in order.
    The first unit holds `program` and the table loop."""
    slots, table, segments, output_slots = sort_rows(
        parameters, inputs, assignments, outputs
    )
    names = {p: f"t[{i}]" for p, i in slots.parameters.items()}
    names.update({s: f"v[{k * LANES}]" for s, k in slots.vectors.items()})
    lanes = CLanesPrinter({p: f"t[{i}]" for p, i in slots.parameters.items()})
    lanes.names.update({s: f"W[{k * PER} + c]" for s, k in slots.vectors.items()})
    lanes.vectors = slots.vectors
    printers = CTracePrinter(names), lanes
    parts, calls = [], []
    for segment in segments:
        if segment.kind == "table":
            span = f"{segment.first}, {segment.last}"
            calls.append(f"    run_table(V, S, table, {span});")
            continue
        new = printed_parts(segment, printers, len(parts))
        calls += [f"    part{len(parts) + i}(S, v);" for i in range(len(new))]
        parts += new
    first_output = output_slots[0] if output_slots else slots.count
    assert output_slots == list(range(first_output, first_output + len(outputs)))
    sizes = {
        "NI": len(inputs), "NO": len(outputs), "NT": len(parameters),
        "NN": len(slots.numbers), "NS": slots.count, "FIRST_OUTPUT": first_output,
        "SUMS": int(sums),
    }  # fmt: skip
    prelude = HELPERS + LOSS_HELPERS + constants(sizes, slots.number_values())
    prelude += kernel() + VECTOR_HELPERS
    declarations = "".join(
        f"void part{i}({PART_SIGNATURE});\n" for i, _ in enumerate(parts)
    )
    main = prelude + declarations + MAIN % "\n".join(calls)
    return units_of(main, prelude, parts, units), table.packed()


def constants(sizes: dict[str, int], numbers: list[float]) -> str:
    """The sizes as C constants, the numbers (repr: read back exactly) as NUMBERS."""
    enum = ", ".join(f"{name} = {value}" for name, value in sizes.items())
    values = ", ".join(map(repr, numbers)) or "0.0"  # C has no empty array
    return (
        f"\n#define LANES {LANES}\n#define WIDTH {WIDTH}\n"
        f"#define PER {PER}\n"
        f"enum {{ {enum} }};\nstatic const double NUMBERS[] = {{ {values} }};\n"
    )


def units_of(main: str, prelude: str, parts: list[str], units: int) -> list[str]:
    """`main` and the parts in at most `units` translation units, for compilers
    running at once; one unit when the parts are small."""
    if not parts:
        return [main]
    size = sum(map(len, parts))
    units = max(1, min(units, size // UNIT_MIN_CHARS))
    groups = split(parts, -(-size // units) + max(map(len, parts)))
    if len(groups) == 1:
        return [main + "".join(groups[0])]
    return [main] + [prelude + "".join(group) for group in groups]


def compile_soa(parameters, inputs, assignments, outputs, *, sums: bool) -> CProgram:
    """Generate, compile (or take from the cache) and load the vectorized program;
    with sums=True it gives each block's sums of the outputs (soa_sources)."""
    threads = default_threads()  # a bad $SYMCNN_THREADS before the compiler runs
    sources, table = soa_sources(
        parameters, inputs, assignments, outputs, units=os.cpu_count() or 1, sums=sums
    )
    library = load_library(sources, native=True)
    sizes = len(parameters), len(inputs), len(outputs)
    return soa_program(library, sizes, threads, table, sums=sums)


def soa_program(library, sizes, threads: int, table, *, sums: bool) -> CProgram:
    """The loaded library as a CProgram of `sizes` (parameters, inputs, outputs);
    a long table's blocks each get a thread (THREAD_ONE_BLOCK_TABLE)."""
    program = CProgram(library, *sizes, threads, table=table, block_sums=sums)
    if len(table) >= THREAD_ONE_BLOCK_TABLE:
        program.thread_min_blocks = 1
    return program
