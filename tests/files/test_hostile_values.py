"""Hostile values in spec and weight files: deep nesting, huge numbers, odd digits,
[train] values of the wrong type. Each is one SpecError naming the file, the place
and the value, raised before any work; never a RecursionError, ValueError or hang."""

import time

import pytest

from symcnn.cli.main import main
from symcnn.errors import SpecError, SymcnnError
from symcnn.files.spec import TRAIN_OPTIMIZERS, read_spec
from symcnn.files.tomlfile import nesting_line, parse
from symcnn.files.weights import read_weight_file
from symcnn.limits import MAX_NESTING
from symcnn.numeric.optimizers import OPTIMIZERS

SPEC = """\
[input]
height = 2
width = 3

[[layers]]
type = "conv"
filters = 1
kernel = [1, 2]

[[layers]]
type = "dense"
units = 2
activation = "relu"

[[layers]]
type = "dense"
units = 1

[data]
samples = [{ image = "011/001", y = 1 }]
"""
ZERO = 'missing = "zero"\n'


def write(tmp_path, text, name="spec.toml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def spec_with(tmp_path, old, new):
    assert old in SPEC, old
    return write(tmp_path, SPEC.replace(old, new, 1))


def nested(depth: int) -> str:
    return "[" * depth + "1" + "]" * depth


def test_a_1kb_weight_file_nested_500_deep_names_its_line(tmp_path):
    # tomllib itself recurses once per level: a RecursionError before this check,
    # unless an earlier import raised the recursion limit; then the key is named too.
    text = ZERO + "[layers.1]\nweight = " + nested(500) + "\n"
    path = write(tmp_path, text, "w.toml")
    assert path.stat().st_size < 1100
    with pytest.raises(
        SpecError,
        match=rf"^weight file '.*w.toml': (layers\.1\.weight\[0\]\S*, )?line 3: "
        rf"arrays or tables nested more than "
        rf"{MAX_NESTING} deep \(limits.MAX_NESTING\); an image is ",
    ):
        read_weight_file(path)


def test_an_image_nested_100_deep_names_the_key_and_line(tmp_path):
    # Parsed by tomllib, then refused before NumPy or the data code recurse on it.
    path = spec_with(tmp_path, 'image = "011/001"', "image = " + nested(100))
    with pytest.raises(
        SpecError,
        match=r"^spec file '.*': data\.samples\[0\]\.image\[0\]\[0\]\[0\].*\.\.\., "
        r"line 19: arrays or tables nested more than 32 deep",
    ):
        read_spec(path)


def test_nesting_up_to_the_limit_is_read():
    document = parse("w = " + nested(MAX_NESTING - 1), "weight file")
    assert document["w"] == eval(nested(MAX_NESTING - 1))  # noqa: S307 (a test's literal)
    with pytest.raises(SpecError, match="nested more than 32 deep"):
        parse("w = " + nested(MAX_NESTING), "weight file")


def test_the_nesting_locator_skips_strings_and_comments():
    text = 'a = "[[[["\n# [[[[[\nb = ' + nested(40)
    assert nesting_line(text) == 3
    assert nesting_line("a = '[[[[' # [[[[[[") is None


def test_an_integer_over_4300_digits_names_its_key_and_line(tmp_path):
    # tomllib's int() raises ValueError for it (Python's int-to-str limit).
    path = write(tmp_path, ZERO + '[weights]\n"w_{1}" = ' + "7" * 5000 + "\n", "w.toml")
    with pytest.raises(
        SpecError,
        match=r"^weight file '.*': `w_\{1\}`, line 3: 77777777777777777777\.\.\. is "
        r"over the limit of 1000 digits written out \(limits\.MAX_NUMBER_DIGITS\)",
    ):
        read_weight_file(path)


def test_an_integer_of_2000_digits_as_a_layer_size_is_refused(tmp_path):
    path = spec_with(tmp_path, "filters = 1", "filters = " + "9" * 2000)
    with pytest.raises(
        SpecError,
        match=r"^spec file '.*': layer 1\.filters, line 5: an integer of 2000 "
        r"digits is over the limit of 1000 digits",
    ):
        read_spec(path)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'image = "011/001"',
            'image = [[0, 1, "1e100000000"], [0, 0, 1]]',
            r"\[data\] \(line 19\): sample 1 \(P1\): pixel \(0, 0, 2\): '1e100000000' "
            r"is over the limit of 1000 digits",
        ),
        (
            "y = 1 ",
            'y = "-1e-5000" ',
            r"\[data\] \(line 19\): sample 1 \(P1\): target: '-1e-5000' is over",
        ),
        (
            'activation = "relu"',
            'activation = "leaky_relu"\nslope = "1e100000000"',
            r"layer 2 \(line 10\): activation 'leaky_relu': `slope`: '1e100000000' "
            r"is over the limit",
        ),
    ],
)
def test_huge_exponents_are_refused_at_once(tmp_path, old, new, message):
    # Before: Fraction("1e100000000") built a hundred-million-digit integer (minutes).
    path = spec_with(tmp_path, old, new)
    started = time.perf_counter()
    with pytest.raises(SpecError, match=message):
        read_spec(path)
    assert time.perf_counter() - started < 1


def test_a_huge_exponent_as_a_weight_is_refused_at_once(tmp_path):
    spec = read_spec(write(tmp_path, SPEC))
    weights = read_weight_file(
        write(tmp_path, ZERO + '[weights]\n"w_{1}" = "1e100000000"\n', "w.toml")
    )
    started = time.perf_counter()
    with pytest.raises(
        SymcnnError,
        match=r"^weight file '.*w.toml': w_\{1\}: '1e100000000' is over the limit of "
        r"1000 digits written out",
    ):
        weights.resolve(spec.network)
    assert time.perf_counter() - started < 1


def test_doubles_at_the_ends_of_their_range_are_read_exactly(tmp_path):
    spec = read_spec(write(tmp_path, SPEC))
    text = ZERO + '[weights]\n"w_{1}" = 1e308\n"w_{2}" = 5e-324\n"b_{0}" = "-1e-300"\n'
    values = read_weight_file(write(tmp_path, text, "w.toml")).resolve(spec.network)
    assert values[:2] == (10**308, __import__("sympy").Rational(5, 10**324))
    assert values[-1] == -__import__("sympy").Rational(1, 10**300)


@pytest.mark.parametrize("key", ["²", "٣", "1" * 5000])
def test_a_layer_number_of_odd_digits_is_not_a_layer_number(tmp_path, capsys, key):
    # "²".isdigit() is True but int("²") raises: it was an internal error.
    spec = write(tmp_path, SPEC)
    weights = write(tmp_path, ZERO + f'[layers."{key}"]\nweight = [1]\n', "w.toml")
    code = main(["check", str(spec), "--weights", str(weights)])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and "Traceback" not in err
    assert f"[layers.{key}]: '{key}' is not a layer number; use 1 to 3" in err


TRAIN = [
    (
        'tol = "x"',
        r"\[train\]\.tol \(line 22\): 'x' is not a non-negative number; "
        r"write for example 1e-12",
    ),
    ("tol = nan", r"\[train\]\.tol \(line 22\): nan is not a non-negative number"),
    (
        "optimizer = []",
        r"\[train\]\.optimizer \(line 22\): \[\] is not an optimizer; "
        r"use one of 'gd', 'momentum', 'adam'",
    ),
    ('optimizer = "adan"', r"'adan' is not an optimizer \(did you mean 'adam'\?\)"),
    (
        "lr = 0",
        r"\[train\]\.lr \(line 22\): 0 is not a positive number; write for "
        r"example 0\.01",
    ),
    ("lr = true", r"\[train\]\.lr \(line 22\): True is not a positive number"),
    ("steps = 1.5", r"\[train\]\.steps \(line 22\): 1\.5 is not a whole number >= 0"),
    ('seed = "1"', r"\[train\]\.seed \(line 22\): '1' is not a whole number >= 0"),
    (
        "restarts = 0",
        r"\[train\]\.restarts \(line 22\): 0 is not a whole number >= 1; "
        r"write for example 1",
    ),
]


@pytest.mark.parametrize(("line", "message"), TRAIN, ids=[t[0] for t in TRAIN])
def test_train_values_of_the_wrong_type_name_file_line_key_and_value(
    tmp_path, capsys, line, message
):
    path = write(tmp_path, SPEC + "\n[train]\n" + line + "\n")
    code = main(["train", str(path), "--steps", "1"])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and "Traceback" not in err
    assert err.startswith(f"symcnn train: error: spec file {str(path)!r} has 1 problem")
    assert __import__("re").search(message, err), err


def test_a_good_train_table_is_kept_as_written(tmp_path):
    text = 'optimizer = "adam"\nlr = 1\ntol = 0\nsteps = 0\nseed = 7\nrestarts = 1\n'
    spec = read_spec(write(tmp_path, SPEC + "\n[train]\n" + text))
    assert spec.train == {
        "optimizer": "adam",
        "lr": 1,
        "tol": 0,
        "steps": 0,
        "seed": 7,
        "restarts": 1,
    }


def test_the_spec_knows_every_optimizer_training_has():
    assert TRAIN_OPTIMIZERS == tuple(OPTIMIZERS)


def test_every_spec_message_numbers_layers_from_1_with_their_line(tmp_path):
    # Before: "layers[1] (line 10): Dense: ..." beside "layers: layer 1 (Conv2D): ...".
    text = SPEC.replace("kernel = [1, 2]", "kernel = [3, 3]").replace(
        "units = 2", "units = 0"
    )
    with pytest.raises(SpecError) as raised:
        read_spec(write(tmp_path, text))
    assert str(raised.value).splitlines()[1:] == [
        "  layer 2 (line 10): Dense: `units`: 0 is not a positive integer; use 1, 2, "
        "3, ...",
    ]
    with pytest.raises(SpecError) as raised:
        read_spec(write(tmp_path, SPEC.replace("kernel = [1, 2]", "kernel = [3, 3]")))
    assert str(raised.value).splitlines()[1:] == [
        "  layer 1 (line 5): Conv2D: `kernel` 3x3 is larger than its input 2x3 "
        "(padded 2x3); use a kernel of at most 2x3 or add padding",
    ]
