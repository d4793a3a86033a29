"""The symcnn command on spec files: outputs, JSON keys, exit codes, bad input."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DERIVATIONS

from symcnn.cli.main import main

SPEC = str(DERIVATIONS / "count11.toml")
WEIGHTS = str(DERIVATIONS / "count11-weights.toml")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_derive_json_has_stable_keys_and_latex(capsys):
    code, out, _ = run(capsys, "derive", SPEC, "--format", "json")
    result = json.loads(out)
    assert code == 0
    assert set(result) == {
        "equations",
        "output",
        "output_expanded",
        "loss",
        "loss_with_images",
    }
    assert result["equations"][0] == ["a_{11}", "p_{11} w_{1} + p_{12} w_{2}"]
    assert result["loss"] == (
        "(F_{NN}(P_{1}) - 1)^{2} + (F_{NN}(P_{2}) - 2)^{2} + (F_{NN}(P_{3}) - 0)^{2}"
    )
    # expanded to pixels only when asked (a named big net's is huge)
    assert result["output_expanded"] is None
    code, out, _ = run(capsys, "derive", SPEC, "--format", "json", "--expanded")
    assert json.loads(out)["output_expanded"][0].startswith("b_{0} + w_{1,0} f(")


def test_derive_latex_and_expanded_text(capsys):
    code, out, _ = run(capsys, "derive", SPEC, "--format", "latex")
    assert code == 0 and out.startswith(
        "\\begin{aligned}\na_{11} &= p_{11} w_{1} + p_{12} w_{2}"
    )
    code, out, _ = run(capsys, "derive", SPEC, "--expanded")
    assert (
        "Output expanded:\n  F_{NN}(P) = b_{0} + w_{1,0} "
        "f((p_{11} w_{1} + p_{12} w_{2}) w_{11,1}"
        in out
    )
    assert "Loss with images:\n  L(w) = (b_{0} + w_{1,0} f(w_{2} w_{11,1}" in out


def test_derive_with_weights_gives_the_l4_form(capsys):
    code, out, _ = run(capsys, "derive", SPEC, "--weights", WEIGHTS, "--width", "200")
    assert code == 0
    assert (
        "  F_{NN}(P) = f(p_{11} + p_{12} - 1) + f(p_{12} + p_{13} - 1) + "
        "f(p_{21} + p_{22} - 1) + f(p_{22} + p_{23} - 1)" in out
    )


def test_summary_json_counts(capsys):
    code, out, _ = run(capsys, "summary", SPEC, "--format", "json")
    result = json.loads(out)
    assert code == 0
    assert [layer["output_shape"] for layer in result["layers"]] == [
        [1, 2, 3],
        [1, 2, 2],
        [4, 1, 1],
        [1, 1, 1],
    ]
    assert [layer["weights"] for layer in result["layers"]] == [0, 2, 16, 4]
    assert [layer["biases"] for layer in result["layers"]] == [0, 0, 4, 1]
    assert (result["total_weights"], result["total_biases"]) == (22, 5)


@pytest.mark.parametrize("fmt", ["text", "markdown", "latex"])
def test_summary_formats_show_the_total(capsys, fmt):
    code, out, _ = run(capsys, "summary", SPEC, "--format", fmt)
    assert code == 0 and "22" in out and "4·4 = 16" in out.replace(r"4\cdot 4", "4·4")


def test_check_json_proves_l4(capsys):
    code, out, _ = run(
        capsys, "check", SPEC, "--weights", WEIGHTS, "--exhaustive", "--format", "json"
    )
    result = json.loads(out)
    assert code == 0
    assert result["outputs"] == [["1"], ["2"], ["0"]]
    assert result["residuals"] == [["0"], ["0"], ["0"]]
    assert result["loss"] == "0"
    assert set(result["gradient"].values()) == {"0"} and len(result["gradient"]) == 27
    assert result["gradient_is_zero"] is True
    assert result["kinks"][0] == {
        "sample": "P1",
        "image": "011/001",
        "activation": "f(a_{11} - 1)",
        "convention": "ReLU'(0) = 0 (one-sided: left 0, right 1)",
    }
    assert result["exhaustive"] == {
        "checked": 64,
        "total": 64,
        "complete": True,
        "proof": True,
        "sampled": None,
        "seed": None,
        "alphabet": ["0", "1"],
        "verdict": "exact",
        "verdict_rule": "F = Y exactly",
        "right": 64,
        "wrong": 0,
        "wrong_count": 0,
        "listed": 0,
        "truncated": False,
        "mismatches": [],
    }
    assert result["hessian"] == {
        "verdict": "not computed: L is not twice differentiable at the 8 kink(s) and "
        "tie(s) met"
    }
    assert set(result["one_sided_gradients"]["right"].values()) == {"0"}


def test_check_text_reports_kinks_and_verdict(capsys):
    code, out, _ = run(capsys, "check", SPEC, "--weights", WEIGHTS, "--exhaustive")
    assert code == 0
    assert "Loss L(w) = 0" in out
    assert "Gradient: all 27 entries are exactly 0" in out
    assert "P3 (101/010): f(a_{22} - 1) has argument 0" in out
    assert "Exhaustive: 64 of 64 binary 2x3 images match the target" in out
    assert out.rstrip().endswith(
        "Result: PASSED (loss exactly 0, every binary image matches the target)"
    )


def test_check_of_wrong_weights_exits_1(capsys, tmp_path):
    wrong = tmp_path / "wrong.toml"
    wrong.write_text(
        Path(WEIGHTS).read_text().replace('"b_{1}" = -1', '"b_{1}" = "-1/2"')
    )
    code, out, _ = run(
        capsys, "check", SPEC, "--weights", str(wrong), "--format", "json"
    )
    assert code == 1
    assert json.loads(out)["loss"] == "3/4"


def test_train_json_reaches_zero_loss_and_saves_a_checkable_file(capsys, tmp_path):
    saved = tmp_path / "learned.toml"
    code, out, _ = run(capsys, "train", SPEC, "--format", "json", "--save", str(saved))
    result = json.loads(out)
    assert code == 0
    assert set(result) == {
        "final_loss",
        "steps",
        "stopped",
        "message",
        "attempt",
        "history",
        "weights",
        "snapped",
        "snapped_exact_loss",
        "learned_output",
        "compared",
        "training_samples",
        "every_image",
        "every_image_skipped",
    }
    assert result["final_loss"] < 1e-8
    assert len(result["history"]) == result["steps"] + 1
    assert list(result["weights"])[:2] == ["w_{1}", "w_{2}"]
    code, out, _ = run(
        capsys, "check", SPEC, "--weights", str(saved), "--format", "json"
    )
    assert (
        code == 1
    )  # floats are not an exact zero-loss solution, but the file reads back
    assert json.loads(out)["loss"] != "0"


def test_train_does_not_overwrite_without_force(capsys, tmp_path):
    saved = tmp_path / "learned.toml"
    saved.write_text("keep me")
    code, _, err = run(capsys, "train", SPEC, "--save", str(saved))
    assert code == 2 and "exists; pass --force" in err
    assert saved.read_text() == "keep me"
    code, _, _ = run(
        capsys, "train", SPEC, "--save", str(saved), "--force", "--steps", "3"
    )
    assert code == 0 and saved.read_text().startswith("# learned by symcnn train")


def test_run_tells_the_whole_story(capsys):
    code, out, _ = run(capsys, "run", SPEC)
    assert code == 0
    for heading in (
        "== Network ==",
        "== Derivation ==",
        "== Given weights",
        "== Proof ==",
        "== Training ==",
    ):
        assert heading in out
    assert "Result: PASSED" in out


def write(tmp_path, text, name="spec.toml"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


BASE = """
[input]
height = 2
width = 3
[[layers]]
type = "conv"
filters = 1
kernel = [1, 2]
name = "a"
[[layers]]
type = "dense"
units = 1
[data]
samples = [{ image = "011/001", y = 1 }]
"""


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "kernel = [1, 2]",
            "kernel = [3, 3]",
            r"layer 1 \(line 5\): Conv2D: `kernel` 3x3 is larger than its input 2x3 "
            r".*use a kernel of at most 2x3",
        ),
        (
            '"011/001"',
            '"011/00"',
            r"sample P1: image is 1x2x3 .* but the network's input is 1x2x3"
            r"|rows of lengths 3, 2",
        ),
        (
            '"011/001"',
            '"011/0x1"',
            r"row 2 has the character 'x'; binary images use only 0 and 1",
        ),
        (
            "units = 1",
            'units = 1\nactivation = "rellu"',
            r"layer 2 \(line 10\): unknown activation 'rellu' "
            r"\(did you mean 'relu'\?\)",
        ),
        (
            "height = 2",
            "hieght = 2",
            r"\[input\] \(line 2\): unknown key 'hieght' \(did you mean 'height'\?\)",
        ),
        (
            'type = "dense"',
            'type = "dens"',
            r"layer 2 \(line 10\): `type` 'dens' is not a layer type",
        ),
        ("width = 3", "width = 3\n[oops", "is not valid TOML"),
        (
            '"011/001"',
            '"011"',
            r"image is 1x1x3 \(channels x height x width\) "
            r"but the network's input is 1x2x3",
        ),
    ],
)
def test_bad_specs_get_one_clear_line_and_exit_2(capsys, tmp_path, old, new, message):
    spec = write(tmp_path, BASE.replace(old, new, 1))
    code, out, err = run(capsys, "derive", spec)
    assert code == 2 and out == ""
    assert "Traceback" not in err
    assert err.startswith("symcnn derive: error: ")
    assert re.search(message, err), err


def test_unknown_weight_names_are_listed_with_a_near_miss(capsys, tmp_path):
    weights = write(tmp_path, '[weights]\n"w_{3}" = 1\n"w_{11,1}" = 2\n', "w.toml")
    code, _, err = run(capsys, "check", SPEC, "--weights", weights, "--missing", "zero")
    assert code == 2
    assert "'w_{3}' is not a parameter of this network (did you mean 'w_{3,0}'?)" in err
    assert "the parameters are: w_{1}, w_{2}, w_{11,1}" in err


def test_missing_weights_are_listed_without_missing_zero(capsys, tmp_path):
    weights = write(tmp_path, '[weights]\n"w_{1}" = 1\n', "w.toml")
    code, _, err = run(capsys, "check", SPEC, "--weights", weights)
    assert code == 2
    assert "no value for 26 parameter(s): w_{2}, w_{11,1}," in err
    assert "--missing zero" in err


def test_exhaustive_without_a_target_says_how_to_add_one(capsys, tmp_path):
    spec = write(tmp_path, BASE)
    weights = write(tmp_path, 'missing = "zero"\n[weights]\n', "w.toml")
    code, _, err = run(capsys, "check", spec, "--weights", weights, "--exhaustive")
    assert code == 2 and '[target]\nkind = "count"' in err


def test_missing_spec_file(capsys):
    code, _, err = run(capsys, "summary", "no/such/spec.toml")
    assert code == 2 and "spec file 'no/such/spec.toml' does not exist" in err


def test_console_script_help_shows_an_example():
    result = subprocess.run(
        [sys.executable, "-m", "symcnn", "check", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "example: symcnn check derivations/count11.toml" in result.stdout


def test_forward_json_gives_every_layer_and_channel(capsys):
    spec = str(DERIVATIONS / "l6_multichannel.toml")
    code, out, _ = run(capsys, "forward", spec, "--per-channel", "--format", "json")
    (sample,) = json.loads(out)["samples"]
    (layer,) = sample["layers"]
    assert code == 0
    assert layer["layer"] == "1: Conv2D 1 filter 3x3"
    assert layer["output_shape"] == [1, 3, 3]
    assert layer["values"] == [
        [["19", "13", "15"], ["28", "16", "20"], ["23", "18", "25"]]
    ]
    assert layer["from_input_channels"][0] == [
        [["7", "5", "3"], ["4", "7", "5"], ["7", "2", "8"]]
    ]


def test_forward_text_of_avg_pooling_is_exact(capsys):
    code, out, _ = run(capsys, "forward", str(DERIVATIONS / "l5_pooling_avg.toml"))
    assert code == 0
    assert out.rstrip().endswith(
        "layer 1 (AvgPool2D 2x2) -> 1x2x2:\n    11/4  9/2\n       5    5"
    )


def test_forward_needs_weights_for_a_network_with_parameters(capsys, tmp_path):
    spec = write(tmp_path, BASE.replace(", y = 1 }", " }"))
    code, _, err = run(capsys, "forward", spec)
    assert code == 2
    assert (
        "the network has 7 parameters and no weights were given; pass --weights" in err
    )


def test_pool_and_flatten_layers_in_a_spec(capsys, tmp_path):
    spec = write(
        tmp_path,
        """
[input]
height = 4
width = 4
[[layers]]
type = "minpool"
size = 2
[[layers]]
type = "flatten"
[[layers]]
type = "dense"
units = 1
activation = "leaky_relu"
slope = 0.25
""",
    )
    code, out, _ = run(capsys, "derive", spec, "--format", "json")
    assert code == 0
    assert json.loads(out)["output"] == [
        r"\operatorname{LReLU}(\min(p_{11}, p_{12}, p_{21}, p_{22}) w_{11,0} + "
        r"\min(p_{13}, p_{14}, p_{23}, p_{24}) w_{12,0} + "
        r"\min(p_{31}, p_{32}, p_{41}, p_{42}) w_{21,0} + "
        r"\min(p_{33}, p_{34}, p_{43}, p_{44}) w_{22,0} + b_{0})"
    ]


def test_a_pool_that_does_not_divide_is_a_spec_error(capsys, tmp_path):
    pool = 'type = "maxpool"\nsize = 2\n[[layers]]\ntype = "conv"'
    spec = write(tmp_path, BASE.replace('type = "conv"', pool, 1))
    code, _, err = run(capsys, "summary", spec)
    assert code == 2
    assert (
        "layer 1 (line 5): MaxPool2D: input 2x3 is not divisible by pool size 2x2"
        in err
    )


def test_plot_writes_filters_and_feature_maps(capsys, tmp_path):
    spec = str(DERIVATIONS / "l7_filters.toml")
    for what, grids in (("filters", 6), ("maps", 5)):
        out = tmp_path / f"{what}.png"
        code, text, _ = run(capsys, "plot", spec, "--what", what, "-o", str(out))
        assert code == 0 and text.strip() == f"Saved {grids} grids to {out}"
        assert out.read_bytes()[:4] == b"\x89PNG"


def test_train_plot_and_no_progress_bar_into_a_pipe(tmp_path):
    loss = tmp_path / "loss.png"
    result = subprocess.run(
        [sys.executable, "-m", "symcnn", "train", SPEC, "--plot", str(loss)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stderr == ""  # stderr is not a terminal: no bar
    assert loss.read_bytes()[:4] == b"\x89PNG"
    assert f"Saved the loss curve to {loss}" in result.stdout


def test_diverging_training_exits_1_and_still_saves_the_best_weights(capsys, tmp_path):
    saved = tmp_path / "best.toml"
    code, out, err = run(capsys, "train", SPEC, "--lr", "1e6", "--save", str(saved))
    assert code == 1
    assert "training diverged at step" in err and "smaller learning rate" in err
    assert "stopped: diverged" in out
    assert saved.read_text().startswith("# learned by symcnn train")


def test_check_lists_the_failing_samples(capsys, tmp_path):
    wrong = tmp_path / "wrong.toml"
    wrong.write_text(
        Path(WEIGHTS).read_text().replace('"b_{1}" = -1', '"b_{1}" = "-1/2"')
    )
    code, out, _ = run(capsys, "check", SPEC, "--weights", str(wrong))
    assert code == 1
    assert "Samples with a nonzero residual: P1, P2, P3" in out
    assert out.rstrip().endswith("Result: FAILED")


def test_forward_explains_a_value_step_by_step(capsys):
    code, out, _ = run(capsys, "forward", SPEC, "--explain", "a_11")
    assert code == 0
    assert out.splitlines()[1] == (
        r"P2: a_{11} = p_{11} w_{1} + p_{12} w_{2} = 1 \cdot 1 + 1 \cdot 1 = 2"
    )


def test_derive_text_fits_an_80_column_terminal(capsys):
    code, out, _ = run(capsys, "derive", SPEC, "--expanded")
    assert code == 0 and max(map(len, out.splitlines())) <= 80


def test_init_writes_a_spec_that_runs(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "init", "mynet")
    assert code == 0 and out.startswith("Wrote mynet.toml")
    assert run(capsys, "summary", "mynet.toml")[0] == 0
    code, _, err = run(capsys, "init", "mynet")
    assert code == 2 and "exists; pass --force" in err


def test_examples_list_and_copy(capsys, tmp_path):
    code, out, _ = run(capsys, "examples")
    assert code == 0
    names = [line.split()[0] for line in out.splitlines()]
    assert "count11" in names and "l8_weight_count" in names
    assert max(map(len, out.splitlines())) <= 80
    code, out, _ = run(capsys, "examples", "l6_multichannel", "--to", str(tmp_path))
    assert code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "l6_multichannel-weights.toml",
        "l6_multichannel.toml",
    ]
    code, _, err = run(capsys, "examples", "l6", "--to", str(tmp_path))
    assert code == 2 and "there is no example 'l6'" in err


def test_run_text_fits_80_columns(capsys):
    code, out, _ = run(capsys, "run", SPEC)
    assert code == 0
    too_long = [line for line in out.splitlines() if len(line) > 80]
    assert too_long == []


# Lines 1-180 of ../shared/lecture/cnn-lecture.ru.txt (slides L1-L4), as printed.
LECTURE = Path(__file__).resolve().parents[1] / "data" / "cnn-lecture-l1-l4.txt"


def test_verify_finds_the_printed_lectures_slip_and_marks_it(capsys, tmp_path):
    marked = tmp_path / "checked.tex"
    code, out, _ = run(
        capsys,
        "verify",
        str(DERIVATIONS / "l1_explicit.toml"),
        "--tex",
        str(LECTURE),
        "--lines",
        "1-70",
        "--same-letter-case",
        "--annotate",
        str(marked),
    )
    assert code == 1
    assert "line 59: F_{NN}(P): wrong: f(...) > term 2 > f(...) > term 3: p_{23}" in out
    assert out.rstrip().endswith("5 correct, 1 wrong, 1 not understood")
    text = marked.read_text()
    assert r"+ \underline{p_{23}w_{21}} + p_{23}w_{22})v_{12}" in text
    assert "% symcnn: F_{NN}(P) is wrong:" in text


def test_verify_accepts_the_count11_slides(capsys):
    code, out, _ = run(
        capsys,
        "verify",
        SPEC,
        "--tex",
        str(LECTURE),
        "--lines",
        "120-180",
        "--weights",
        WEIGHTS,
        "--same-letter-case",
    )
    assert code == 0
    assert "line 166: F_{NN}(P): correct: on the image 000/000" in out
    assert out.rstrip().endswith("19 correct, 0 wrong, 0 not understood")


def test_verify_one_formula_as_json(capsys):
    code, out, _ = run(
        capsys,
        "verify",
        SPEC,
        "--formula",
        "a_{12} = p_{12} w_1 + p_{13} w_2",
        "--formula",
        "a_{21} = p_{21} w_1 + p_{23} w_2",
        "--format",
        "json",
    )
    verdicts = json.loads(out)["verdicts"]
    assert code == 1
    assert [v["status"] for v in verdicts] == ["correct", "wrong"]
    assert verdicts[1]["differences"] == ["term 2: p_{23} w_{2} should be p_{22} w_{2}"]
