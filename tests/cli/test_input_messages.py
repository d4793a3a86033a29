"""Clear messages for the inputs of report attack_two D13/D14: a UTF-8 BOM, a weight
beyond float64, an underscore in a name, far-off "did you mean" suggestions,
unbalanced braces in a name option, and `examples --to` a new folder."""

import pytest
from conftest import DERIVATIONS

from symcnn.cli.main import main
from symcnn.errors import did_you_mean

COUNT11 = DERIVATIONS / "count11.toml"


def run(capsys, *argv):
    code = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_byte_order_mark_is_not_part_of_the_spec(capsys, tmp_path):
    spec = tmp_path / "bom.toml"
    spec.write_bytes(b"\xef\xbb\xbf" + COUNT11.read_bytes())
    code, out, _ = run(capsys, "summary", spec)
    assert code == 0
    assert out == run(capsys, "summary", COUNT11)[1]


@pytest.mark.parametrize("value", ["1e1000", "-1e999", "inf"])
def test_a_weight_beyond_float64_says_so(capsys, tmp_path, value):
    weights = tmp_path / "w.toml"
    weights.write_text(f'missing = "zero"\n[weights]\n"w_{{1}}" = {value}\n')
    code, _, err = run(capsys, "check", COUNT11, "--weights", weights)
    assert code == 2
    assert ": w_{1}: " in err and "the number is too large, beyond float64" in err
    assert "is not a number" not in err


@pytest.mark.parametrize(
    "name, says",
    [
        ("hidden_layer", "the underscore is the problem (LaTeX reads it as a "
         "subscript); write 'hiddenlayer'"),
        ("a2", "digits are not letters"),
    ],
)  # fmt: skip
def test_a_name_says_what_is_not_a_letter(capsys, tmp_path, name, says):
    spec = tmp_path / "n.toml"
    spec.write_text(COUNT11.read_text().replace('name = "a"', f'name = "{name}"'))
    code, _, err = run(capsys, "summary", spec)
    assert code == 2
    assert f"letter {name!r} is not a name made of ASCII letters: {says}" in err


@pytest.mark.parametrize(
    "word, choices, hint",
    [
        ("w_1", ["w_2,21", "w_1,2,21"], ""),
        ("w_1", ["w_11,2"], ""),
        ("w_3", ["w_3,0", "w_2,0"], " (did you mean 'w_3,0'?)"),
        ("w_11,5", ["w_11,1", "w_12,1"], " (did you mean 'w_11,1'?)"),
        ("v_1", ["w_1"], ""),
        ("rellu", ["relu", "tanh"], " (did you mean 'relu'?)"),
    ],
)
def test_did_you_mean_suggests_only_near_names(word, choices, hint):
    assert did_you_mean(word, choices) == hint


def test_an_unknown_weight_gets_no_far_off_suggestion(capsys, tmp_path):
    weights = tmp_path / "w.toml"
    weights.write_text('missing = "zero"\n[weights]\n"w_{5,21}" = 1\n')
    code, _, err = run(capsys, "check", COUNT11, "--weights", weights)
    assert code == 2  # difflib alone offered w_{22,2}
    assert "  'w_{5,21}' is not a parameter of this network\n" in err


@pytest.mark.parametrize(
    "argv, shown",
    [
        (["derive", COUNT11, "--gradient", "w_{1"], "--gradient 'w_{1': its braces"),
        (["forward", COUNT11, "--explain", "a_{11}}"], "--explain 'a_{11}}': its"),
        (["forward", COUNT11, "--explain", "}a_{11}{"], "--explain '}a_{11}{': its"),
    ],
)
def test_unbalanced_braces_in_a_name_are_refused(capsys, argv, shown):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert shown in err and "braces do not balance" in err


def test_examples_to_a_new_folder_creates_it(capsys, tmp_path):
    folder = tmp_path / "mine"
    code, out, _ = run(capsys, "examples", "--to", folder)
    assert code == 0 and (folder / "count11.toml").read_text() == COUNT11.read_text()
    assert f"Wrote {folder / 'count11.toml'}" in out


def test_examples_to_a_folder_under_a_missing_one_is_refused(capsys, tmp_path):
    code, _, err = run(capsys, "examples", "--to", tmp_path / "typo" / "mine")
    assert code == 2 and not (tmp_path / "typo").exists()
    assert f"its parent '{tmp_path / 'typo'}' does not exist" in err


def test_examples_to_a_file_is_refused(capsys, tmp_path):
    (tmp_path / "f").write_text("x")
    code, _, err = run(capsys, "examples", "--to", tmp_path / "f")
    assert code == 2 and "is a file, not a folder" in err
