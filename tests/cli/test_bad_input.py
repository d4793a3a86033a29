"""Bad input of every kind: one clear message, exit code 2, never a traceback, nothing
run. A corpus of malformed specs and weight files, and a fuzz of random TOML."""

import os
import re
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symcnn.cli.main import main

#: More with SYMCNN_FUZZ=2000 (1500 ran clean before this commit).
FUZZ_EXAMPLES = int(os.environ.get("SYMCNN_FUZZ", "200"))

GOOD = """\
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
units = 2
activation = "relu"

[[layers]]
type = "dense"
units = 1

[data]
samples = [{ image = "011/001", y = 1 }, { image = "110/011", y = 2 }]

[target]
kind = "count"
pattern = "11"
"""

# (what is changed: old -> new in GOOD, or a whole text), the expected message
SPECS = [
    ("height = 2", "height = 0", r"input: `height`: 0 is not a positive integer"),
    ("height = 2", 'height = "2"', r"input: `height`: '2' is not a positive integer"),
    ("height = 2", "height = 2.5", r"`height`: 2.5 is not a positive integer"),
    ("height = 2", "height = true", r"`height`: True is not a positive integer"),
    ("height = 2\n", "", r"\[input\] \(line 1\): missing height"),
    ("width = 3", "width = 3\ndepth = 1", r"\[input\] \(line 1\): unknown key 'depth'"),
    (
        "[input]",
        "[inputs]",
        r"top level: unknown key 'inputs' \(did you mean 'input'\?\)",
    ),
    (
        "filters = 1",
        "filters = -1",
        r"layer 1 \(line 5\): Conv2D: `filters`: -1 is not a positive integer",
    ),
    ("filters = 1\n", "", r"layer 1 \(line 5\): a conv layer needs filters"),
    (
        "kernel = [1, 2]",
        "kernel = [1, 2, 3]",
        r"`kernel`: \[1, 2, 3\] is not an integer",
    ),
    ("kernel = [1, 2]", 'kernel = "big"', r"`kernel`: 'big' is not an integer"),
    (
        "kernel = [1, 2]",
        "kernel = [3, 3]",
        r"`kernel` 3x3 is larger than its input 2x3",
    ),
    (
        "kernel = [1, 2]",
        "kernel = [1, 2]\nstride = 0",
        r"`stride`: 0 is not an integer >= 1",
    ),
    (
        "kernel = [1, 2]",
        'kernel = [1, 2]\npadding = "sam"',
        r"`padding` 'sam' is not a padding",
    ),
    ('type = "conv"', 'type = "convolution"', r"'convolution' is not a layer type"),
    (
        'type = "conv"',
        "type = 3",
        r"layer 1 \(line 5\): `type` 3 is not a layer type",
    ),
    ('type = "conv"\n', "", r"layer 1 \(line 5\): `type` None is not a layer type"),
    (
        'activation = "relu"',
        'activation = "rellu"',
        r"unknown activation 'rellu' \(did you mean 'relu'\?\)",
    ),
    ('activation = "relu"', "activation = 1", r"activation 1 is not a name"),
    (
        'activation = "relu"',
        'activation = "relu"\ngrad_at_zero = "x"',
        r"`grad_at_zero`: 'x' is not a number",
    ),
    (
        'activation = "relu"',
        'activation = "relu"\nslope = 0.1',
        r"`slope` is an option of leaky_relu only",
    ),
    (
        "units = 2",
        "units = 2\nunits2 = 3",
        r"unknown key 'units2' \(did you mean 'units'\?\)",
    ),
    ('name = "a"', 'name = "a1"', r"letter 'a1' is not a name made of ASCII letters"),
    (
        'name = "a"',
        'name = "p"',
        r"value and the input's pixel are both named p_\{11\}",
    ),
    ('"011/001", y = 1', '"011/0x1", y = 1', r"row 2 has the character 'x'"),
    ('"011/001", y = 1', '"011/01", y = 1', r"rows of lengths 3, 2"),
    ('"011/001", y = 1', '"", y = 1', r"image '' has an empty row"),
    ('"011/001", y = 1', '"0110/0011", y = 1', r"image is 1x2x4 .* input is 1x2x3"),
    (
        '"011/001", y = 1',
        "[[0, 1], [1]], y = 1",
        r"is not a rectangular grid of numbers",
    ),
    (
        '"011/001", y = 1',
        '[["a", 1, 1], [0, 0, 1]], y = 1',
        r"pixel .* 'a' is not a number",
    ),
    ("y = 1 }, {", "y = nan }, {", r"target: nan is not a number"),
    ("y = 1 }, {", "y = inf }, {", r"target: inf: the number is too large"),
    (
        "y = 1 }, {",
        "y = [1, 2] }, {",
        r"2 target value\(s\) but the network has 1 output",
    ),
    (
        "y = 1 }, {",
        "z = 1 }, {",
        r"sample 1 \(P1\): unknown key 'z'; a sample is "
        r"\{ image = \"011/001\", y = 1 \} \(y is optional\)",
    ),
    (
        'samples = [{ image = "011/001", y = 1 }, { image = "110/011", y = 2 }]',
        "samples = []",
        r"\[data\].samples \(line 20\): \[\] has no sample; write \[\{ image = ",
    ),
    (
        'kind = "count"',
        'kind = "cnt"',
        r"unknown target 'cnt' \(did you mean 'count'\?\)",
    ),
    ('pattern = "11"', "pattern = 11", r"`pattern` 11 is not a string"),
    ('pattern = "11"', 'pattern = "12"', r"pattern '12'.*the character '2'"),
    (
        "[target]",
        "[train]\noptimiser = 1\n[target]",
        r"\[train\] \(line 23\): unknown key 'optimiser'",
    ),
    (
        "units = 1\n",
        "units = 1e12\n",
        r"`units`: 1000000000000.0 is not a positive integer",
    ),
    ("units = 1\n", "units = 10000000\n", r"would have .* terms .* limit"),
    ("height = 2", "height = 100000", r"would have .* limit|is larger than"),
    ("[input]", "[input\n", r"is not valid TOML: .*line 1"),
    (
        'activation = "relu"',
        "activation = \"__import__('os').system('touch HACKED')\"",
        r"unknown activation .*__import__.*spec values are names, never code",
    ),
    ('type = "conv"', "type = \"eval('1')\"", r"is not a layer type.*never code"),
]


def spec_text(old: str, new: str) -> str:
    assert old in GOOD, old
    return GOOD.replace(old, new, 1)


def run_main(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_good_spec_is_good(tmp_path, capsys):
    path = tmp_path / "spec.toml"
    path.write_text(GOOD)
    assert run_main(capsys, "summary", str(path))[0] == 0


@pytest.mark.parametrize(("old", "new", "message"), SPECS, ids=[m for _, _, m in SPECS])
def test_malformed_spec(tmp_path, capsys, old, new, message, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "spec.toml"
    path.write_text(spec_text(old, new))
    code, out, err = run_main(
        capsys,
        "check",
        str(path),
        "--weights",
        str(write_weights(tmp_path)),
        "--exhaustive",
    )
    assert code == 2, err
    assert out == "" and "Traceback" not in err
    assert err.startswith("symcnn check: error: ")
    assert re.search(message, err), err
    assert not (tmp_path / "HACKED").exists()  # nothing in a spec ever runs


def write_weights(tmp_path, text='missing = "zero"\n[weights]\n"w_{1}" = 1\n'):
    path = tmp_path / "weights.toml"
    path.write_text(text)
    return path


WEIGHT_FILES = [
    (
        '[weights]\n"w_{1}" = 1\n',
        r"no value for 14 parameter\(s\): w_\{2\}, .*--missing zero",
    ),
    ('[weights]\n"w_{9}" = 1\n', r"'w_\{9\}' is not a parameter of this network"),
    (
        'missing = "zero"\n[weights]\n"w_{1}" = "one"\n',
        r"w_\{1\}: 'one' is not a number",
    ),
    ('missing = "zero"\n[weights]\n"w_{1}" = nan\n', r"nan is not a number"),
    (
        'missing = "zero"\n[weights]\n"w_{1}" = 1\n"w_1" = 2\n',
        r"gives w_\{1\} a second time",
    ),
    ('missing = "maybe"\n[weights]\n"w_{1}" = 1\n', r"`missing` is 'maybe'"),
    ('mising = "zero"\n[weights]\n', r"unknown top-level key\(s\) mising"),
    ("[weights]\n", r"gives no weights"),
    ("weights = 3\n", r"\[weights\] and \[layers\] must be tables"),
    (
        "[layers.1]\nweight = [[[[1, 2, 3]]]]\n",
        r"shape 1x1x1x3 but layer 1 \(Conv2D\) has weights of shape 1x1x1x2",
    ),
    ("[layers.7]\nweight = [1]\n", r"'7' is not a layer number; use 1 to 3"),
    ("[layers.1]\nwieght = [1]\n", r"give `weight = \[...\]` and/or `bias = \[...\]`"),
    ("[weights\n", r"weight file .* is not valid TOML"),
]


@pytest.mark.parametrize(
    ("text", "message"), WEIGHT_FILES, ids=[m for _, m in WEIGHT_FILES]
)
def test_malformed_weight_file(tmp_path, capsys, text, message):
    spec = tmp_path / "spec.toml"
    spec.write_text(GOOD)
    code, out, err = run_main(
        capsys, "check", str(spec), "--weights", str(write_weights(tmp_path, text))
    )
    assert code == 2 and out == "" and "Traceback" not in err
    assert re.search(message, err), err


def test_non_utf8_bytes(tmp_path, capsys):
    path = tmp_path / "spec.toml"
    path.write_bytes(b"[input]\nheight = 2\n# \xff\xfe\n")
    code, _, err = run_main(capsys, "summary", str(path))
    assert code == 2 and "line 3, column 3: byte 0xff (offset 21) is not UTF-8" in err
    assert "save the file as UTF-8" in err


def test_a_10_mb_spec_is_refused_quickly(tmp_path, capsys):
    path = tmp_path / "spec.toml"
    path.write_text(GOOD + "# " + "x" * 10_000_000 + "\n")
    code, _, err = run_main(capsys, "summary", str(path))
    assert code == 2 and "is 10.0 MB; spec files are limited to 1 MB" in err


def test_a_directory_is_not_a_spec(tmp_path, capsys):
    code, _, err = run_main(capsys, "summary", str(tmp_path))
    assert code == 2 and "cannot be read" in err


toml_values = st.recursive(
    st.none().map(lambda _: 1)
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=True)
    | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.text("abcdefghiklmnoprstuwxyz_", min_size=1, max_size=8),
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)
KEYS = [
    "input",
    "layers",
    "data",
    "target",
    "train",
    "height",
    "width",
    "channels",
    "type",
    "filters",
    "kernel",
    "units",
    "samples",
    "image",
    "y",
    "activation",
]


def toml_document(draw_dict):
    import tomli_w

    return tomli_w.dumps(draw_dict)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.dictionaries(st.sampled_from(KEYS), toml_values, max_size=5),
    st.sampled_from(["summary", "derive", "check", "train", "forward"]),
)
def test_fuzzed_specs_never_crash(document, command):
    import tempfile

    try:
        text = toml_document(document)
    except (TypeError, ValueError):
        return  # not representable as TOML (e.g. a None inside a list)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "spec.toml"
        path.write_text(text)
        argv = [command, str(path)]
        if command == "check":
            argv += ["--weights", str(write_weights(Path(folder)))]
        if command == "train":
            argv += ["--steps", "5"]
        code = main(argv)
    assert code in (0, 2)


def test_installed_command_end_to_end(tmp_path):
    """The `symcnn` console script, as a user runs it."""
    spec = tmp_path / "spec.toml"
    spec.write_text(GOOD.replace("kernel = [1, 2]", "kernel = [3, 3]"))
    result = subprocess.run(
        ["symcnn", "summary", str(spec)], capture_output=True, text=True
    )
    assert result.returncode == 2 and result.stdout == ""
    assert (
        "symcnn summary: error:" in result.stderr and "Traceback" not in result.stderr
    )
    version = subprocess.run(["symcnn", "--version"], capture_output=True, text=True)
    assert version.stdout.startswith("symcnn ")


def leaf_paths(node, path=()):
    """Every place in a parsed TOML document that holds a value."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from leaf_paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from leaf_paths(value, (*path, index))
    yield path


def replaced(node, path, value):
    if not path:
        return value
    copy = dict(node) if isinstance(node, dict) else list(node)
    copy[path[0]] = replaced(node[path[0]], path[1:], value)
    return copy


@settings(
    max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck)
)
@given(st.data())
def test_fuzzed_values_in_a_good_spec_never_crash(data):
    """Any value of the good spec (a layer field, a pixel, a target...) replaced by a
    random TOML value: a result or a clear error, never a traceback."""
    import tempfile
    import tomllib

    import tomli_w

    document = tomllib.loads(GOOD)
    path = data.draw(st.sampled_from([p for p in leaf_paths(document) if p]))
    value = data.draw(toml_values)
    try:
        text = tomli_w.dumps(replaced(document, path, value))
    except (TypeError, ValueError):
        return
    command = data.draw(st.sampled_from(["derive", "check", "train", "forward"]))
    with tempfile.TemporaryDirectory() as folder:
        spec = Path(folder) / "spec.toml"
        spec.write_text(text)
        argv = [command, str(spec)]
        if command in ("check", "forward"):
            argv += ["--weights", str(write_weights(Path(folder)))]
        if command == "train":
            argv += ["--steps", "5", "--restarts", "1"]
        assert main(argv) in (0, 1, 2)


def test_latex_settings_are_validated(tmp_path, capsys):
    path = tmp_path / "spec.toml"
    path.write_text(GOOD + '\n[latex]\nwidth = 5\ncdot = "yes"\nelid = 3\n')
    code, _, err = run_main(capsys, "derive", str(path))
    assert code == 2
    assert "[latex] (line 27): unknown key 'elid' (did you mean 'elide'?)" in err
    assert "[latex].width (line 27): 5 is not a whole number >= 20" in err
    assert "[latex].cdot (line 27): 'yes' is not true or false" in err
