"""The exact integer engine is a proof only if it equals SymPy on the same trace:
random nets (conv, pool, dense; relu, leaky relu, identity), integer and fractional
weights, images over random alphabets, kinks and ties included."""

import numpy as np
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import architectures, pooled_architectures

import symcnn as sc
from symcnn.model.images import image_at, image_count
from symcnn.prove.integers import INT64_SAFE, integer_plan, pixel_numerators, run_plan
from symcnn.prove.verify import forward_values

#: Small integers make exact zeros before a ReLU and ties in a max pool likely.
WEIGHTS = [sp.Rational(w) for w in (0, 1, -1, 2, "1/2", "-1/3", "2/7", 3)]
ALPHABETS = [(0, 1), (-1, 0, 1), (0, sp.Rational(1, 2), 1), (2, -3)]


def sympy_outputs(trace, weights, image):
    values = forward_values(trace, weights, image)
    return tuple(values[symbol] for symbol in trace.outputs)


def engine_outputs(trace, weights, alphabet, images):
    """F_NN of every image as exact Rationals, from the integer engine."""
    plan = integer_plan(trace, weights, tuple(map(sp.Rational, alphabet)))
    block = np.array(images, dtype=object)
    if all(sp.Rational(a).q == 1 for a in alphabet):
        block = block.astype(np.int64)
    numerators = run_plan(plan, pixel_numerators(block, plan.scale))
    return [
        tuple(
            sp.Rational(int(n[i]), d)
            for n, d in zip(numerators, plan.output_denominators())
        )
        for i in range(len(images))
    ]


def agree(network, data):
    trace = sc.build_trace(network)
    weights = [data.draw(st.sampled_from(WEIGHTS)) for _ in trace.parameters]
    alphabet = data.draw(st.sampled_from(ALPHABETS))
    shape = network.shapes[0]
    total = image_count(shape, alphabet)
    indices = data.draw(st.lists(st.integers(0, total - 1), min_size=1, max_size=6))
    images = [image_at(i, shape, tuple(map(sp.Rational, alphabet))) for i in indices]
    expected = [sympy_outputs(trace, weights, image) for image in images]
    assert engine_outputs(trace, weights, alphabet, images) == expected


@settings(max_examples=25, deadline=None)
@given(pooled_architectures(), st.data())
def test_the_engine_equals_sympy_on_conv_pool_nets(drawn, data):
    agree(drawn[0], data)


@settings(max_examples=25, deadline=None)
@given(architectures(activations=("identity", "relu", "leaky_relu")), st.data())
def test_the_engine_equals_sympy_on_conv_dense_nets(drawn, data):
    agree(drawn[0], data)


def test_a_relu_exactly_at_zero_and_a_tied_max_pool():
    network = sc.Network(
        sc.Input(height=2, width=2),
        sc.Conv2D(1, (1, 1), bias=True, activation="relu"),
        sc.Pool2D((2, 2), mode="max"),
        sc.Flatten(),
        sc.Dense(1),
    )
    trace = sc.build_trace(network)
    weights = [sp.Integer(1), sp.Integer(-1), sp.Integer(1), sp.Integer(0)]
    image = np.array([[[1, 1], [0, 1]]], dtype=object)  # relu(0) twice, a 3-way tie
    assert engine_outputs(trace, weights, (0, 1), [image]) == [(0,)]
    image = np.array([[[2, 2], [0, 2]]], dtype=object)
    expected = [sympy_outputs(trace, weights, image)]
    assert engine_outputs(trace, weights, (0, 2), [image]) == expected == [(1,)]


def test_values_past_int64_run_on_python_integers():
    """Weights of 10^12 through three layers reach 10^36: int64 would wrap around."""
    network = sc.Network(
        sc.Input(height=1, width=2),
        sc.Dense(2, activation="relu"),
        sc.Dense(2, activation="relu"),
        sc.Dense(1),
    )
    trace = sc.build_trace(network)
    weights = [sp.Integer(10**12) + k for k in range(len(trace.parameters))]
    plan = integer_plan(trace, weights, (sp.Integer(0), sp.Integer(1)))
    assert plan.wide and max(plan.bounds) >= INT64_SAFE
    images = [np.array([[[1, 1]]], dtype=object), np.array([[[0, 1]]], dtype=object)]
    expected = [sympy_outputs(trace, weights, image) for image in images]
    got = engine_outputs(trace, weights, (0, 1), images)
    assert got == expected and expected[0][0] > 10**36


def test_fractional_weights_keep_one_denominator_per_row():
    network = sc.Network(sc.Input(height=1, width=2), sc.Dense(1, activation="relu"))
    trace = sc.build_trace(network)
    weights = [sp.Rational(1, 3), sp.Rational(-1, 6), sp.Rational(1, 4)]
    plan = integer_plan(trace, weights, (sp.Integer(0), sp.Integer(1)))
    assert plan.output_denominators() == (12,)
    image = np.array([[[1, 1]]], dtype=object)
    assert engine_outputs(trace, weights, (0, 1), [image]) == [(sp.Rational(5, 12),)]
