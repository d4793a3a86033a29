"""derive of big networks: text written a row at a time as it is printed, and long
sums elided by default above ELIDE_ABOVE_TERMS trace terms (--no-elide: every term).

The count-11 net has 34 terms; the tests lower the threshold below that rather than
build a net of 100,000 terms (seconds of SymPy)."""

import io
import sys

import pytest

from conftest import DERIVATIONS
from symcnn.cli import typeset as cli_typeset
from symcnn.cli.main import main
from symcnn.files.spec import read_spec
from symcnn.limits import ELIDE_ABOVE_TERMS, ELIDED_SUM_TERMS
from symcnn.symbolic.trace import build_trace
from symcnn.typeset.derivation import Derivation

COUNT11 = str(DERIVATIONS / "count11.toml")

WHOLE_OUTPUT = "            + a_{21} w_{21,1} + a_{22} w_{22,1} + b_{1})"
ELIDED_OUTPUT = [
    "Output:",
    "  F_{NN}(P) = b_{0} + w_{1,0} f(a_{11} w_{11,1} + a_{12} w_{12,1}",
    "            + a_{21} w_{21,1} + ... + b_{1}) + w_{2,0} f(a_{11} w_{11,2}",
    "            + a_{12} w_{12,2} + a_{21} w_{21,2} + ... + b_{2}) + ...",
    "            + w_{4,0} f(a_{11} w_{11,4} + a_{12} w_{12,4} + a_{21} w_{21,4}",
    "            + ... + b_{4})",
]
NOTE = (
    "symcnn derive: 34 terms, over 30: sums of more than 4 terms are written "
    "a + b + c + ... + z; --no-elide writes every term, --elide N keeps N\n"
)


def count11_text(**options) -> str:
    spec = read_spec(COUNT11)
    derivation = Derivation(build_trace(spec.network), spec.data)
    return derivation.to_text(width=80, **options) + "\n"


def test_text_is_written_row_by_row_as_it_is_printed(monkeypatch):
    produced = []
    iter_lines = Derivation.iter_lines

    def counted(self, *args, **options):
        for row in iter_lines(self, *args, **options):
            produced.append(row)
            yield row

    class Stdout(io.StringIO):
        rows_before_first_write = None

        def write(self, text):
            if self.rows_before_first_write is None:
                self.rows_before_first_write = len(produced)
            return super().write(text)

    monkeypatch.setattr(Derivation, "iter_lines", counted)
    stdout = Stdout()
    monkeypatch.setattr(sys, "stdout", stdout)
    assert main(["derive", COUNT11]) == 0
    # The first row went out before the second was printed; all 6 came in the end.
    assert stdout.rows_before_first_write == 1 and len(produced) == 6
    assert stdout.getvalue() == count11_text()
    assert stdout.getvalue().startswith(
        "Equations:\n  a_{11} = p_{11} w_{1} + p_{12} w_{2}\n"
    )


def test_text_to_a_file_is_the_same_text(tmp_path, capsys):
    out = tmp_path / "count11.txt"
    assert main(["derive", COUNT11, "-o", str(out)]) == 0
    assert capsys.readouterr().out == f"Wrote {out}\n"
    assert out.read_text() == count11_text()
    assert [p.name for p in tmp_path.iterdir()] == ["count11.txt"]  # no temporary


def test_lecture_nets_are_whole_by_default(capsys):
    assert ELIDE_ABOVE_TERMS == 100_000 and ELIDED_SUM_TERMS == 4
    assert main(["derive", COUNT11]) == 0
    out, err = capsys.readouterr()
    assert WHOLE_OUTPUT in out.splitlines() and "..." not in out and err == ""


def test_a_big_net_is_elided_by_default_and_says_so(monkeypatch, capsys):
    monkeypatch.setattr(cli_typeset, "ELIDE_ABOVE_TERMS", 30)
    assert main(["derive", COUNT11]) == 0
    out, err = capsys.readouterr()
    assert err == NOTE
    lines = out.splitlines()
    start = lines.index("Output:")
    assert lines[start : start + len(ELIDED_OUTPUT)] == ELIDED_OUTPUT
    assert out == count11_text(elide=ELIDED_SUM_TERMS)


def test_no_elide_writes_every_term_of_a_big_net(monkeypatch, capsys):
    monkeypatch.setattr(cli_typeset, "ELIDE_ABOVE_TERMS", 30)
    assert main(["derive", COUNT11, "--no-elide"]) == 0
    out, err = capsys.readouterr()
    assert out == count11_text() and err == ""


ELIDE_3 = "w_{1,0} f(a_{11} w_{11,1} + a_{12} w_{12,1} + ... + b_{1})"
LATEX_4 = r"f(a_{11} w_{11,1} + a_{12} w_{12,1} + a_{21} w_{21,1} + \dots + b_{1}) + "


@pytest.mark.parametrize(
    "argv, shown", [(["--elide", "3"], ELIDE_3), (["--format", "latex"], LATEX_4)]
)
def test_elide_n_and_latex_win_over_the_default(monkeypatch, capsys, argv, shown):
    monkeypatch.setattr(cli_typeset, "ELIDE_ABOVE_TERMS", 30)
    assert main(["derive", COUNT11, *argv]) == 0
    out, err = capsys.readouterr()
    assert shown in out
    assert err == ("" if "--elide" in argv else NOTE)


def test_json_is_always_whole(monkeypatch, capsys):
    monkeypatch.setattr(cli_typeset, "ELIDE_ABOVE_TERMS", 30)
    assert main(["derive", COUNT11, "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert r"\dots" not in out and err == ""


def test_elide_and_no_elide_together_are_refused(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["derive", COUNT11, "--elide", "3", "--no-elide"])
    assert stop.value.code == 2
    assert "argument --no-elide: not allowed with argument --elide" in (
        capsys.readouterr().err
    )
