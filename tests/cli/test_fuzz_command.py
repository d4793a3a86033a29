"""The installed `symcnn` command against random bytes, random TOML and random LaTeX:
every run ends in bounded time with exit 0, 1 or 2 and no traceback."""

import subprocess
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DERIVATIONS

#: Each run starts Python and imports SymPy (~0.6 s): a few examples per kind keep the
#: file under half a minute; the in-process fuzzers of test_bad_input.py run hundreds.
RUNS = settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
SECONDS = 60

LATEX_PIECES = [
    "a_{11}", "p_{11}", "p_{32}", "w_{1}", "w_{3}", "W_{11}", "F_{NN}(P)", "L(w)",
    "f(", "\\max(0,", "=", "+", "-", "\\cdot", "^", "_", "{", "}", "(", ")",
    "\\left(", "\\right)", "9", "0.5", "\\frac{1}{2}", "\\[", "\\]", "$", "$$",
    "\\begin{equation}", "\\end{equation}", "&", "\\\\", "\\input{/etc/passwd}",
    "\\loop", "%", "²", "\n",
]  # fmt: skip


def symcnn(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["symcnn", *argv], capture_output=True, text=True, timeout=SECONDS
    )


def assert_handled(result: subprocess.CompletedProcess) -> None:
    assert result.returncode in (0, 1, 2), (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr + result.stdout


@RUNS
@given(st.binary(max_size=3000), st.sampled_from(["summary", "derive", "check"]))
def test_random_bytes_as_a_spec(content, command):
    with tempfile.TemporaryDirectory() as folder:
        spec = Path(folder) / "spec.toml"
        spec.write_bytes(content)
        argv = [command, str(spec)]
        if command == "check":
            argv += ["--weights", str(DERIVATIONS / "count11-weights.toml")]
        assert_handled(symcnn(*argv))


toml_scalars = (
    st.integers(-(10**30), 10**30)
    | st.floats()
    | st.booleans()
    | st.text(max_size=8)
)
toml_tables = st.dictionaries(
    st.sampled_from(["input", "layers", "data", "train", "target", "latex"]),
    st.dictionaries(
        st.sampled_from(
            ["height", "width", "type", "units", "filters", "kernel", "samples",
             "image", "y", "lr", "tol", "steps", "optimizer", "activation"]
        ),
        toml_scalars | st.lists(toml_scalars, max_size=3),
        max_size=4,
    ),
    max_size=4,
)  # fmt: skip


@RUNS
@given(toml_tables, st.sampled_from(["summary", "derive", "train", "forward"]))
def test_random_toml_as_a_spec(document, command):
    import tomli_w

    try:
        text = tomli_w.dumps(document)
    except (TypeError, ValueError):
        return
    with tempfile.TemporaryDirectory() as folder:
        spec = Path(folder) / "spec.toml"
        spec.write_text(text)
        argv = [command, str(spec)]
        if command == "train":
            argv += ["--steps", "5", "--restarts", "1"]
        assert_handled(symcnn(*argv))


latex_texts = st.lists(st.sampled_from(LATEX_PIECES), max_size=60).map(" ".join)


@RUNS
@given(latex_texts)
def test_random_latex_to_verify(text):
    spec = str(DERIVATIONS / "count11.toml")
    assert_handled(symcnn("verify", spec, "--formula", text))
    with tempfile.TemporaryDirectory() as folder:
        tex = Path(folder) / "notes.tex"
        tex.write_text(text)
        assert_handled(symcnn("verify", spec, "--tex", str(tex)))
