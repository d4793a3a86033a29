"""Beyond the slides (L7, L9, the next lecture): embeddings and similarity, composed
filters and their best patch, gradient formulas."""

import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.spatial.distance import cdist

import symcnn as sc
from conftest import DERIVATIONS, count11_network
from symcnn.cli import main
from symcnn.compose import compose, max_response
from symcnn.embeddings import embedding, exact_distance, metric_latex, pairwise
from symcnn.gradients import gradient_forms, gradient_lines
from symcnn.verify import forward_values


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


def test_l7_stack_is_one_filter_and_its_best_patch():
    spec = sc.read_spec(DERIVATIONS / "l7_filters.toml")
    weights = sc.read_weight_file(DERIVATIONS / "l7_filters-weights.toml").resolve(
        spec.network
    )
    composed = compose(sc.build_trace(spec.network), weights)
    assert composed.kernel[0, 0].tolist() == [[0, -1, 0], [-1, 1, -1], [0, -1, 0]]
    best = max_response(composed.kernel[0])
    assert best.value == 1 and best.count == 16
    assert ["".join(row) for row in best.pattern[0]] == ["*0*", "010", "*0*"]


def test_symbolic_composition_of_two_filters():
    net = sc.Network(
        sc.Input(height=3, width=3),
        sc.Conv2D(1, (1, 2), name="a"),
        sc.Conv2D(1, (2, 1), letter="v"),
    )
    kernel = compose(sc.build_trace(net)).kernel[0, 0]
    w1, w2 = sp.symbols("w_1 w_2", real=True)
    v1, v2 = sp.symbols("v_1 v_2", real=True)
    assert kernel.tolist() == [[v1 * w1, v1 * w2], [v2 * w1, v2 * w2]]


def test_composition_refuses_a_nonlinearity():
    with pytest.raises(sc.SymcnnError, match=r"layer 1 \(Conv2D\) applies relu"):
        compose(
            sc.build_trace(
                sc.Network(
                    sc.Input(height=3, width=3), sc.Conv2D(1, 2, activation="relu")
                )
            )
        )


@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.integers(1, 2), st.integers(1, 3), st.integers(1, 3), st.integers(0, 10**6))
def test_composed_kernel_computes_what_the_stack_computes(channels, k1, k2, seed):
    net = sc.Network(
        sc.Input(channels=channels, height=6, width=6),
        sc.Conv2D(2, k1, bias=True),
        sc.Conv2D(1, k2, bias=True, letter="v", bias_letter="c"),
    )
    rng = np.random.default_rng(seed)
    theta = rng.normal(size=len(net.parameters))
    composed = compose(sc.build_trace(net), [sp.Float(t) for t in theta])
    image = rng.normal(size=(1, channels, 6, 6))
    stack = sc.compile_forward(sc.build_trace(net))(theta, image).reshape(
        6 - k1 - k2 + 2, -1
    )
    kernel = np.array(composed.kernel[0], dtype=float)
    size = kernel.shape[-1]
    direct = np.array(
        [
            [
                np.sum(image[0, :, i : i + size, j : j + size] * kernel)
                for j in range(stack.shape[1])
            ]
            for i in range(stack.shape[0])
        ]
    )
    np.testing.assert_allclose(direct + float(composed.bias[0]), stack, atol=1e-9)


def test_gradient_formula_of_w1_reads_as_the_chain_rule():
    rows = gradient_lines(sc.build_trace(count11_network()), "w_1", "latex")
    chain = {lhs: rhs for section, lhs, rhs in rows if section == "chain rule"}
    assert chain[r"\frac{\partial L}{\partial F_{NN}}"] == r"2 (F_{NN} - Y)"
    assert chain[r"\frac{\partial L}{\partial w_{1}}"] == (
        r"\frac{\partial L}{\partial a_{11}} p_{11} + \frac{\partial L}{\partial a_{12}} "
        r"p_{12} + \frac{\partial L}{\partial a_{21}} p_{21} + \frac{\partial L}"
        r"{\partial a_{22}} p_{22}"
    )
    assert chain[r"\frac{\partial L}{\partial z^{(2)}_{1}}"] == (
        r"\frac{\partial L}{\partial F_{NN}} w_{1,0} f'(z^{(2)}_{1})"
    )


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.integers(0, 10**6))
def test_symbolic_gradients_equal_compiled_and_finite_differences(seed):
    net = count11_network()
    data = sc.Dataset.from_rows([("011/001", 1), ("110/011", 2), ("101/010", 0)])
    trace = sc.build_trace(net)
    rng = np.random.default_rng(seed)
    weights = [
        sp.Rational(int(n), 8) for n in rng.integers(-12, 13, len(net.parameters))
    ]
    forms = gradient_forms(trace)
    symbolic = np.zeros(len(weights))
    for sample in data.samples:
        values = forward_values(trace, weights, sample.image)
        values.update(zip(trace.targets, sample.target))
        for i, parameter in enumerate(trace.parameters):
            expanded = sc.terms.substitute(
                forms.gradient[parameter], forms.expanded_from
            )
            symbolic[i] += float(expanded.xreplace(values))
    theta = np.array([float(w) for w in weights])
    objective = sc.compile_objective(trace, data)
    np.testing.assert_allclose(symbolic, objective(theta)[1], atol=1e-10)
    h = 1e-6
    numeric = [
        (objective.loss(theta + h * e) - objective.loss(theta - h * e)) / (2 * h)
        for e in np.eye(len(theta))
    ]
    kinks = sc.check_trace(trace, weights, data).kinks
    if not kinks:  # finite differences straddle a kink otherwise
        np.testing.assert_allclose(symbolic, numeric, atol=1e-5)
