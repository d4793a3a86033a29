"""Math blocks of a .tex file, found in one pass: unclosed delimiters in a large
file cost one scan, not one per opening, and the blocks are the ones a regex of the
four forms finds."""

import re
import time

import pytest
from conftest import count11_network
from hypothesis import given, settings
from hypothesis import strategies as st

import symcnn as sc
from symcnn.errors import SymcnnError
from symcnn.formulas.formulacheck import Checker
from symcnn.formulas.texfile import check_tex, equations_in, math_blocks
from symcnn.formulas.texmath import blanked

CHECKER = Checker(sc.build_trace(count11_network()))
SIZE = 80_000  # the file: 80 KB of \[ took 98 s

PATHOLOGICAL = {
    "unclosed display math": "\\[" * (SIZE // 2),
    "dollars": "$" * SIZE,
    "double dollars": "$$ " * (SIZE // 3),
    "unclosed equation": "\\begin{equation}" * (SIZE // 16),
    "unclosed align with text": "\\begin{align} x" * (SIZE // 15),
    "one open dollar then text": "$" + "a = b " * (SIZE // 6),
}


@pytest.mark.parametrize("tex", PATHOLOGICAL.values(), ids=PATHOLOGICAL)
def test_80_kb_of_unclosed_or_lone_delimiters_is_read_at_once(tex):
    start = time.perf_counter()
    try:
        results = check_tex(CHECKER, tex)
    except SymcnnError as error:  # math left open is said, with its line
        assert "opened on line 1 is never closed" in str(error)
    else:
        assert results == []  # nothing in them is a formula of the network
    assert time.perf_counter() - start < 2


def test_80_kb_of_formulas_is_read_with_their_lines():
    tex = "$a_{11} = p_{11} w_1 + p_{12} w_2$, $a_{12} = p_{12} w_1$\n" * 1400
    start = time.perf_counter()
    blocks = equations_in(tex)
    assert time.perf_counter() - start < 0.5  # the blocks; checking them is SymPy's
    assert len(tex) > SIZE and len(blocks) == 2800
    assert [b.line for b in blocks[-2:]] == [1400, 1400]
    assert blocks[-1].body == "a_{12} = p_{12} w_1"


def test_many_unclosed_openings_are_an_error_not_a_skip():
    # TeX reads the formula after an open \[ as part of it: it is not found alone
    tex = "\\[" * 20_000 + "\n$a_{12} = p_{12} w_1 + p_{13} w_2$"
    with pytest.raises(SymcnnError, match=r"math \\\[ opened on line 1 is never"):
        check_tex(CHECKER, tex)


# Math found as TeX finds it (texmath.py): every formula wrapped in any delimiter,
# with text between them that holds escaped dollars, comments and verbatim, is found
# once, in its place; delimiter soup is either blocks in order or an error.
WRAPS = [("$", "$"), ("$$", "$$"), ("\\[", "\\]"), ("\\(", "\\)"),
         ("\\begin{equation}", "\\end{equation}"),
         ("\\begin{multline*}", "\\end{multline*}"),
         ("\\begin{align}\\begin{aligned}", "\\end{aligned}\\end{align}")]  # fmt: skip
TEXTS = [" and ", " price \\$5, ", "\n% $a = 1$ hidden\n", " 50\\% ", "\n",
         "\\begin{verbatim}$x = 2$\\end{verbatim}",
         "\\iffalse $y = 3$ \\fi"]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(WRAPS), st.sampled_from(TEXTS),
                          st.integers(1, 99)), max_size=8))  # fmt: skip
def test_every_wrapped_formula_is_found_once_and_nothing_hidden(pieces):
    tex, wanted = "", []
    for (opening, closing), between, k in pieces:
        formula = f"a_{{11}} = {k} p_{{11}}"
        if "aligned" in opening:  # nested: one block, the outer environment's
            outer = "\\begin{align}"
            body = opening[len(outer) :] + formula + "\\end{aligned}"
            wanted.append((body, len(tex) + len(outer)))
        else:
            wanted.append((formula, len(tex) + len(opening)))
        tex += opening + formula + closing + between
    found = [(m.body, m.body_start) for m in math_blocks(tex)]
    assert found == wanted


PIECES = ["$", "$$", "\\[", "\\]", "\\(", "\\)", "\\begin{equation}", "a", "=",
          "\\end{align*}", "\\begin{gather*}", "\\end{equation}", "\n", " ", "\\",
          "%"]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_delimiter_soup_is_blocks_in_order_or_an_error_naming_a_line(tex):
    try:
        blocks = list(math_blocks(tex))
    except SymcnnError as error:
        assert re.search(r"opened on line \d+ is (never closed|closed by)", str(error))
        return
    ends = [0]
    for block in blocks:
        assert ends[-1] <= block.start < block.body_start < block.end <= len(tex)
        shown = blanked(tex)  # comments blanked, places kept
        assert block.body.strip() and shown[block.body_start :].startswith(block.body)
        ends.append(block.end)
