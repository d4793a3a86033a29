"""`run` on a network with tanh or sigmoid (irrational at rational points) and a
weight file beside it: the exact check is left out with a one-line note, and the
values and the training still come (cli/compute.py not_exact)."""

import pytest
from conftest import DERIVATIONS

from symcnn.cli.main import main

COUNT11 = (DERIVATIONS / "count11.toml").read_text()
WEIGHTS = (DERIVATIONS / "count11-weights.toml").read_text()


def spec_with(tmp_path, activation: str, *, targets: bool = True):
    text = COUNT11.replace(
        "bias_first = true\n", f'bias_first = true\nactivation = "{activation}"\n', 1
    )
    if not targets:
        text = text.replace(", y = 1 }", " }").replace(", y = 2 }", " }")
        text = text.replace(", y = 0 }", " }").split("[target]")[0]
    path = tmp_path / "c11t.toml"
    path.write_text(text + "\n[train]\nsteps = 20\n")
    (tmp_path / "c11t-weights.toml").write_text(WEIGHTS)
    return path


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_run_leaves_the_exact_check_out_and_trains(tmp_path, capsys, activation):
    assert main(["run", str(spec_with(tmp_path, activation))]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert (
        "== Proof ==\n(no exact check: layer 3 (Dense) uses "
        f"{activation}, irrational at rational points; exact values need relu, "
        "leaky_relu or identity; training follows)\n"
    ) in out
    assert "== Training ==" in out and "F_{NN}(P) = " in out


def test_run_without_targets_notes_the_values_left_out(tmp_path, capsys):
    assert main(["run", str(spec_with(tmp_path, "tanh", targets=False))]) == 0
    out = capsys.readouterr().out
    assert "== Values ==\n(left out: layer 3 (Dense) uses tanh" in out
    assert "== Training ==" not in out
