"""The error boundary covers the argument parser too (report C10: a raw traceback
from entry(), exit 1): a bug while building or running the parser is one line,
exit 70; mismatched weights stay a clean exit 2."""

import pytest
from conftest import DERIVATIONS

from symcnn.cli import main as cli
from symcnn.cli import parser


def broken_parser():
    raise AttributeError("a half-edited parser")


@pytest.mark.parametrize("debug", [False, True])
def test_a_bug_in_the_parser_is_an_internal_error(capsys, monkeypatch, debug):
    monkeypatch.setattr(parser, "build_parser", broken_parser)
    argv = ["summary", str(DERIVATIONS / "count11.toml")] + ["--debug"] * debug
    assert cli.main(argv) == cli.INTERNAL_ERROR == 70
    err = capsys.readouterr().err
    assert "symcnn: internal error: AttributeError: a half-edited parser\n" in err
    assert ("Traceback (most recent call last)" in err) == debug


def test_weights_of_another_network_are_bad_input(capsys):
    argv = [
        "derive",
        str(DERIVATIONS / "l7_filters.toml"),
        "--compose",
        "--weights",
        str(DERIVATIONS / "l6_multichannel-weights.toml"),
    ]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("symcnn derive: error: weight file ")
    assert "[layers.1].weight: shape 1x3x3x3 but layer 1 (Conv2D) has weights" in err
