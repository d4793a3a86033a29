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
from symcnn.formulas.formulacheck import Checker
from symcnn.formulas.texfile import check_tex, equations_in, math_blocks

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
    results = check_tex(CHECKER, tex)
    assert time.perf_counter() - start < 2
    assert results == []  # nothing in them is a formula of the network


def test_80_kb_of_formulas_is_read_with_their_lines():
    tex = "$a_{11} = p_{11} w_1 + p_{12} w_2$, $a_{12} = p_{12} w_1$\n" * 1400
    start = time.perf_counter()
    blocks = equations_in(tex)
    assert time.perf_counter() - start < 0.5  # the blocks; checking them is SymPy's
    assert len(tex) > SIZE and len(blocks) == 2800
    assert [b.line for b in blocks[-2:]] == [1400, 1400]
    assert blocks[-1].body == "a_{12} = p_{12} w_1"


def test_a_closed_block_after_many_unclosed_openings_is_found():
    tex = "\\[" * 20_000 + "\n$a_{12} = p_{12} w_1 + p_{13} w_2$"
    ((block, (verdict,)),) = check_tex(CHECKER, tex)
    assert (block.line, verdict.status) == (2, "correct")


# The blocks the regex of symcnn 0.x found (quadratic on unclosed openings): the
# scanner must find the same ones, in the same places.
REGEX = re.compile(
    r"\$\$(.+?)\$\$|\\\[(.+?)\\\]|\$(.+?)\$"
    r"|\\begin\{(?:equation|align|gather)\*?\}(.+?)\\end\{(?:equation|align|gather)\*?\}",
    re.DOTALL,
)
PIECES = ["$", "$$", "\\[", "\\]", "\\begin{equation}", "\\end{align*}", "a", "=",
          "\\begin{gather*}", "\\end{equation}", "\n", " ", "\\"]  # fmt: skip


def regex_blocks(tex: str) -> list[tuple[str, int, int, int]]:
    found = []
    for match in REGEX.finditer(tex):
        group = next(i for i, g in enumerate(match.groups(), 1) if g is not None)
        found.append((match[group], match.start(group), match.start(), match.end()))
    return found


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_the_scanner_finds_the_blocks_the_regex_found(tex):
    blocks = [(m.body, m.body_start, m.start, m.end) for m in math_blocks(tex)]
    assert blocks == regex_blocks(tex)
