"""A quick command line: `symcnn --version` imports neither SymPy nor NumPy, each
command imports only its own module, `import symcnn` loads its names on first use,
and a Ctrl-C while the big libraries load is a quiet exit 130.

Each check runs in a fresh interpreter (this one has SymPy loaded long ago), started
in the repository so that it runs this checkout's code."""

import json
import os
import signal
import subprocess
import sys
import textwrap

import pytest

import symcnn as sc
from conftest import DERIVATIONS, ROOT

COUNT11 = str(DERIVATIONS / "count11.toml")
HEAVY = ("sympy", "numpy", "torch", "matplotlib", "llvmlite", "mpmath")


def python(code: str, *argv: str, **options) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        **options,
    )


#: Runs the console script's entry with argv, then prints (on stderr, as JSON) the
#: exit code, the heavy libraries and the modules of symcnn that were imported.
LOADED = """
    import json, sys
    from symcnn.cli.main import main
    code = main(sys.argv[1:])
    heavy = sorted({m.split(".")[0] for m in sys.modules} & set(%r))
    ours = sorted(m for m in sys.modules if m.startswith("symcnn."))
    print(json.dumps({"code": code, "heavy": heavy, "ours": ours}), file=sys.stderr)
""" % (HEAVY,)


def loaded(*argv: str) -> tuple[str, dict]:
    result = python(LOADED, *argv)
    return result.stdout, json.loads(result.stderr.splitlines()[-1])


def test_version_imports_no_library():
    out, seen = loaded("--version")
    assert out == f"symcnn {sc.__version__}\n" and sc.__version__ == "0.1.0"
    assert seen["code"] == 0 and seen["heavy"] == []
    assert seen["ours"] == ["symcnn.cli", "symcnn.cli.main", "symcnn.errors",
                            "symcnn.limits"]  # fmt: skip


def test_version_after_debug_too_and_argparse_answers_the_rest():
    out, seen = loaded("--debug", "--version")
    assert out == "symcnn 0.1.0\n" and seen["heavy"] == []
    # After the command it is not the program's option: argparse says so, as before.
    result = python(LOADED, "summary", COUNT11, "--version")
    assert result.returncode == 2
    assert "unrecognized arguments: --version" in result.stderr


def test_the_console_script_runs_the_same_entry():
    result = python("from symcnn.cli.main import entry; entry()", "--version")
    assert (result.returncode, result.stdout, result.stderr) == (
        0, "symcnn 0.1.0\n", ""
    )  # fmt: skip


def test_summary_loads_neither_sympy_nor_the_formulas():
    """summary reads shapes only: the spec is read and checked without SymPy, and
    neither the formulas nor the training code are loaded (test_summary_no_sympy.py
    runs it on every spec and format)."""
    out, seen = loaded("summary", COUNT11)
    assert seen["code"] == 0 and out.startswith("layer ")
    assert seen["heavy"] == ["numpy"]
    assert "symcnn.cli.compute" not in seen["ours"]
    assert "symcnn.cli.typeset" not in seen["ours"]


def test_import_symcnn_loads_names_on_first_use():
    result = python(
        """
        import sys, symcnn as sc
        before = "sympy" in sys.modules
        net = sc.Network(sc.Input(channels=1, height=1, width=2), sc.Dense(1))
        built = "sympy" in sys.modules  # a Network is named without SymPy (summary)
        net.symbol("p_{11}")
        print(before, built, "sympy" in sys.modules, type(net).__module__)
        """
    )
    assert result.stdout == "False False True symcnn.model.network\n", result.stderr


def test_every_public_name_resolves():
    missing = [name for name in sc.__all__ if getattr(sc, name, None) is None]
    assert missing == []
    assert set(sc.__all__) <= set(dir(sc))
    assert sc.train_trace.__module__ == "symcnn.numeric.training"
    assert sc.check_trace.__module__ == "symcnn.prove.verify"
    assert sc.Imported.__name__ == "Imported" and sc.FLOAT_DECIMALS == 7
    with pytest.raises(AttributeError, match="module 'symcnn' has no attribute 'nope'"):
        sc.nope  # noqa: B018


#: Stops (announcing it on stdout) when `module` is first imported, for a SIGINT.
STALL_AT = """
    import sys, time
    class Stall:
        def find_spec(self, name, path=None, target=None):
            if name == %r:
                print("importing", flush=True)
                time.sleep(30)
            return None
    sys.meta_path.insert(0, Stall())
    from symcnn.cli.main import entry
    entry()
"""


@pytest.mark.parametrize(
    "module, argv, message",
    [
        ("numpy", ("summary", COUNT11), "symcnn: interrupted\n"),  # the parser's
        ("sympy", ("derive", COUNT11), "symcnn derive: interrupted\n"),
        ("symcnn.cli.compute", ("train", COUNT11), "symcnn train: interrupted\n"),
    ],
)
def test_ctrl_c_while_importing_is_a_quiet_exit_130(module, argv, message):
    process = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(STALL_AT % module), *argv],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout.readline() == "importing\n"
        os.kill(process.pid, signal.SIGINT)
        out, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert (process.returncode, out, err) == (130, "", message)
