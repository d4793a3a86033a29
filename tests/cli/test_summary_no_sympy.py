"""`symcnn summary` imports no SymPy (issue 17: a quick command line): on every shipped
spec, in every --format, and on specs with errors (the same messages), with the same
output as in this process, where SymPy was loaded long ago. The spec is read and
checked without SymPy (model/exact.py's Fractions, the SymPy functions in modules of
their own); `symcnn --version` stays SymPy-free too.

One fresh interpreter runs every command (started in the repository, so that it runs
this checkout's code) and reports, as JSON, each one's exit code and output and the
heavy libraries it ended with."""

import contextlib
import io
import json
import subprocess
import sys
import textwrap

import pytest

from conftest import DERIVATIONS, ROOT
from symcnn.cli.examples import example_specs
from symcnn.cli.main import main
from symcnn.numeric.backend_names import BACKENDS
from symcnn.prove.embeddings import METRICS
from symcnn.prove.metric_names import METRICS as NAMED_METRICS
from symcnn.typeset.summary import FORMATS

#: A spec with a problem in every section summary reads (layers, data, target,
#: alphabet, train, latex): each is reported, as when the network is built.
BROKEN = """
[input]
height = 3
width = 3
[[layers]]
type = "conv"
filters = 1
kernel = 2
activation = "relu"
grad_at_zero = "1/0"
[[layers]]
type = "dense"
units = 2
activation = "leaky_relu"
slope = "x"
[data]
samples = [{ image = "012/001/000", y = "1/2" }, { image = "01/10", y = 1 }]
alphabet = [0, 1, 1]
[target]
kind = "count"
pattern = "12"
[train]
loss = "cross_entropy"
lr = -1
[latex]
width = 3
"""
#: Specs whose problems need the network's output size or its loss: a class index
#: out of range, a target that is not 0 or 1, a target count that does not fit.
WRONG_TARGETS = {
    "cross_entropy": '[{ image = "011/001/000", y = 2 }]',
    "binary_cross_entropy": '[{ image = "011/001/000", y = "1/2" }]',
    "squared_error": '[{ image = "011/001/000", y = [1, 2, 3] }]',
}
NETWORK = """
[input]
height = 3
width = 3
[[layers]]
type = "conv"
filters = 1
kernel = 2
activation = "leaky_relu"
slope = "1/3"
[[layers]]
type = "flatten"
[[layers]]
type = "dense"
units = 2
[data]
samples = {samples}
[train]
loss = "{loss}"
"""
#: Specs every command refuses, summary with the same message: a layer's values
#: named like the pixels, every image without a [target] to give their targets.
REFUSED_BY_ALL = {
    "named_p": NETWORK.replace('type = "flatten"', 'type = "flatten"\nname = "q"')
    .replace("kernel = 2", 'kernel = 2\nname = "p"')
    .format(samples="[]", loss="squared_error")
    .replace("samples = []", 'alphabet = [0, 1]'),
    "all_without_target": NETWORK.format(samples='"all"', loss="squared_error"),
}

#: Runs each argv through the console script's entry, then prints one JSON line:
#: [code, stdout, stderr] per argv, and the heavy libraries loaded at the end.
RUN_ALL = """
    import contextlib, io, json, sys
    from symcnn.cli.main import main
    runs = []
    for argv in json.loads(sys.argv[1]):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
        runs.append([code, out.getvalue(), err.getvalue()])
    heavy = sorted({m.split(".")[0] for m in sys.modules} & {"sympy", "torch"})
    print(json.dumps({"runs": runs, "heavy": heavy}))
"""


def specs(tmp_path) -> list[str]:
    shipped = sorted(set(DERIVATIONS.glob("*.toml")) | set(example_specs().values()))
    broken = tmp_path / "broken.toml"
    broken.write_text(BROKEN)
    wrong = []
    for loss, samples in WRONG_TARGETS.items():
        path = tmp_path / f"wrong_{loss}.toml"
        path.write_text(NETWORK.format(samples=samples, loss=loss))
        wrong.append(path)
    syntax = tmp_path / "syntax.toml"
    syntax.write_text("[input\nheight = 3\n")
    missing = tmp_path / "missing.toml"
    refused = []  # refused by every command, summary too (names, "all" targets)
    for name, text in REFUSED_BY_ALL.items():
        refused.append(tmp_path / f"{name}.toml")
        refused[-1].write_text(text)
    return [str(p) for p in [*shipped, broken, *wrong, syntax, missing, *refused]]


def in_process(argv: list[str]) -> list:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return [code, out.getvalue(), err.getvalue()]


def test_summary_imports_no_sympy_and_prints_the_same(tmp_path):
    commands = [["--version"]]
    for spec in specs(tmp_path):
        commands += [["summary", spec, "--format", form] for form in FORMATS]
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(RUN_ALL), json.dumps(commands)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    fresh = json.loads(result.stdout.splitlines()[-1])
    assert fresh["heavy"] == []  # no SymPy (nor torch) after all of them
    assert fresh["runs"] == [in_process(argv) for argv in commands]
    codes = [code for code, _, _ in fresh["runs"]]
    shipped = set(DERIVATIONS.glob("*.toml")) | set(example_specs().values())
    weights = {path for path in shipped if path.stem.endswith("-weights")}
    # Weight files are no specs: refused (exit 2), as the six broken specs are.
    assert codes.count(0) == 1 + len(shipped - weights) * len(FORMATS)
    assert codes.count(2) == (len(weights) + 6 + len(REFUSED_BY_ALL)) * len(FORMATS)


def test_the_messages_of_a_broken_spec(tmp_path):
    """What the no-SymPy reading reports: every problem, with its line and value."""
    path = tmp_path / "broken.toml"
    path.write_text(BROKEN)
    code, out, err = in_process(["summary", str(path)])
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"symcnn summary: error: spec file {str(path)!r} has 7 problem(s):",
        "  layer 1 (line 5): activation 'relu': `grad_at_zero`: '1/0' divides by "
        "zero; give a nonzero denominator",
        "  layer 2 (line 11): activation 'leaky_relu': `slope`: 'x' is not a number; "
        "write 1, -1, 0.5 or '1/2'",
        "  [data] (line 16): sample 1 (P1): image '012/001/000' row 1 has the "
        "character '2'; binary images use only 0 and 1 (\"011/001\"); write other "
        "values as nested arrays",
        "  [target] (line 19): pattern '12': image '12' row 1 has the character '2'; "
        'binary images use only 0 and 1 ("011/001"); write other values as nested '
        "arrays",
        "  [train].lr (line 22): -1 is not a positive number; write for example 0.01",
        "  [latex].width (line 25): 3 is not a whole number >= 20",
        "  [data] (line 16): alphabet: the value 1 is there twice (positions 2 and 3); "
        "name each pixel value once",
    ]


@pytest.mark.parametrize(
    "loss, message",
    [
        ("cross_entropy", "sample P1: target 2 is not a class index of the network's "
         "2 outputs"),
        ("binary_cross_entropy", "binary_cross_entropy needs one output (a logit); "
         "the network has 2"),
        ("squared_error", "sample P1: 3 target value(s) but the network has 2 "
         "output(s)"),
    ],
)  # fmt: skip
def test_targets_are_checked_against_the_loss_without_sympy(tmp_path, loss, message):
    path = tmp_path / "net.toml"
    path.write_text(NETWORK.format(samples=WRONG_TARGETS[loss], loss=loss))
    code, out, err = in_process(["summary", str(path)])
    assert code == 2 and message in err


def test_the_parser_names_are_the_stages_own():
    """The parser's choices, named without SymPy, are the ones the stages use."""
    from symcnn.numeric.compile import BACKENDS as COMPILED_BACKENDS

    assert BACKENDS == COMPILED_BACKENDS
    assert METRICS is NAMED_METRICS
