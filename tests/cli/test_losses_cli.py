"""[train] loss in a spec: derive typesets it, train minimizes it, check refuses the
cross entropies with exit 2 and a message, a wrong name is a spec error."""

import json

from symcnn.cli.main import main

SPEC = """
[input]
height = 2
width = 2

[[layers]]
type = "dense"
units = 3

[data]
samples = [
  {{ image = "10/00", y = 0 }},
  {{ image = "01/00", y = 1 }},
  {{ image = "00/11", y = [0, 0, 1] }},
]

[train]
loss = "{loss}"
"""


def write_spec(tmp_path, loss="cross_entropy"):
    path = tmp_path / "classes.toml"
    path.write_text(SPEC.format(loss=loss))
    return str(path)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_derive_writes_the_spec_loss(capsys, tmp_path):
    code, out, _ = run(capsys, "derive", write_spec(tmp_path), "--format", "json")
    assert code == 0
    assert json.loads(out)["loss"] == (
        r"-\log \operatorname{softmax}\left(F_{NN}(P_{1})\right)_{1} "
        r"- \log \operatorname{softmax}\left(F_{NN}(P_{2})\right)_{2} "
        r"- \log \operatorname{softmax}\left(F_{NN}(P_{3})\right)_{3}"
    )


def test_train_minimizes_the_spec_loss(capsys, tmp_path):
    spec = write_spec(tmp_path)
    code, out, _ = run(
        capsys, "train", spec, "--optimizer", "adam", "--lr", "0.1", "--steps", "300",
        "--format", "json",
    )  # fmt: skip
    result = json.loads(out)
    assert code == 0
    assert 0 < result["final_loss"] < 0.05
    assert result["snapped_exact_loss"] is None  # no exact loss for cross entropy


def test_check_refuses_cross_entropy_with_exit_2(capsys, tmp_path):
    weights = tmp_path / "w.toml"
    weights.write_text('missing = "zero"\n[weights]\n')
    code, _, err = run(capsys, "check", write_spec(tmp_path), "--weights", str(weights))
    assert code == 2
    assert "the loss cross_entropy takes logarithms and exponentials" in err


def test_an_unknown_loss_is_a_spec_error_with_a_suggestion(capsys, tmp_path):
    code, _, err = run(capsys, "derive", write_spec(tmp_path, "cross_entropi"))
    assert code == 2
    assert "[train].loss (line 17): 'cross_entropi' is not a loss (did you mean" in err


def test_gradient_of_cross_entropy_is_softmax_minus_the_target(capsys, tmp_path):
    spec = tmp_path / "named.toml"
    spec.write_text(
        SPEC.format(loss="cross_entropy").replace("units = 3", 'units = 3\nname = "z"')
    )
    code, out, _ = run(capsys, "derive", str(spec), "--deltas")
    assert code == 0
    assert "  dL/dz_{2} = -Y_{2} + softmax(z_{1}, z_{2}, z_{3})_{2}" in out.splitlines()
