"""check at kinks: the one-sided re-run rebuilds every layer (dataclasses.replace),
and must work on any layer the user wrote: a Conv2D with relu is the common case."""

from symcnn.cli.main import main

import symcnn as sc

SPEC = """\
[input]
height = 2
width = 2

[[layers]]
type = "conv"
filters = 1
kernel = 1
activation = "relu"

[[layers]]
type = "dense"
units = 1

[data]
samples = [{ image = "00/01", y = 1 }]
"""

WEIGHTS = """\
missing = "zero"

[weights]
"w" = 1
"""


def minimal_net():
    return sc.Network(
        sc.Input(height=2, width=2),
        sc.Conv2D(1, 1, activation="relu"),
        sc.Dense(1),
    )


def test_check_of_a_relu_conv_at_a_kink_gives_both_one_sided_gradients():
    data = sc.Dataset.from_rows([("00/01", 1)])
    report = sc.check(minimal_net(), {"w": 1}, data, missing="zero")
    assert report.loss == 1
    assert len(report.kinks) == 3  # the three 0 pixels put relu at 0
    # parameters w, w_{11,0}, w_{12,0}, w_{21,0}, w_{22,0}, b_0; F = 0, dL/dF = -2
    assert report.one_sided == {
        "left": (0, 0, 0, 0, -2, -2),
        "right": (0, 0, 0, 0, -2, -2),
    }
    assert report.curvature.reason.startswith("L is not twice differentiable")


def test_cli_check_of_a_relu_conv_at_a_kink_exits_0(tmp_path, capsys):
    spec, weights = tmp_path / "net.toml", tmp_path / "net-weights.toml"
    spec.write_text(SPEC.replace("y = 1", "y = 0"))
    weights.write_text(WEIGHTS)
    code = main(["check", str(spec), "--weights", str(weights)])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert "P1 (00/01): f(p_{11}) has argument 0" in out
    assert "  right: all entries exactly 0" in out
    assert out.endswith("Result: PASSED (loss exactly 0)\n")


def test_cli_check_at_a_kink_with_a_residual_exits_1_not_2(tmp_path, capsys):
    spec, weights = tmp_path / "net.toml", tmp_path / "net-weights.toml"
    spec.write_text(SPEC)
    weights.write_text(WEIGHTS)
    code = main(["check", str(spec), "--weights", str(weights)])
    assert (code, capsys.readouterr().err) == (1, "")  # the check fails, input fine


def test_the_one_sided_re_run_accepts_a_network_built_over_the_default_size(
    monkeypatch,
):
    # as if the network were over the default limit and built with --max-terms
    monkeypatch.setattr(sc.Network.__init__, "__kwdefaults__", {"max_terms": 5})
    network = sc.Network(
        sc.Input(height=2, width=2),
        sc.Conv2D(1, 1, activation="relu"),
        sc.Dense(1),
        max_terms=100,
    )
    data = sc.Dataset.from_rows([("00/01", 0)])
    report = sc.full_check(sc.build_trace(network), [1, 0, 0, 0, 0, 0], data)
    assert report.one_sided["right"] == (0,) * 6
