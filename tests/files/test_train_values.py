"""[train] loss in a spec file: names only, and the data's targets as the loss reads
them, each problem with its place and a fix."""

import pytest

import symcnn as sc
from symcnn.files.spec import parse_spec

NETWORK = """
[input]
height = 1
width = 2

[[layers]]
type = "dense"
units = {units}

[data]
samples = [{{ image = "10", y = {y} }}]

[train]
loss = {loss}
"""


def spec(units=1, y="1", loss='"binary_cross_entropy"'):
    return parse_spec(NETWORK.format(units=units, y=y, loss=loss), source="s.toml")


def test_a_loss_that_looks_like_code_is_a_name_never_run():
    with pytest.raises(sc.SpecError, match=r"nothing was run\); use one of 'squared"):
        spec(loss="\"__import__('os')\"")


def test_a_loss_that_is_no_string_is_named():
    with pytest.raises(
        sc.SpecError, match=r"\[train\]\.loss \(line 13\): 3 is not a loss"
    ):
        spec(loss="3")


def test_binary_targets_are_checked_as_data():
    with pytest.raises(
        sc.SpecError, match=r"\[data\] \(line 10\): sample P1: target 2 is not 0"
    ):
        spec(y="2")
    with pytest.raises(sc.SpecError, match="binary_cross_entropy needs one output"):
        spec(units=2)


def test_cross_entropy_reads_class_indices_and_keeps_them():
    read = spec(units=3, y="2", loss='"cross_entropy"')
    assert read.loss == "cross_entropy"
    assert read.data.samples[0].target == (2,)
    with pytest.raises(sc.SpecError, match="target 3 is not a class index"):
        spec(units=3, y="3", loss='"cross_entropy"')
