"""train on every image (--data all, samples = "all") with its accuracy report, and
check --every-size, on the command line."""

import json

import pytest
from conftest import DERIVATIONS

from symcnn.cli.main import main

SPEC = str(DERIVATIONS / "count11.toml")
WEIGHTS = str(DERIVATIONS / "count11-weights.toml")
NO_TARGET = """
[input]
height = 1
width = 2

[[layers]]
type = "dense"
units = 1

[data]
samples = {samples}
"""


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_training_reports_right_and_wrong_on_the_samples_and_every_image(capsys):
    code, out, _ = run(capsys, "train", SPEC, "--quiet")
    assert code == 0
    assert "Right on 3 of 3 training samples (0 wrong)" in out
    # three samples do not teach the task: the point
    assert "Right on 23 of 64 images of 2x3 over 2 pixel values (41 wrong)" in out
    # every image is numbered as data errors number it, not P17 (the spec's names)
    assert "  wrong: image 17 010/000: F = 1.3, target 0\n" in out
    hint = "  (learned from 3 samples only; `--data all` trains on every image)\n"
    assert hint in out
    assert (
        "(an output is read as an answer: right when every output is within 1/2" in out
    )


def test_training_on_every_image_from_the_command_line(capsys):
    code, out, _ = run(capsys, "train", SPEC, "--data", "all", "--quiet")
    assert code == 0
    right = "Right on 64 of 64 images of 2x3 over 2 pixel values, all of them trained"
    assert right + " on (0" in out
    assert "training samples" not in out


def test_every_image_accuracy_in_json(capsys):
    code, out, _ = run(
        capsys, "train", SPEC, "--steps", "0", "--restarts", "1", "--format", "json"
    )
    found = json.loads(out)
    assert found["training_samples"]["total"] == 3
    every = found["every_image"]
    assert every["total"] == 64 and every["right"] + every["wrong_count"] == 64
    assert len(every["wrong"]) == every["wrong_count"] > 0
    first = every["wrong"][0]
    assert set(first) == {"name", "image", "pixels", "output", "target"}
    assert found["every_image_skipped"] is None


def test_every_image_without_a_target_is_exit_2(capsys, tmp_path):
    spec = tmp_path / "s.toml"
    spec.write_text(NO_TARGET.format(samples='"all"'))
    code, out, err = run(capsys, "train", str(spec))
    assert code == 2 and out == ""
    assert 'samples = "all" takes each image\'s target from [target]' in err
    assert "Traceback" not in err
    spec.write_text(NO_TARGET.format(samples='[{ image = "10", y = 1 }]'))
    code, out, err = run(capsys, "train", str(spec), "--data", "all")
    assert code == 2 and "add a [target] table" in err


def test_without_a_target_only_the_samples_are_counted(capsys, tmp_path):
    spec = tmp_path / "s.toml"
    spec.write_text(NO_TARGET.format(samples='[{ image = "10", y = 1 }]'))
    code, out, _ = run(capsys, "train", str(spec), "--quiet")
    assert code == 0
    assert "Right on 1 of 1 training samples (0 wrong)" in out
    assert "Every image: not counted (the spec has no [target])" in out


def test_check_every_size_proves_the_lecture_weights(capsys):
    code, out, _ = run(capsys, "check", SPEC, "--weights", WEIGHTS, "--every-size")
    assert code == 0
    assert (
        "Every image size (one exact check per 1x2 patch class): proven\n"
        "  h = t on 4 of 4 patch classes; b = 0\n"
    ) in out


def test_check_every_size_refutes_with_a_counterexample(capsys, tmp_path):
    weights = tmp_path / "w.toml"
    text = (DERIVATIONS / "count11-weights.toml").read_text()
    weights.write_text(text.replace('"w_{2}" = 1', '"w_{2}" = 2'))
    code, out, _ = run(capsys, "check", SPEC, "--weights", str(weights), "--every-size")
    assert code == 1
    assert (
        "): refuted\n  h = t on 2 of 4 patch classes; b = 0\n    01: h = 1, t = 0"
        in out
    )
    assert "counterexample (the spec's size): 010/000: F_NN = 1, target 0" in out
    code, out, _ = run(
        capsys, "check", SPEC, "--weights", str(weights), "--every-size",
        "--format", "json",
    )  # fmt: skip
    proof = json.loads(out)["every_size"]
    assert (proof["applies"], proof["proven"], proof["wrong_count"]) == (True, False, 2)
    assert proof["counterexample"] == {
        "image": "010/000", "pixels": [[[0, 1, 0], [0, 0, 0]]], "output": "1",
        "expected": "0", "own_size": True,
    }  # fmt: skip


def test_check_every_size_says_when_only_enumeration_proves(capsys, tmp_path):
    weights = tmp_path / "w.toml"
    text = (DERIVATIONS / "count11-weights.toml").read_text()
    weights.write_text(text.replace('"w_{4,0}" = 1', '"w_{4,0}" = 2'))
    code, out, _ = run(capsys, "check", SPEC, "--weights", str(weights), "--every-size")
    assert (
        "Every image size:\n  enumeration is the only proof here: position (2,2)" in out
    )


def test_check_every_size_without_a_target_is_exit_2(capsys, tmp_path):
    spec = tmp_path / "s.toml"
    spec.write_text(NO_TARGET.format(samples='[{ image = "10", y = 1 }]'))
    code, _, err = run(capsys, "check", str(spec), "--weights", WEIGHTS, "--every-size")
    assert code == 2


def test_the_contains_11_detector_by_hand_is_proven_on_all_512_images(capsys):
    spec = str(DERIVATIONS / "contains11_3x3.toml")
    weights = str(DERIVATIONS / "contains11_3x3-weights.toml")
    code, out, _ = run(capsys, "check", spec, "--weights", weights, "--exhaustive")
    assert code == 0
    assert "Exhaustive: 512 of 512 binary 3x3 images match the target" in out
    code, out, _ = run(
        capsys, "check", spec, "--weights", weights, "--every-size", "--format", "json"
    )
    reason = json.loads(out)["every_size"]["reason"]
    assert reason.startswith("enumeration is the only proof here: the target contains")


def test_the_contains_11_task_trained_on_every_image_is_right_on_all(capsys):
    spec = str(DERIVATIONS / "contains11_3x3_trained.toml")
    code, out, _ = run(capsys, "train", spec, "--quiet")
    assert code == 0
    right = "Right on 512 of 512 images of 3x3 over 2 pixel values, all of them"
    assert right + " trained on" in out


def test_run_proves_a_count_for_every_size(capsys):
    code, out, _ = run(capsys, "run", SPEC)
    assert code == 0
    proof = out[out.index("== Proof ==") : out.index("== Training ==")]
    assert (
        "every binary image matches the target)\n\n"
        "Every image size (one exact check per 1x2 patch class): proven\n"
    ) in proof
    assert "Right on 3 of 3 training samples (0 wrong)" in out


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "adam"])
def test_default_learning_rates_do_not_diverge_on_512_images(capsys, optimizer):
    spec = str(DERIVATIONS / "contains11_3x3_trained.toml")
    code, out, _ = run(
        capsys, "train", spec, "--optimizer", optimizer, "--steps", "300",
        "--restarts", "1", "--format", "json",
    )  # fmt: skip
    assert code == 0 and json.loads(out)["stopped"] == "steps"


def test_the_sum_over_512_images_diverges_at_the_default_rate(capsys, tmp_path):
    # why every image trains on the mean: the sum's gradient is 512 times larger
    spec = tmp_path / "sum.toml"
    text = (DERIVATIONS / "contains11_3x3_trained.toml").read_text()
    spec.write_text(text + '\n[train]\nloss = "squared_error"\n')
    code, _, err = run(capsys, "train", str(spec), "--steps", "300", "--restarts", "1")
    assert code == 1 and "training diverged at step" in err


def test_a_counterexample_of_another_size_says_its_size(capsys, tmp_path):
    # F = 1 + sum (relu(p + q - 1) - 1): right on every 1x2 image, not on 1x3
    spec = tmp_path / "s.toml"
    spec.write_text(
        "[input]\nheight = 1\nwidth = 2\n\n"
        '[[layers]]\ntype = "conv"\nfilters = 2\nkernel = [1, 2]\nbias = true\n'
        'activation = "relu"\n\n[[layers]]\ntype = "dense"\nunits = 1\n\n'
        '[data]\nsamples = [{ image = "11", y = 1 }]\n\n'
        '[target]\nkind = "count"\npattern = "11"\n'
    )
    weights = tmp_path / "w.toml"
    weights.write_text(
        'missing = "zero"\n[weights]\n"w_{1,1}" = 1\n"w_{1,2}" = 1\n"b_{1}" = -1\n'
        '"b_{2}" = 1\n"w_{1,11,0}" = 1\n"w_{2,11,0}" = -1\n"b_{0}" = 1\n'
    )
    code, out, _ = run(
        capsys, "check", str(spec), "--weights", str(weights), "--every-size"
    )
    assert code == 1
    assert "counterexample (1x3, another size): 000: F_NN = -1, target 0" in out


TERNARY_ALL = """
[input]
height = 1
width = 2
[[layers]]
type = "dense"
units = 1
[data]
samples = "all"
alphabet = [-1, 0, 1]
[target]
kind = "count"
pattern = "1"
"""


def test_every_image_over_three_values_says_so():
    import numpy as np

    import symcnn as sc
    from symcnn.cli.accuracy_report import accuracy_text, training_accuracy

    spec = sc.parse_spec(TERNARY_ALL)
    trace = sc.build_trace(spec.network)
    found = training_accuracy(spec, trace, np.array([0.0, 0.0, 0.0]))
    assert accuracy_text(found).splitlines()[0] == (
        "Right on 4 of 9 images of 1x2 over 3 pixel values, all of them trained "
        "on (5 wrong)"
    )


def test_more_wrong_images_than_json_keeps_say_how_many_it_lists():
    import numpy as np

    from symcnn.cli.accuracy_report import TrainingAccuracy, accuracy_json
    from symcnn.cli.accuracy_report import accuracy_lines
    from symcnn.numeric.accuracy import Accuracy, Wrong

    wrong = Wrong("P1", np.zeros((1, 1, 2), dtype=int), (0.5,), (1,))
    found = Accuracy("images", 5000, 3500, (wrong,) * 1000, "rule")
    assert accuracy_lines(found)[-1] == (
        "  ... and 1,480 more (--format json lists the first 1,000)"
    )
    every = accuracy_json(TrainingAccuracy(None, found))["every_image"]
    assert (every["wrong_count"], every["listed"], every["truncated"]) == (
        1500,
        1000,
        True,
    )


def test_a_wrong_output_that_4_digits_would_show_as_right_gets_every_digit():
    """F = 0.50000000816 beside target 0 is wrong (|F - Y| > 1/2) but printed as 0.5 it
    read as right; a clear miss keeps 4 digits."""
    from symcnn.cli.accuracy_report import output_text

    assert output_text([0.50000000816], [0]) == "0.50000000816"
    assert output_text([1.2999999], [0]) == "1.3"
    assert output_text([0.5000001, 3.0], [0, 1]) == "0.5, 3"
