"""Gradient formulas for the next lecture: chain rule, deltas, expanded."""

import numpy as np
import sympy as sp
from conftest import count11_network
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import symcnn as sc
from symcnn.prove.verify import forward_values
from symcnn.typeset.gradients import gradient_forms, gradient_lines


def test_gradient_formula_of_w1_reads_as_the_chain_rule():
    rows = gradient_lines(sc.build_trace(count11_network()), "w_1", "latex")
    chain = {lhs: rhs for section, lhs, rhs in rows if section == "chain rule"}
    assert chain[r"\frac{\partial L}{\partial F_{NN}}"] == r"2 (F_{NN} - Y)"
    assert chain[r"\frac{\partial L}{\partial w_{1}}"] == (
        r"\frac{\partial L}{\partial a_{11}} p_{11} + "
        r"\frac{\partial L}{\partial a_{12}} "
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
            expanded = sc.symbolic.terms.substitute(
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
