"""train's report counts the learned F_NN's expanded size from the rows, without
inlining them (train_report.inlined_size): exactly what the inlined formula prints."""

import pytest
from conftest import count11_network

import symcnn as sc
from symcnn.cli.train_report import inlined_size
from symcnn.typeset.latex import written_size


@pytest.mark.parametrize(
    "network",
    [
        count11_network(),
        sc.Network(
            sc.Input(channels=2, height=4, width=4),
            sc.Conv2D(2, 2, activation="relu", bias=True),
            sc.MaxPool2D(3, stride=1),
            sc.Dense(3, activation="tanh"),
            sc.Dense(2),
        ),
    ],
)
def test_the_size_counted_from_the_rows_is_the_inlined_formulas(network):
    trace = sc.build_trace(network)
    inlined = [trace.inline(out, keep_named=False) for out in trace.outputs]
    assert inlined_size(trace) == max(map(written_size, inlined)) > 20
