"""check --exhaustive through the CLI: the exact engine's report (golden text), verdicts
for learned float weights, sampling above 2^30 images, and refused input (exit 2)."""

import json

import numpy as np
import sympy as sp
from conftest import DERIVATIONS

import symcnn as sc
from symcnn.cli.main import main
from symcnn.files.weights import read_weight_file
from symcnn.model.images import every_image
from symcnn.prove.verify import forward_values

COUNT11 = str(DERIVATIONS / "count11.toml")
CONTAINS = DERIVATIONS / "contains11_3x3.toml"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def count11_without_unit_4(tmp_path):
    """Slide L4's weights with w_{4,0} = 0: the "11" at p_{22} p_{23} is not counted."""
    text = (DERIVATIONS / "count11-weights.toml").read_text()
    path = tmp_path / "weights.toml"
    path.write_text(text.replace('"w_{4,0}" = 1', '"w_{4,0}" = 0'))
    return path


def test_the_exhaustive_section_lists_the_wrong_images(tmp_path, capsys):
    weights = count11_without_unit_4(tmp_path)
    code, out, _ = run(capsys, "check", COUNT11, "--weights", weights, "--exhaustive")
    assert code == 1
    section = out[out.index("Exhaustive:") :].splitlines()
    assert section[:6] == [
        "Exhaustive: 48 of 64 binary 2x3 images match the target",
        "  every image checked in exact integer arithmetic: a proof",
        "  wrong on 16:",
        "  000/011: F_NN = 0, target 1",
        "  000/111: F_NN = 1, target 2",
        "  001/011: F_NN = 0, target 1",
    ]
    assert section[18:] == ["  111/111: F_NN = 3, target 4", "", "Result: FAILED"]


def test_a_tolerance_makes_the_same_weights_right(tmp_path, capsys):
    weights = count11_without_unit_4(tmp_path)
    argv = ["check", COUNT11, "--weights", weights, "--exhaustive", "--tol", "1"]
    code, out, _ = run(capsys, *argv)
    assert code == 0
    assert out[out.index("Exhaustive:") :].splitlines() == [
        "Exhaustive: right on 64 of 64 binary 2x3 images (|F - Y| <= 1)",
        "  every image checked in exact integer arithmetic: a proof",
        "",
        "Result: PASSED (right on every image)",
    ]
    code, out, _ = run(capsys, *argv[:-1], "0.99", "--format", "json")
    found = json.loads(out)["exhaustive"]
    assert (found["right"], found["wrong"], found["verdict"]) == (48, 16, "tol")
    assert len(found["mismatches"]) == 16 and code == 1


LEARNED = """
[weights]
"w_{1}" = 0.9731
"w_{2}" = 1.0213
"b" = -0.9911
"w_{11,1}" = -1.103
"w_{12,1}" = -0.987
"w_{13,1}" = -1.052
"w_{21,1}" = -0.011
"w_{22,1}" = -1.009
"w_{23,1}" = -0.998
"b_{1}" = 0.4961
"w_{1,0}" = -2.013
"b_{0}" = 1.0007
"""


def reference_right(path, threshold: str) -> tuple[int, list]:
    """SymPy's evaluation of the trace, image by image, read at the threshold."""
    spec = sc.read_spec(CONTAINS)
    trace = sc.build_trace(spec.network)
    weights = read_weight_file(path).resolve(spec.network, None)
    wrong = []
    (images,) = every_image((1, 3, 3))
    for image in images:
        exact = np.array([sp.Integer(int(v)) for v in image.flat]).reshape(1, 3, 3)
        values = forward_values(trace, weights, exact)
        output = values[trace.outputs[0]]
        if int(bool(output >= sp.Rational(threshold))) != spec.target(exact):
            wrong.append(output)
    return 512 - len(wrong), wrong


def test_learned_float_weights_get_the_right_count(tmp_path, capsys):
    path = tmp_path / "learned.toml"
    path.write_text(LEARNED)
    argv = ["check", CONTAINS, "--weights", path, "--exhaustive"]
    code, out, _ = run(capsys, *argv, "--threshold", "0.5", "--format", "json")
    found = json.loads(out)["exhaustive"]
    right, wrong = reference_right(path, "1/2")
    assert (found["right"], found["wrong"]) == (right, len(wrong))
    assert 0 < len(wrong) < 512 and code == 1  # w_{21,1} near 0 misses a pair
    assert sorted(sp.Rational(m["output"][0]) for m in found["mismatches"]) == sorted(
        wrong
    )
    code, out, _ = run(capsys, *argv, "--threshold", "0.5", "--decimals", "3")
    head = f"Exhaustive: right on {right} of 512 binary 3x3 images (F >= 1/2 read as 1"
    assert head in out
    assert "  000/100/100: F_NN = 0.0913, target 1" in out
    assert not any(len(word) > 20 for word in out.split())  # no long fractions


def test_sampled_above_two_to_the_thirty_is_not_a_proof(tmp_path, capsys):
    spec = tmp_path / "six.toml"
    spec.write_text(
        '[input]\nheight = 6\nwidth = 6\n\n[[layers]]\ntype = "dense"\nunits = 1\n\n'
        '[data]\nsamples = [{ image = "000000/000000/000000/000000/000000/000000", '
        'y = 0 }]\n\n[target]\nkind = "count"\npattern = "11"\n'
    )
    weights = tmp_path / "zero.toml"
    weights.write_text('missing = "zero"\n[weights]\n')
    code, out, _ = run(capsys, "check", spec, "--weights", weights, "--exhaustive")
    assert "  sampled 4,096 of 68,719,476,736 images (seed 0), not a proof" in out
    assert code == 1
    code, out, _ = run(
        capsys, "check", spec, "--weights", weights, "--exhaustive", "--format", "json"
    )
    found = json.loads(out)["exhaustive"]
    assert found["sampled"] == "sampled 4096 of 68719476736, not a proof"
    assert found["proof"] is False and found["checked"] == 4096


def test_an_alphabet_counts_every_image_over_it(tmp_path, capsys):
    text = open(COUNT11).read().replace("[data]", "[data]\nalphabet = [-1, 0, 1]", 1)
    spec = tmp_path / "spec.toml"
    spec.write_text(text)
    weights = DERIVATIONS / "count11-weights.toml"
    code, out, _ = run(capsys, "check", spec, "--weights", weights, "--exhaustive")
    assert "of 729 2x3 images over {-1, 0, 1} match the target" in out


def test_bad_options_exit_2_with_the_reason(tmp_path, capsys):
    weights = DERIVATIONS / "count11-weights.toml"
    base = ["check", COUNT11, "--weights", weights]
    cases = [
        (
            ["--exhaustive", "--max-images", "10"],
            "has 64 images, above --max-images 10; raise --max-images or leave it "
            "out to check all 64 (a proof)",
        ),
        (["--tol", "1"], "--tol judges the images of --exhaustive; add --exhaustive"),
        (["--exhaustive", "--argmax"], "--argmax needs a network with several outputs"),
        (["--exhaustive", "--tol", "-1"], "a tolerance is >= 0"),
        (["--exhaustive", "--threshold", "x"], "--threshold: 'x' is not a number"),
        (
            ["--exhaustive", "--threshold", "0.5"],
            "the target is 2 for the image 000/111: not a binary answer",
        ),
    ]
    for extra, message in cases:
        code, _, err = run(capsys, *base, *extra)
        assert code == 2 and message in err, (extra, err)
        assert "Traceback" not in err


def test_a_scalar_target_on_two_outputs_is_refused(tmp_path, capsys):
    text = open(COUNT11).read().replace("units = 1", "units = 2", 1)
    text = text.replace("y = 1 }", "y = [1, 0] }").replace("y = 2 }", "y = [2, 0] }")
    text = text.replace("y = 0 }", "y = [0, 0] }")
    spec = tmp_path / "two.toml"
    spec.write_text(text)
    weights = tmp_path / "w.toml"
    weights.write_text('missing = "zero"\n[weights]\n')
    code, _, err = run(capsys, "check", spec, "--weights", weights, "--exhaustive")
    assert code == 2
    assert "the target gives one number per image but the network has 2 outputs" in err


def test_weights_from_a_pt_file_are_judged_exactly_and_shown_as_decimals(
    tmp_path, capsys
):
    """float64 weights (0.1 is 3602879701896397/36028797018963968): the report counts
    right and wrong exactly as SymPy does and prints no long fraction."""
    from symcnn.files.torchfiles import write_state_dict

    spec = sc.read_spec(CONTAINS)
    learned = tmp_path / "learned.toml"
    learned.write_text(LEARNED)
    weights = read_weight_file(learned).resolve(spec.network, None)
    path = tmp_path / "learned.pt"
    write_state_dict(spec.network, [float(w) for w in weights], path)
    argv = ["check", CONTAINS, "--weights", path, "--exhaustive", "--threshold", "1/2"]
    code, out, _ = run(capsys, *argv)
    right, wrong = reference_right(learned, "1/2")  # the decimals: same verdicts here
    assert f"Exhaustive: right on {right} of 512 binary 3x3 images" in out
    assert code == 1 and not any(len(word) > 24 for word in out.split())


def test_the_estimate_and_the_bar_go_to_stderr_when_the_work_is_long():
    import io

    from symcnn.cli.exhaustive_run import Progress

    stream = io.StringIO()
    progress = Progress(stream)
    progress.announce(2**25, 42.4)
    progress.update(2**24)
    progress.close()
    text = stream.getvalue()
    assert text.startswith("symcnn check: checking all 33,554,432 images, about 42 s\n")
    assert "16.8M/33.6M" in text  # tqdm's bar, halfway
    quiet = io.StringIO()
    Progress(quiet).announce(64, 0.001)  # a blink: nothing said
    assert quiet.getvalue() == ""


ALL_WRONG_4X4 = """
[input]
height = 4
width = 4
[[layers]]
type = "conv"
filters = 1
kernel = [1, 1]
[[layers]]
type = "dense"
units = 1
[data]
samples = [ { image = "0000/0000/0000/0000", y = 0 } ]
[target]
kind = "count"
pattern = "1"
"""


def test_a_long_list_of_wrong_images_says_how_many_json_holds(tmp_path, capsys):
    # F = 1/2 on every one of the 65,536 images: all wrong, MAX_LISTED listed
    spec, weights = tmp_path / "half.toml", tmp_path / "w.toml"
    spec.write_text(ALL_WRONG_4X4)
    weights.write_text('missing = "zero"\n[weights]\n"b_0" = "1/2"\n')
    base = ["check", spec, "--weights", weights, "--exhaustive"]
    code, out, _ = run(capsys, *base)
    assert code == 1
    assert "  ... and 65,516 more (--format json lists the first 1,000)\n" in out
    code, out, _ = run(capsys, *base, "--format", "json")
    found = json.loads(out)["exhaustive"]
    assert (found["wrong_count"], found["listed"], found["truncated"]) == (
        65536,
        1000,
        True,
    )
    assert len(found["mismatches"]) == 1000
    assert found["mismatches"][1]["image"] == "0000/0000/0000/0001"


TERNARY = """
[input]
height = 1
width = 3
[[layers]]
type = "conv"
filters = 1
kernel = [1, 2]
activation = "relu"
[[layers]]
type = "dense"
units = 1
[data]
samples = [ { image = "100", y = 1 } ]
alphabet = [-1, 0, 1]
[target]
kind = "count"
pattern = "10"
"""


def test_ternary_images_are_written_as_rows_and_json_numbers(tmp_path, capsys):
    spec, weights = tmp_path / "t.toml", tmp_path / "w.toml"
    spec.write_text(TERNARY)
    weights.write_text(
        '[weights]\n"w_1" = 1\n"w_2" = -1\n"w_{11,0}" = 1\n"w_{12,0}" = 1\n'
        '"b_0" = 0\n'
    )
    base = ["check", spec, "--weights", weights, "--exhaustive"]
    code, out, _ = run(capsys, *base)
    assert "  wrong on 12:\n  -1 0 -1: F_NN = 1, target 0\n" in out
    code, out, _ = run(capsys, *base, "--format", "json")
    first = json.loads(out)["exhaustive"]["mismatches"][0]
    assert (first["image"], first["pixels"]) == ("-1 0 -1", [[[-1, 0, -1]]])


def test_a_wrong_image_that_prints_like_its_target_says_it_was_rounded(
    tmp_path, capsys
):
    # w_{1,0} = 1 - 10^-30: F = 1 - 10^-30 on 110/000, 1 when shown with 7 digits
    text = (DERIVATIONS / "count11-weights.toml").read_text()
    weights = tmp_path / "weights.toml"
    almost = f'"{10**30 - 1}/{10**30}"'
    weights.write_text(text.replace('"w_{1,0}" = 1', f'"w_{{1,0}}" = {almost}'))
    code, out, _ = run(capsys, "check", COUNT11, "--weights", weights, "--exhaustive")
    assert code == 1
    assert "  110/000: F_NN = 1, target 1 (rounded; F_NN - target = -1e-30)\n" in out


def test_every_size_with_a_tolerance_is_refused(capsys):
    weights = DERIVATIONS / "count11-weights.toml"
    argv = ("check", COUNT11, "--weights", weights, "--exhaustive", "--every-size")
    code, _, err = run(capsys, *argv, "--tol", "0.5")
    assert code == 2
    assert "--every-size proves exact equality" in err and "not --tol" in err
