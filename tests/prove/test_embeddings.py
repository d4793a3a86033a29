"""Embeddings and similarity (slide L9): exact, symbolic and numeric distances."""

import numpy as np
import pytest
import sympy as sp
from conftest import DERIVATIONS
from scipy.spatial.distance import cdist

import symcnn as sc
from symcnn.cli.main import main
from symcnn.prove.embeddings import embedding, exact_distance, metric_latex, pairwise


def spec_embeddings(name):
    spec = sc.read_spec(DERIVATIONS / f"{name}.toml")
    weights = sc.read_weight_file(DERIVATIONS / f"{name}-weights.toml").resolve(
        spec.network
    )
    trace = sc.build_trace(spec.network)
    return [embedding(trace, weights, s.image, 2) for s in spec.data.samples]


def test_intensity_changes_keep_cosine_exactly_1_without_biases():
    p, p2, p3, other = spec_embeddings("l9_embeddings")
    assert exact_distance("cosine", p, p2) == 1 and exact_distance("cosine", p, p3) == 1
    assert exact_distance("cosine", p, other) < 1
    d2, d3 = exact_distance("euclidean", p, p2), exact_distance("euclidean", p, p3)
    assert d3 == 2 * d2 and d2 > 0  # grows with k: |kE - E| = (k - 1)|E|


def test_with_biases_the_cosine_drops_below_1():
    p, p2, p3, _ = spec_embeddings("l9_embeddings_bias")
    assert exact_distance("cosine", p, p2) < 1 and exact_distance("cosine", p, p3) < 1


def test_exact_distances():
    assert exact_distance("euclidean", [1, 2], [4, 6]) == 5
    assert exact_distance("chebyshev", [1, 2], [4, 6]) == 4
    assert exact_distance("cosine", [1, 0], [1, 1]) == sp.sqrt(2) / 2


@pytest.mark.parametrize("metric", ["euclidean", "chebyshev", "cosine"])
def test_pairwise_agrees_with_scipy_cdist(metric):
    vectors = np.random.default_rng(3).normal(size=(7, 5))
    np.testing.assert_allclose(
        pairwise(metric, vectors), cdist(vectors, vectors, metric), atol=1e-12
    )


def test_metric_formulas_as_l9_writes_them():
    assert metric_latex("euclidean", 9) == (
        r"d(A,B) = \sqrt{(a_{1} - b_{1})^{2} + \dots + (a_{n} - b_{n})^{2}}"
    )
    assert metric_latex("chebyshev", 9) == (
        r"d(A,B) = \max(|a_{1} - b_{1}|, \dots, |a_{n} - b_{n}|)"
    )
    assert metric_latex("cosine", 9) == (
        r"\cos\varphi = \frac{a_{1} b_{1} + \dots + a_{n} b_{n}}"
        r"{\sqrt{a_{1}^{2} + \dots + a_{n}^{2}} \sqrt{b_{1}^{2} + \dots + b_{n}^{2}}}"
    )


def test_embed_command_json(capsys):
    spec = str(DERIVATIONS / "l9_embeddings.toml")
    assert main(["embed", spec, "--layer", "e", "--format", "json"]) == 0
    import json

    result = json.loads(capsys.readouterr().out)
    assert result["matrix"][0][:3] == ["1", "1", "1"]
    assert result["embeddings"]["P2"] == [
        str(2 * int(v)) for v in result["embeddings"]["P1"]
    ]
    assert main(["embed", spec, "--layer", "x"]) == 2
    assert "no layer is named 'x'" in capsys.readouterr().err
