"""Vectorized C for a network's program (c_layers.py): a block of LANES samples at
once, every value stored as LANES consecutive doubles (struct of arrays), so one
machine instruction works on several samples.

The program's sums of products (c_rows.py: ~800,000 products on LeNet-5) are not
printed: one loop, compiled once per program, runs them from a table of slot numbers
given at run time,

    V[dest] = V[a_1] * X[b_1] + V[a_2] * X[b_2] + ...   (X: V, or a scalar of S),

with GCC's vector types (`vw`, WIDTH doubles, PER of them per block) for each term,
in the trace's order and without fused multiply-add, so a value is what the printed
statement gives. The rest are loops printed once per layer (c_loops.py):
activations, pooling over index tables (T, given after the table), their
derivatives, and the loss. Compiled with -march=native (c_build.py).

Measured on LeNet-5 (benchmarks/lenet5.py): a source of 14 KB that gcc compiles in
0.1 s (37 MB); loss + gradient on 64 images 4.9 ms with one thread (PyTorch: 6.3).
Every sample is computed in its own lane from its own inputs, so the results are
the same bit for bit whatever the block a sample falls in and whatever the number
of threads; with block sums (sums=True) each block's outputs are added in lane
order, blocks start at multiples of LANES whatever the threads.
"""

from __future__ import annotations

from ..model.losses import C_HELPERS as LOSS_HELPERS
from .c_backend import BLOCK, HELPERS, UNIT_MIN_CHARS, CProgram, split
from .c_lanes import VECTOR_HELPERS
from .c_loops import PART_SIGNATURE

#: Samples per block: c_backend.BLOCK, the samples threads take whole.
LANES = BLOCK

#: A table this long (int32 numbers: ~ 2 per product) makes a block long enough
#: (LeNet-5: ~1.5 ms) for a thread of its own; shorter blocks go 4 to a thread
#: (c_backend.THREAD_MIN_BLOCKS).
THREAD_ONE_BLOCK_TABLE = 200_000

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
  /* zeros: an adjoint nothing writes (a value the loss does not read) is 0 */
  char *raw = calloc(NS * LANES * sizeof(double) + 64, 1);
  if (!S || !raw) { free(S); free(raw); return 1; }
  /* the loops' index tables, after the table of products */
  const int *T = table + 3 + 2 * (long)table[0] + 2 * (long)table[1];
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


def soa_sources(calls: list[str], parts: list[str], sizes: dict, *, units: int):
    """C translation units for
        int program(const double *t, const double *x, long n, double *o,
                    const int *table)
    with the contract of c_backend.c_sources (samples' inputs in rows of x, their
    outputs in rows of o) plus `table`, the int32 array to pass as the last
    argument (the products' table, then the loops' index tables). With SUMS, row b
    of o holds the sums of the outputs over the samples of block b (samples
    b LANES ... b LANES + LANES - 1), added in order. `calls` run in each block,
    the functions `parts` are the loops; the first unit holds `program` and the
    table loop."""
    prelude = HELPERS + LOSS_HELPERS + constants(sizes, [0.0])
    prelude += kernel() + VECTOR_HELPERS
    declarations = "".join(
        f"void part{i}({PART_SIGNATURE});\n" for i, _ in enumerate(parts)
    )
    main = prelude + declarations + MAIN % "\n".join(calls)
    return units_of(main, prelude, parts, units)


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


def soa_program(library, sizes, threads: int, table, *, sums: bool) -> CProgram:
    """The loaded library as a CProgram of `sizes` (parameters, inputs, outputs);
    a long table's blocks each get a thread (THREAD_ONE_BLOCK_TABLE)."""
    program = CProgram(library, *sizes, threads, table=table, block_sums=sums)
    if len(table) >= THREAD_ONE_BLOCK_TABLE:
        program.thread_min_blocks = 1
    return program
