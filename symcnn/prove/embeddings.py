"""Embeddings and similarity (slide L9): a named layer's outputs as a vector, and the
distances between such vectors, symbolic (the slide's formulas), exact and numeric.

    Euclidean   d(A,B) = sqrt((a_1 - b_1)^2 + ... + (a_n - b_n)^2)
    max-metric  d(A,B) = max(|a_1 - b_1|, ..., |a_n - b_n|)          (Chebyshev)
    cosine      cos(phi) = (a_1 b_1 + ... + a_n b_n) / (|A| |B|)
Numeric matrices follow SciPy's cdist: "cosine" there is the distance 1 - cos(phi).
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from ..errors import SymcnnError, did_you_mean
from ..limits import MAX_TRACE_TERMS
from ..model.network import Network
from ..symbolic.trace import Trace, build_trace
from .metric_names import METRICS as METRICS  # re-exported: symcnn
from .verify import forward_exact


def layer_number(network: Network, name: str) -> int:
    """The layer called `name` (its `name` field), or "input" for the raw image."""
    if name == "input":
        return 0
    named = {
        layer.name: number
        for number, layer in enumerate(network.layers, 1)
        if getattr(layer, "name", None)
    }
    if name not in named:
        raise SymcnnError(
            f"no layer is named {name!r}{did_you_mean(name, named)}; named layers: "
            f"{', '.join(named) or 'none (give a layer a `name`)'}, or 'input'"
        )
    return named[name]


def embedding_table(network: Network, weights, data, number: int, metric: str):
    """(names, vectors, matrix): the embedding of each of `data`'s images at layer
    `number` and `metric` between every pair, exactly. Only layers 1 to `number` are
    run: a later layer (a sigmoid head) has no say in the embedding, so it neither
    needs exact values nor is refused."""
    check_metric(metric)
    names = tuple(sample.name for sample in data.samples)
    vectors = tuple(
        tuple(sp.Rational(x) for x in sample.image.flat) for sample in data.samples
    )
    if number > 0:
        head = Network(
            network.input, *network.layers[:number], max_terms=MAX_TRACE_TERMS
        )
        trace = build_trace(head)
        own = tuple(weights)[: len(head.parameters)]  # parameters are in layer order
        vectors = tuple(embedding(trace, own, s.image, number) for s in data.samples)
    if metric == "cosine":
        for name, vector in zip(names, vectors):
            if all(value == 0 for value in vector):
                raise SymcnnError(
                    f"the embedding of {name} at layer {number} is the zero vector, "
                    "whose cosine similarity with anything is undefined (0/0); use "
                    "--metric euclidean or chebyshev, or other weights or images"
                )
    matrix = tuple(
        tuple(exact_distance(metric, a, b) for b in vectors) for a in vectors
    )
    return names, vectors, matrix


def embedding(trace: Trace, weights, image, number: int) -> tuple[sp.Rational, ...]:
    """Layer `number`'s outputs (after its activation) on `image`, exact, flattened
    channel-major: the embedding of the image at that layer."""
    return tuple(forward_exact(trace, weights, image)[number].values.flat)


def exact_distance(metric: str, a, b) -> sp.Expr:
    """The metric between two exact vectors, exactly (square roots stay symbolic):
    Euclidean and Chebyshev distances, and the cosine similarity cos(phi)."""
    check_metric(metric)
    a, b = [sp.Rational(x) for x in a], [sp.Rational(x) for x in b]
    if metric == "euclidean":
        return sp.sqrt(sum((x - y) ** 2 for x, y in zip(a, b)))
    if metric == "chebyshev":
        return max(abs(x - y) for x, y in zip(a, b))
    norms = sp.sqrt(sum(x**2 for x in a)) * sp.sqrt(sum(y**2 for y in b))
    if norms == 0:
        raise SymcnnError("cosine similarity of a zero vector is undefined")
    return sum(x * y for x, y in zip(a, b)) / norms


def pairwise(metric: str, vectors: np.ndarray) -> np.ndarray:
    """The matrix of `metric` between the rows of `vectors` (n, d), float64, as SciPy's
    cdist(vectors, vectors, metric) computes it (cosine: the distance 1 - cos)."""
    check_metric(metric)
    x = np.asarray(vectors, dtype=np.float64)
    difference = x[:, None, :] - x[None, :, :]
    if metric == "euclidean":
        return np.sqrt((difference**2).sum(axis=2))
    if metric == "chebyshev":
        return np.abs(difference).max(axis=2)
    norms = np.linalg.norm(x, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return 1.0 - (x @ x.T) / np.outer(norms, norms)


def check_metric(metric: str) -> None:
    if metric not in METRICS:
        raise SymcnnError(
            f"unknown metric {metric!r}{did_you_mean(metric, METRICS)}; use one of "
            f"{', '.join(METRICS)}"
        )


def metric_latex(metric: str, n: int = 3) -> str:
    """The slide's formula of `metric` for vectors of length n (written with \\\\dots
    when n > 3)."""
    check_metric(metric)

    def terms(pattern: str) -> str:
        if n <= 3:
            return " + ".join(pattern.format(i=i) for i in range(1, n + 1))
        return f"{pattern.format(i=1)} + \\dots + {pattern.format(i='n')}"

    if metric == "euclidean":
        return rf"d(A,B) = \sqrt{{{terms('(a_{{{i}}} - b_{{{i}}})^{{2}}')}}}"
    if metric == "chebyshev":
        cells = terms("|a_{{{i}}} - b_{{{i}}}|").replace(" + ", ", ")
        return rf"d(A,B) = \max({cells})"
    return (
        rf"\cos\varphi = \frac{{{terms('a_{{{i}}} b_{{{i}}}')}}}"
        rf"{{\sqrt{{{terms('a_{{{i}}}^{{2}}')}}} \sqrt{{{terms('b_{{{i}}}^{{2}}')}}}}}"
    )
