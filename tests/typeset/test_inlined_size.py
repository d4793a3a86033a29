"""The learned F_NN's expanded size counted from the layers'
connections, without a trace row (typeset/inlined_size.py): exactly what the
inlined formula prints, on random architectures."""

from conftest import count11_network
from hypothesis import HealthCheck, given, settings
from strategies import architectures, pooled_architectures

import symcnn as sc
from symcnn.typeset.inlined_size import inlined_size
from symcnn.typeset.latex import written_size

SOME = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def inlined_written_size(network) -> int:
    """The written size of the inlined formula; with a number other than 0 among
    the values (sigmoid(0) = 1/2, folded), checks that inlined_size is above it."""
    trace = sc.build_trace(network)
    size = max(
        written_size(trace.inline(out, keep_named=False)) for out in trace.outputs
    )
    sigmoid = any(
        getattr(getattr(layer, "activation", None), "kind", "") == "sigmoid"
        for layer in network.layers
    )
    if sigmoid and any(row.expr == 0 for row in trace.rows):  # maybe sigmoid(0)
        assert inlined_size(network) >= size
        return inlined_size(network)
    return size


def test_count11_and_named_layers():
    assert inlined_size(count11_network()) == inlined_written_size(count11_network())
    network = sc.Network(
        sc.Input(channels=2, height=4, width=4),
        sc.Conv2D(2, 2, activation="leaky_relu", bias=True, name="a"),
        sc.Pool2D(3, mode="avg", stride=1, padding=1, count_include_pad=False),
        sc.Flatten(),
        sc.Dense(3, activation="tanh", bias_first=True, name="h"),
        sc.Dense(2, activation="sigmoid", bias=False),
    )
    assert inlined_size(network) == inlined_written_size(network) > 1_000


@SOME
@given(architectures(activations=("identity", "relu", "tanh", "sigmoid", "f")))
def test_random_conv_and_dense_nets(case):
    network, _, _ = case
    assert inlined_size(network) == inlined_written_size(network)


@SOME
@given(pooled_architectures())
def test_random_pooled_nets(case):
    network, _, _ = case
    assert inlined_size(network) == inlined_written_size(network)
