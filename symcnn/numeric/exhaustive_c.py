"""The exhaustive engine's integer plan (prove/integers.py) as compiled C, in threads.

One C function checks images start .. start + count - 1: it writes each image's
pixels from its number (model/images.py's order), runs the plan's Ops as int64
statements (the plan's bounds prove they cannot overflow; a plan that needs Python
integers is not compiled), counts the target's pattern, and compares in __int128:

    exact      N == Y D
    tol p/q    q |N - Y D| <= p D
    threshold  (q N >= p D) == Y   (a Y not 0 or 1 is refused, naming the image)

It returns how many are wrong and writes the first `room` wrong image numbers.
Python threads run disjoint ranges at once (ctypes lets go of the GIL during the
call). The wrong images are then run through the NumPy engine again, which must find
every one of them wrong: the two engines check each other on every listed image.
Only for one output, a built-in pattern target (count or contains) and the exact,
tol and threshold verdicts; anything else stays with NumPy (returns None).
"""

from __future__ import annotations

import ctypes
import math
import os
import time
from concurrent.futures import ThreadPoolExecutor
from fractions import Fraction

import numpy as np

from ..prove.exhaustive import MAX_LISTED, Job, run_block, speedup
from ..model.images import image_at
from ..prove.integers import Op
from .c_build import has_compiler, load_library

#: Images per call: large enough that a call's overhead vanishes, small enough for
#: a progress bar that moves and for both CPUs to get work.
CHUNK = 1 << 20

#: Images below which NumPy is as fast as compiling (the compiler takes ~0.3 s).
COMPILE_ABOVE = 1 << 20


def op_code(op: Op) -> list[str]:
    """C statements of one Op: `v<target> = ...` from earlier slots."""
    target, args = f"v{op.target}", [f"v{i}" for i in op.inputs]
    if op.kind == "relu":
        return [f"int64_t {target} = {args[0]} > 0 ? {args[0]} : 0;"]
    if op.kind == "leaky":
        p, q = op.coefficients
        x = args[0]
        return [f"int64_t {target} = {x} > 0 ? {q}LL * {x} : {p}LL * {x};"]
    if op.kind in ("max", "min"):
        better = ">" if op.kind == "max" else "<"
        lines = [f"int64_t {target} = {op.coefficients[0]}LL * {args[0]};"]
        for factor, cell in zip(op.coefficients[1:], args[1:]):
            lines.append(
                f"{{ int64_t t = {factor}LL * {cell}; "
                f"if (t {better} {target}) {target} = t; }}"
            )
        return lines
    terms = [f"{op.constant}LL"] + [
        f"{k}LL * {x}" for k, x in zip(op.coefficients, args)
    ]
    return [f"int64_t {target} = {' + '.join(terms)};"]


def pattern_code(grid: np.ndarray, shape: tuple, contains: bool) -> list[str]:
    """y = occurrences of `grid` (or 1 if any) over every channel and placement."""
    channels, height, width = shape
    ph, pw = grid.shape
    lines = ["int64_t y = 0;"]
    for c in range(channels):
        for i in range(height - ph + 1):
            for j in range(width - pw + 1):
                cells = [
                    f"px[{(c * height + i + u) * width + j + v}] == {int(grid[u, v])}"
                    for u in range(ph)
                    for v in range(pw)
                ]
                lines.append(f"y += ({' && '.join(cells)});")
    if contains:
        lines.append("y = y > 0;")
    return lines


def verdict_code(job: Job) -> str:
    d = job.plan.output_denominators()[0]
    n = f"(__int128)v{job.plan.outputs[0]}"
    yd = f"((__int128)y * {d}LL)"
    verdict = job.verdict
    if verdict.mode == "exact":
        return f"int right = {n} == {yd};"
    value = Fraction(int(verdict.value.p), int(verdict.value.q))
    p, q = value.numerator, value.denominator
    if verdict.mode == "tol":
        return (
            f"__int128 e = {n} - {yd}; if (e < 0) e = -e;"
            f" int right = (__int128){q}LL * e <= (__int128){p}LL * {d}LL;"
        )
    return (
        "if (y != 0 && y != 1) return -1 - (start + t);"  # a count: refused
        f" int right = ((__int128){q}LL * {n} >= (__int128){p}LL * {d}LL) == y;"
    )


def c_source(job: Job, pixel_values: list[int]) -> str | None:
    """The C check of `job`, or None when it is not one this module compiles."""
    plan, target = job.plan, job.target
    grid = getattr(target, "counted_pattern", None)
    contains = grid is None
    if grid is None:
        grid = getattr(target, "contained_pattern", None)
    fits = len(plan.outputs) == 1 and job.verdict.mode != "argmax"
    if grid is None or plan.wide or not fits:
        return None
    pixels, base = plan.pixels, len(pixel_values)
    table = ", ".join(f"{v}LL" for v in pixel_values)
    body = [
        "int64_t px[%d]; int64_t rest = start + t;" % pixels,
        f"for (int k = {pixels - 1}; k >= 0; k--) "
        f"{{ px[k] = table[rest % {base}]; rest /= {base}; }}",
    ]
    body += [f"int64_t v{i} = px[{i}] * {plan.scale}LL;" for i in range(pixels)]
    for op in plan.ops:
        body += op_code(op)
    body += pattern_code(grid, job.shape, contains)
    body += [
        verdict_code(job),
        "if (!right) { if (wrong < room) out[wrong] = start + t; wrong++; }",
    ]
    return "\n".join(
        [
            "#include <stdint.h>",
            f"static const int64_t table[{base}] = {{{table}}};",
            "int64_t program(int64_t start, int64_t count, void *where, "
            "int64_t room) {",
            "  int64_t *out = (int64_t *)where; int64_t wrong = 0;",
            "  for (int64_t t = 0; t < count; t++) {",
            *("    " + line for line in body),
            "  }",
            "  return wrong;",
            "}",
        ]
    )


def threads() -> int:
    cap = os.environ.get("SYMCNN_THREADS", "")
    cpus = os.cpu_count() or 1
    return max(1, min(cpus, int(cap))) if cap.isdigit() and int(cap) else cpus


def compiled_check(job: Job, total: int, progress=None, announce=None):
    """(checked, wrong, listed) of every image by the compiled check, or None when it
    does not apply (see the module docstring), no compiler is found, or there are
    fewer than COMPILE_ABOVE images. The first chunk alone times the estimate
    announce(images, seconds) gets."""
    values = [Fraction(int(a.p), int(a.q)) for a in job.alphabet]
    if total < COMPILE_ABOVE or not has_compiler():
        return None
    if any(v.denominator != 1 for v in values):
        return None  # the pixel table holds integers
    source = c_source(job, [int(v) for v in values])
    if source is None:
        return None
    function = load_library([source]).program  # c_build checks `program`
    function.argtypes = [ctypes.c_int64, ctypes.c_int64, ctypes.c_void_p]
    function.argtypes += [ctypes.c_int64]
    function.restype = ctypes.c_int64

    def run(span):
        start, count = span
        out = np.zeros(MAX_LISTED, dtype=np.int64)
        wrong = function(start, count, out.ctypes.data, MAX_LISTED)
        if wrong < 0:  # the image numbered -1 - wrong has a target not 0 or 1
            refuse_target(job, -1 - wrong)
        if progress is not None:
            progress(count)
        return wrong, out[: min(wrong, MAX_LISTED)]

    spans = [(s, min(CHUNK, total - s)) for s in range(0, total, CHUNK)]
    began = time.perf_counter()
    first = run(spans[0])
    if announce is not None:
        per_image = (time.perf_counter() - began) / spans[0][1]
        announce(total, per_image * total / speedup(threads()))
    with ThreadPoolExecutor(threads()) as pool:
        results = [first, *pool.map(run, spans[1:])]
    wrong = sum(r[0] for r in results)
    indices = np.concatenate([r[1] for r in results])[:MAX_LISTED]
    return total, wrong, listed_again(job, indices)


def refuse_target(job: Job, number: int) -> None:
    """The NumPy engine on image `number` raises the SymcnnError naming it."""
    image = image_at(number, job.shape, job.alphabet)
    run_block(job, np.array([image], dtype=np.int64))
    raise AssertionError(f"the compiled check refused image {number}: please report")


def listed_again(job: Job, indices: np.ndarray) -> list:
    """The wrong images through the NumPy engine: each must be wrong there too."""
    if not len(indices):
        return []
    pixels, base = math.prod(job.shape), len(job.alphabet)
    positions = np.zeros((len(indices), pixels), dtype=np.int64)
    rest = indices.copy()
    for k in range(pixels - 1, -1, -1):
        rest, positions[:, k] = np.divmod(rest, base)
    table = np.array([int(a) for a in job.alphabet], dtype=np.int64)
    images = table[positions].reshape((len(indices), *job.shape))
    checked, wrong, listed = run_block(job, images)
    if wrong != checked:
        raise AssertionError(
            f"the compiled and the NumPy engine disagree on {checked - wrong} of "
            f"{checked} images: please report this"
        )
    return listed
