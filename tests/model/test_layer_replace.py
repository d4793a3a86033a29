"""Validation accepts its own normalised output: `dataclasses.replace(layer)` (which
re-runs __post_init__ on the stored, normalised fields) gives back the same layer.
check's one-sided re-run rebuilds every layer this way."""

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import symcnn as sc

small = st.integers(1, 4)
pairs = st.one_of(small, st.tuples(small, small))
paddings = st.one_of(
    st.integers(0, 2),
    st.tuples(st.integers(0, 2), st.integers(0, 2)),
    st.tuples(
        st.tuples(st.integers(0, 2), st.integers(0, 2)),
        st.tuples(st.integers(0, 2), st.integers(0, 2)),
    ),
    st.just("valid"),
)
activations = st.one_of(
    st.sampled_from([None, "relu", "leaky_relu", "identity", "sigmoid", "tanh", "f"]),
    st.builds(lambda g: sc.activation("relu", grad_at_zero=g), st.sampled_from([0, 1])),
    st.builds(
        lambda s: sc.activation("leaky_relu", slope=s), st.sampled_from(["1/4", 0.5])
    ),
)
names = st.sampled_from([None, "a", "h"])

convs = st.one_of(
    st.builds(
        sc.Conv2D,
        small,
        pairs,
        stride=pairs,
        padding=paddings,
        bias=st.booleans(),
        activation=activations,
        name=names,
    ),
    st.builds(
        sc.Conv2D, small, pairs, padding=st.just("same"), activation=activations
    ),
)
denses = st.builds(
    sc.Dense,
    small,
    activation=activations,
    bias=st.booleans(),
    name=names,
    first_index=st.one_of(st.none(), st.integers(0, 2)),
    neuron_index=st.booleans(),
    weight_first=st.booleans(),
    bias_first=st.booleans(),
)
pools = st.builds(
    lambda size, stride, padding, **options: sc.Pool2D(
        (2, 2) if padding else size, stride=stride, padding=padding, **options
    ),
    pairs,
    st.one_of(st.none(), pairs),
    st.sampled_from([0, 1, (1, 0)]),
    mode=st.sampled_from(["max", "min", "avg"]),
    floor=st.booleans(),
    tie=st.sampled_from(["first", "last"]),
    name=names,
)
inputs = st.builds(
    sc.Input, channels=small, height=small, width=small, letter=st.just("q")
)
layers = st.one_of(convs, denses, pools, inputs, st.builds(sc.Flatten, name=names))


@settings(max_examples=150, deadline=None)
@given(layers)
def test_replace_gives_back_the_same_layer(layer):
    assert replace(layer) == layer


def test_conv_padding_in_its_normalised_form_is_accepted():
    layer = sc.Conv2D(1, 1, padding=((0, 1), (2, 0)), activation="relu")
    assert layer.padding == ((0, 1), (2, 0))
    assert replace(layer, activation="identity").padding == ((0, 1), (2, 0))
    assert replace(sc.Conv2D(1, 1)).padding == ((0, 0), (0, 0))


def test_a_bad_side_of_a_padding_pair_is_named():
    with pytest.raises(sc.SymcnnError, match=r"Conv2D: `padding`: \(0, -1\) is not"):
        sc.Conv2D(1, 1, padding=((0, -1), (0, 0)))
