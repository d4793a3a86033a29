"""Property: a network's short repr is the call that rebuilds it, and net.symbol finds
every parameter, pixel and named value by its printed name, as symcnn's own symbol."""

from hypothesis import HealthCheck, given, settings
from strategies import architectures, pooled_architectures

import symcnn as sc

SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=list(HealthCheck)
)


def rebuilt(net):
    public = {n: getattr(sc, n) for n in sc.__all__}
    return eval(repr(net), public)  # the repr is the call that makes the network


@SETTINGS
@given(architectures(activations=("identity", "relu", "tanh", "sigmoid", "leaky_relu")))
def test_repr_rebuilds_the_network(drawn):
    net = drawn[0]
    again = rebuilt(net)
    assert again.layers == net.layers and again.input == net.input
    assert again.parameters == net.parameters and again.shapes == net.shapes
    assert len(repr(net)) < len(repr(net.layers)) + 200  # short: defaults left out


@SETTINGS
@given(pooled_architectures())
def test_pooled_repr_rebuilds_and_symbols_are_the_traces(drawn):
    net = drawn[0]
    assert rebuilt(net).layers == net.layers
    trace = sc.build_trace(net)
    for symbol, name in trace.names.items():
        if symbol in trace.parameters or symbol in set(trace.pixels.flat):
            assert net.symbol(name.latex) is symbol or net.symbol(name.latex) == symbol
            assert net.symbol(name.latex).is_real
