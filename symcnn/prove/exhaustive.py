"""F_NN(P) against a target on every image of the input size, exactly, fast.

Images are counted in model/images.py's order over the spec's pixel alphabet and run
through integers.py's plan in blocks of BLOCK images (NumPy int64, or Python integers
where int64 could overflow), in parallel processes (one per CPU) when there are many
blocks. Up to MAX_EXHAUSTIVE_IMAGES images (or a lower --max-images) every image is
checked: a proof. Above MAX_EXHAUSTIVE_IMAGES a seeded random sample is checked and
the result says it is not a proof; a --max-images the count exceeds is refused.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy as sp

from ..errors import SymcnnError
from ..limits import MAX_EXHAUSTIVE_IMAGES
from ..model.images import DEFAULT_ALPHABET, check_alphabet, digits, image_at
from ..model.images import image_count, values_of
from ..symbolic.trace import Trace
from .integers import Plan, integer_plan, pixel_numerators, run_plan
from .verdicts import Verdict, class_count_check, fraction, judge

#: Images per block: 32,768 int64 rows of a few hundred values fit in cache and memory.
BLOCK = 32_768

#: Wrong images kept with their values (text shows 20, JSON all of these); past it
#: only the count grows, so a wrong net on 2^30 images cannot fill the memory, and
#: listing (exact values, a recheck by NumPy after C, JSON) stays well under a second
#: (100,000 took 12 to 50 s on a net wrong almost everywhere).
MAX_LISTED = 1_000

#: Images that the overview commands (run, document, sc.check(target=)) enumerate at
#: most, about a second here; above it they sample, and `check --exhaustive` (or
#: exhaustive_check) checks every image up to MAX_EXHAUSTIVE_IMAGES.
QUICK_IMAGES = 2**20

#: Blocks below which one process does all: forking costs more than it saves.
PARALLEL_BLOCKS = 8


@dataclass(frozen=True)
class Mismatch:
    image: np.ndarray
    output: tuple[sp.Rational, ...]
    expected: tuple[sp.Rational, ...]


@dataclass(frozen=True)
class Exhaustive:
    """The network against a target on images of the input size over `alphabet`: all
    of them (`checked` == `total`), or a seeded random sample (`seed`)."""

    checked: int
    mismatches: tuple[Mismatch, ...]
    total: int = 0
    seed: int | None = None
    wrong: int | None = None  # how many are wrong (mismatches lists MAX_LISTED)
    alphabet: tuple = DEFAULT_ALPHABET
    verdict: Verdict = Verdict()
    seconds: float = 0.0

    @property
    def is_complete(self) -> bool:
        return self.checked == self.total

    @property
    def wrong_count(self) -> int:
        return len(self.mismatches) if self.wrong is None else self.wrong

    @property
    def right(self) -> int:
        return self.checked - self.wrong_count


def pattern_counts(grid: np.ndarray, images: np.ndarray) -> np.ndarray:
    """(n,) occurrences of the binary `grid` in each image, over every channel and
    placement: model/targets.count_pattern on a block at once (one comparison of
    shifted images per cell of the grid)."""
    _, _, height, width = images.shape
    ph, pw = grid.shape
    rows, cols = height - ph + 1, width - pw + 1
    if rows < 1 or cols < 1:
        return np.zeros(len(images), dtype=np.int64)
    found = None
    for (u, v), cell in np.ndenumerate(grid):
        match = images[:, :, u : u + rows, v : v + cols] == int(cell)
        found = match if found is None else found & match
    return found.reshape(len(images), -1).sum(axis=1, dtype=np.int64)


def block_targets(target: Callable, images: np.ndarray) -> list[np.ndarray]:
    """Y(P) of every image of a block, one (n,) array per target value: the built-in
    pattern targets vectorized, any other callable image by image (exact)."""
    counted = getattr(target, "counted_pattern", None)
    if counted is not None:
        return [pattern_counts(counted, images)]
    contained = getattr(target, "contained_pattern", None)
    if contained is not None:
        return [(pattern_counts(contained, images) > 0).astype(np.int64)]
    rows = [as_values(target(exact_image(image))) for image in images]
    if len({len(row) for row in rows}) != 1:
        raise SymcnnError("the target gives a different number of values per image")
    return [np.array(column, dtype=object) for column in zip(*rows)]


def as_values(value) -> tuple:
    values = value if isinstance(value, (list, tuple, np.ndarray)) else [value]
    return tuple(fraction(v) for v in values)


def exact_image(image: np.ndarray) -> np.ndarray:
    """One image as data.py's images are: exact Rationals in an object array."""
    out = np.empty(image.shape, dtype=object)
    for position, value in np.ndenumerate(image):
        out[position] = sp.Rational(value)
    return out


@dataclass(frozen=True)
class Job:
    plan: Plan
    target: Callable
    verdict: Verdict
    alphabet: tuple
    shape: tuple


def block_rows(job: Job, images: np.ndarray):
    """(images checked, wrong count, the first MAX_LISTED wrong ones as raw rows:
    pixels, output numerators, targets) for one block: plain numbers, cheap to send
    from a worker; as_mismatches makes the exact values of only those listed."""
    outputs = run_plan(job.plan, pixel_numerators(images, job.plan.scale))
    targets = block_targets(job.target, images)
    job.verdict.check_sizes(len(outputs), len(targets))
    class_count_check(job.verdict, targets, len(outputs), images)
    right = judge(job.verdict, outputs, job.plan.output_denominators(), targets)
    wrong = np.flatnonzero(~right)
    rows = [
        (images[i], tuple(int(n[i]) for n in outputs), tuple(t[i] for t in targets))
        for i in wrong[:MAX_LISTED]
    ]
    return len(images), len(wrong), rows


def as_mismatches(job: Job, rows) -> list[Mismatch]:
    denominators = job.plan.output_denominators()
    return [
        Mismatch(
            exact_image(image),
            tuple(sp.Rational(n, d) for n, d in zip(numerators, denominators)),
            tuple(sp.Rational(t) for t in targets),
        )
        for image, numerators, targets in rows
    ]


def run_block(job: Job, images: np.ndarray):
    """(images checked, wrong count, the wrong ones as Mismatch) for one block."""
    checked, wrong, rows = block_rows(job, images)
    return checked, wrong, as_mismatches(job, rows)


def block_at(job: Job, start: int, count: int) -> np.ndarray:
    pixels = math.prod(job.shape)
    positions = digits(start, count, pixels, len(job.alphabet))
    return values_of(positions, job.alphabet).reshape((count, *job.shape))


_FORKED: Job | None = None  # the job a forked worker inherits (closures do not pickle)


def forked_block(span: tuple[int, int]):
    return block_rows(_FORKED, block_at(_FORKED, *span))


def workers(blocks: int) -> int:
    """Processes to use: one per CPU ($SYMCNN_THREADS caps it) when there are
    PARALLEL_BLOCKS blocks or more and the platform can fork."""
    forks = "fork" in multiprocessing.get_all_start_methods()
    if blocks < PARALLEL_BLOCKS or not forks:
        return 1
    cap = os.environ.get("SYMCNN_THREADS", "")
    cpus = os.cpu_count() or 1
    return max(1, min(cpus, int(cap))) if cap.isdigit() and int(cap) else cpus


def speedup(count: int) -> float:
    """What `count` processes or threads gain at most: the CPUs that other work
    (the 1-minute load average) leaves idle, plus the one this check already uses;
    on a busy machine the estimate assumes no gain rather than promise one."""
    try:
        busy = os.getloadavg()[0]
    except (AttributeError, OSError):  # not on every platform
        return float(count)
    idle = (os.cpu_count() or 1) - busy + 1
    return max(1.0, min(float(count), idle))


def run_spans(job: Job, spans: list, progress: Callable | None):
    """Every block of `spans` ((start, count) pairs), in parallel when worth it;
    progress(done images) after each."""
    global _FORKED
    count = workers(len(spans))
    if count == 1:
        results = (block_rows(job, block_at(job, *span)) for span in spans)
        yield from report_progress(results, progress)
        return
    _FORKED = job
    try:
        with multiprocessing.get_context("fork").Pool(count) as pool:
            results = pool.imap(forked_block, spans, chunksize=2)
            yield from report_progress(results, progress)
    finally:
        _FORKED = None


def report_progress(results, progress):
    for result in results:
        if progress is not None:
            progress(result[0])
        yield result


def enumerate_all(job: Job, total: int, progress, announce, compiled=None) -> tuple:
    """Every image: by `compiled` (numeric/exhaustive_c.py, given by the caller since
    prove/ does not import numeric/) when it takes the job, else in NumPy blocks,
    the first alone (its time is the estimate), then the rest."""
    if compiled is not None:
        found = compiled(job, total, progress, announce)
        if found is not None:
            return found
    spans = [(start, min(BLOCK, total - start)) for start in range(0, total, BLOCK)]
    began = time.perf_counter()
    first = block_rows(job, block_at(job, *spans[0]))
    per_image = (time.perf_counter() - began) / spans[0][1]
    if announce is not None:
        announce(total, per_image * total / speedup(workers(len(spans) - 1 or 1)))
    if progress is not None:
        progress(first[0])
    results = [first, *run_spans(job, spans[1:], progress)]
    return merge(job, results)


def merge(job: Job, results) -> tuple[int, int, list]:
    checked = sum(r[0] for r in results)
    wrong = sum(r[1] for r in results)
    rows = [row for r in results for row in r[2]][:MAX_LISTED]
    return checked, wrong, as_mismatches(job, rows)


def sample_images(job: Job, total: int, count: int, seed: int) -> np.ndarray:
    """`count` distinct images drawn with random.Random(seed), in drawing order."""
    rng, chosen = random.Random(seed), {}
    while len(chosen) < count:
        chosen.setdefault(rng.randrange(total), None)
    images = [image_at(i, job.shape, job.alphabet) for i in chosen]
    if all(a.q == 1 for a in job.alphabet):
        return np.array(images, dtype=np.int64)
    return np.array(images, dtype=object)


def without_limit(total: int, enumerate_up_to: int) -> str:
    """What leaving --max-images out does for `total` images: all of them (a proof)
    up to the limit, else a random sample (not a proof)."""
    if total <= min(enumerate_up_to, MAX_EXHAUSTIVE_IMAGES):
        return f"check all {total:,} (a proof)"
    if total <= MAX_EXHAUSTIVE_IMAGES:
        return "check a random sample (not a proof)"
    return (
        f"check a random sample (not a proof: {total:,} is above "
        f"limits.MAX_EXHAUSTIVE_IMAGES = {MAX_EXHAUSTIVE_IMAGES:,})"
    )


def check_every_image(
    trace: Trace,
    weights,
    target: Callable,
    *,
    alphabet=DEFAULT_ALPHABET,
    verdict: Verdict = Verdict(),
    max_images: int | None = None,
    sample: int = 4096,
    seed: int = 0,
    progress: Callable | None = None,
    announce: Callable | None = None,
    enumerate_up_to: int = MAX_EXHAUSTIVE_IMAGES,
    compiled: Callable | None = None,
) -> Exhaustive:
    """F_NN(P) with `weights` against target(P), judged by `verdict`, on every image
    over `alphabet` when there are at most `max_images` (default
    MAX_EXHAUSTIVE_IMAGES); above a `max_images` given, a SymcnnError; above the
    default, `sample` random images (`seed`), not a proof. announce(images, seconds)
    tells the estimate before the rest starts; progress(images) follows each block.
    `enumerate_up_to` lowers where sampling starts (QUICK_IMAGES for overviews);
    `compiled(job, total, progress, announce)` may check every image instead (None:
    it does not apply)."""
    if max_images is not None and not 1 <= max_images <= MAX_EXHAUSTIVE_IMAGES:
        raise SymcnnError(
            f"--max-images {max_images} is outside 1 to {MAX_EXHAUSTIVE_IMAGES} "
            "(limits.MAX_EXHAUSTIVE_IMAGES); give a number in that range"
        )
    alphabet = check_alphabet(alphabet)  # exact Rationals; a clear error otherwise
    shape = tuple(trace.network.shapes[0])
    total = image_count(shape, alphabet)
    if max_images is not None and total > max_images:
        raise SymcnnError(
            f"the {'x'.join(map(str, shape[1:] if shape[0] == 1 else shape))} input "
            f"over {len(alphabet)} pixel values "
            f"has {total:,} images, above --max-images {max_images:,}; raise "
            f"--max-images or leave it out to {without_limit(total, enumerate_up_to)}"
        )
    job = Job(integer_plan(trace, weights, alphabet), target, verdict, alphabet, shape)
    began = time.perf_counter()
    if total <= min(enumerate_up_to, MAX_EXHAUSTIVE_IMAGES) or max_images:
        found = enumerate_all(job, total, progress, announce, compiled)
        checked, wrong, listed = found
        used_seed = None
    else:
        images = sample_images(job, total, min(sample, total), seed)
        checked, wrong, listed = run_block(job, images)
        used_seed = seed
    seconds = time.perf_counter() - began
    return Exhaustive(
        checked, tuple(listed), total, used_seed, wrong, alphabet, verdict, seconds
    )
