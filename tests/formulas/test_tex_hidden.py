"""What TeX typesets is read and only that (attack report A3, A4): \\(...\\) and
multline are math, comments/verbatim/\\iffalse are not, an escaped \\$ opens nothing,
and math left open is an error naming its line, never a formula skipped."""

import pytest
from conftest import count11_network

import symcnn as sc
from symcnn.errors import SymcnnError
from symcnn.formulas.formulacheck import Checker
from symcnn.formulas.texfile import check_tex

CHECKER = Checker(sc.build_trace(count11_network()))
WRONG = r"a_{11} = p_{11} w_{2}"
RIGHT = r"a_{12} = p_{12} w_{1} + p_{13} w_{2}"


def read(tex):
    return [(v.line, v.lhs, v.status) for _, vs in check_tex(CHECKER, tex) for v in vs]


@pytest.mark.parametrize(
    "tex",
    [
        f"\\({WRONG}\\) and ${RIGHT}$",
        f"\\begin{{multline*}}{WRONG}\\end{{multline*}} and ${RIGHT}$",
        f"\\begin{{multline}}\n{WRONG}\n\\end{{multline}} and ${RIGHT}$",
        f"price \\$5, ${WRONG}$ and ${RIGHT}$",
        f"\\begin{{equation}}\n{WRONG} % not p_{{11}} w_{{1}}\n\\end{{equation}}"
        f" ${RIGHT}$",
    ],
)
def test_every_form_of_math_is_read(tex):
    assert sorted(read(tex))[0][1:] == ("a_{11}", "wrong")
    assert ("a_{12}", "correct") in [r[1:] for r in read(tex)]


def test_hidden_text_is_not_a_formula():
    tex = (
        "% $a_{11} = 99 p_{11}$\n"
        "\\begin{verbatim}$a_{11} = 5$\\end{verbatim}\n"
        "\\begin{comment}\n$a_{11} = 6$\n\\end{comment}\n"
        "\\iffalse $a_{11} = 7$ \\fi 50\\% \\verb|$a_{11} = 8$|\n"
        f"${RIGHT}$ % a comment with $a_{{11}} = 9$\n"
    )
    assert read(tex) == [(7, "a_{12}", "correct")]


@pytest.mark.parametrize(
    "tex, message",
    [
        (f"\\begin{{equation}}\n{WRONG}\n", r"\begin{equation} opened on line 1 is"),
        (f"${RIGHT}$ and\n${WRONG}", "$ opened on line 2 is never closed"),
        (f"${RIGHT}$ and $${WRONG}$\n$a_{{21}} = 0$", "$$ opened on line 1 is closed"),
        (f"\\({WRONG}", r"\( opened on line 1 is never closed"),
    ],
)
def test_math_left_open_is_an_error_naming_its_line(tex, message):
    with pytest.raises(SymcnnError) as error:
        check_tex(CHECKER, tex)
    assert message in str(error.value)
    assert "write \\$ for a dollar sign" in str(error.value)


def test_an_underline_never_spans_an_aligned_line_break():
    # C11: a wrong term across `\\ &\quad {}` was underlined whole: no PDF
    from symcnn.formulas.texfile import annotate, underlinable

    tex = (
        "\\begin{align*}\na_{12} &= p_{12} w_{1} + p_{13} \\\\\n"
        "&\\quad {}w_{1}\n\\end{align*}\n"
    )
    results = check_tex(CHECKER, tex)
    assert [v.status for _, vs in results for v in vs] == ["wrong"]
    marked = annotate(tex, results)
    assert "\\underline{p_{13}} \\\\\n&\\underline{\\quad {}w_{1}}" in marked
    start = tex.index("p_{13}")
    assert underlinable(tex, start, tex.index("\n\\end")) == [
        (start, start + 6),
        (tex.index("\\quad"), tex.index("\n\\end")),
    ]
    assert underlinable("f{a \\\\ b}", 0, 9) == []  # half a group: not underlined
