"""--elide N: a sum of more than N terms is its first N - 1 terms, \\dots and its
last; no term is ever replaced by anything else, and an N that would leave no first
term is refused."""

import pytest
import sympy as sp
from conftest import DERIVATIONS

import symcnn as sc
from symcnn.cli.main import main
from symcnn.typeset.latex import make_printer


def plain_sum(count: int):
    terms = sp.symbols(f"t_1:{count + 1}")
    return terms, sp.Add(*terms, evaluate=False)


@pytest.mark.parametrize("elide", [2, 3, 4, 5])
def test_an_elided_sum_keeps_its_first_terms_and_its_last(elide):
    for count in range(1, 10):
        terms, total = plain_sum(count)
        printed = make_printer({}, "latex", elide=elide).doprint(total)
        names = [sp.latex(t) for t in terms]
        if count <= elide:
            assert printed == " + ".join(names)
        else:
            assert printed == " + ".join([*names[: elide - 1], r"\dots", names[-1]])


@pytest.mark.parametrize("elide", [1, 0, -1, True, 2.5])
def test_an_elide_that_would_drop_terms_is_refused(elide):
    with pytest.raises(
        sc.SymcnnError,
        match=rf"^elide {elide!r}: a long sum is written as its first N - 1 terms, "
        r"\\dots and its last, so N must be a whole number >= 2",
    ):
        make_printer({}, "latex", elide=elide)


@pytest.mark.parametrize("elide", ["1", "0", "-3"])
def test_derive_refuses_elide_below_2(elide, capsys):
    spec = str(DERIVATIONS / "count11.toml")
    assert main(["derive", spec, "--format", "latex", "--elide", elide]) == 2
    err = capsys.readouterr().err
    assert f"--elide {elide}: a long sum is written as its first N - 1" in err
    assert "leave it out to show every term" in err


def test_derive_elide_2_shows_the_first_and_last_term(capsys):
    spec = str(DERIVATIONS / "count11.toml")
    assert main(["derive", spec, "--format", "latex", "--elide", "2"]) == 0
    assert (
        r"F_{NN}(P) &= b_{0} + \dots + w_{4,0} f(a_{11} w_{11,4} + \dots + b_{4})"
        in capsys.readouterr().out
    )
