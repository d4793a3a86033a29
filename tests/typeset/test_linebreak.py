"""Long formulas broken for slides: widths respected, nothing lost or reordered."""

import re

import pytest
from conftest import DERIVATIONS, count11_network
from strategies import architectures
from hypothesis import given, settings
from hypothesis import strategies as st

import symcnn as sc
from symcnn.typeset.beamer import SLIDE_WIDTH
from symcnn.typeset.linebreak import (
    CONTINUATION,
    aligned_lines,
    break_lines,
    candidates,
    visible_length,
)


def unbroken(lines):
    """The lines joined back: continuation markers, the line ends and the invisible
    delimiters that close and reopen a broken \\left( ... \\right) taken out."""
    joined = " ".join(line.replace(CONTINUATION, "") for line in lines)
    return re.sub(r"(\\right\.)+ ", " ", re.sub(r"(\\left\.)+\{\}", "", joined))


def l3_output():
    ((_, lhs, rhs),) = [
        row for row in sc.derive(count11_network()).lines() if row[0] == "output"
    ]
    return lhs, rhs


def test_l3_output_breaks_like_the_slide_with_the_operator_first():
    lhs, rhs = l3_output()
    lines = aligned_lines(lhs, rhs, SLIDE_WIDTH)
    assert lines[0] == (
        r"F_{NN}(P) &= b_{0} + w_{1,0} f(a_{11} w_{11,1} + a_{12} w_{12,1} + "
        r"a_{21} w_{21,1}"
    )
    assert all(line.startswith(CONTINUATION + "+ ") for line in lines[1:])
    assert unbroken(lines) == f"{lhs} &= {rhs}"


@pytest.mark.parametrize("width", [30, 45, 60, 80, 120])
def test_no_line_is_wider_than_asked_and_joining_gives_the_formula_back(width):
    lhs, rhs = l3_output()
    pieces = break_lines(rhs, width)
    assert all(visible_length(piece) <= width for piece in pieces)
    assert " ".join(pieces) == rhs


def test_never_breaks_inside_braces_or_left_brackets():
    latex = r"\frac{a + b + c}{2} + \left[x + y + z\right] + w"
    pieces = break_lines(latex, 8)
    assert pieces == [r"\frac{a + b + c}{2}", r"+ \left[x + y + z\right]", "+ w"]


def test_breaks_inside_left_parentheses_when_nothing_outside_fits():
    latex = r"\frac{a + b + c}{2} + \left(x + y + z\right) + w"
    pieces = break_lines(latex, 9)
    assert pieces == [r"\frac{a + b + c}{2}", r"+ \left(x + y", r"+ z\right) + w"]
    rhs = (
        r"\tanh\left(\frac{3}{10} f(p_{11} + p_{12} - 1) + f(p_{12} + p_{13} - 1)"
        r" + f(p_{21} + p_{22} - 1)\right)"
    )
    assert aligned_lines("F_{NN}(P)", rhs, 40) == [
        r"F_{NN}(P) &= \tanh\left(\frac{3}{10} f(p_{11} + p_{12} - 1)\right.",
        r"&\quad {}\left.{}+ f(p_{12} + p_{13} - 1)\right.",
        r"&\quad {}\left.{}+ f(p_{21} + p_{22} - 1)\right)",
    ]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.sampled_from(["a_{11}", r"w_{12,1}", "f(p_{1} + p_{2})", r"\frac{x}{2}"]),
        min_size=1,
        max_size=30,
    ),
    st.integers(10, 70),
)
def test_any_sum_joins_back_to_itself(terms, width):
    latex = " + ".join(terms)
    pieces = break_lines(latex, width)
    assert " ".join(pieces) == latex
    assert (
        all(visible_length(p) <= width for p in pieces if " + " in p or " - " in p)
        or len(pieces) == 1
        or all(
            visible_length(p) <= width or not re.search(r" [+-] ", p) for p in pieces
        )
    )


def test_text_output_fits_80_columns():
    text = sc.derive(count11_network()).to_text(expanded=True, width=80)
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "          + (p_{21} w_{1} + p_{22} w_{2}) w_{21,1}" in text


def test_elision_with_dots():
    net = sc.Network(sc.Input(height=2, width=2), sc.Dense(1, bias=False))
    (_, _, rhs), *_ = sc.derive(net).lines("latex", elide=3)
    assert rhs == r"p_{11} w_{11,0} + p_{12} w_{12,0} + \dots + p_{22} w_{22,0}"


def test_products_with_cdot_on_request():
    (_, lhs, rhs), *_ = sc.derive(count11_network()).lines("latex", mul_symbol="dot")
    assert rhs == r"p_{11} \cdot w_{1} + p_{12} \cdot w_{2}"


def test_l8_typesets_its_full_f_nn_within_10_seconds():
    import time

    network = sc.read_spec(DERIVATIONS / "l8_weight_count.toml").network
    start = time.perf_counter()
    latex = sc.derive(network).to_latex(width=100)
    seconds = time.perf_counter() - start
    assert seconds < 10
    assert latex.count(r"\max(") == 2 * 4 * 3 * 3  # every pooled value, inlined per use
    assert latex.startswith("\\begin{aligned}\nF_{NN}(P) &= ")


#: Widths pdflatex measured (TeX Live 2022, Beamer 11pt, \displaystyle, Computer
#: Modern math), in digits of 5.475 pt: what glyphs.py must estimate from above.
MEASURED = {
    r"a_{11} = p_{11} w_{1} + p_{12} w_{2}": 17.711,
    r"w_{11,1}": 4.283,
    r"F_{NN}(P) = b_{0} + w_{1,0} f(a_{11} w_{11,1} + a_{12} w_{12,1})": 36.777,
    r"e_{1} = f(p_{11} w^{(1)}_{1,11} + b^{(1)}_{1}) v^{(2)}_{1,11,1}": 24.555,
    r"L(w) = \frac{1}{3} \left((F_{NN}(P_{1}) - 1)^{2}\right)": 24.402,
    r"\operatorname{LReLU}(x) + \sigma(y) - \tanh(z) + \max(a, b)": 34.871,
    "0123456789": 10.0,
}


@pytest.mark.parametrize("latex", MEASURED)
def test_width_is_the_printed_width_within_8_percent_never_less(latex):
    assert 1.0 <= visible_length(latex) / MEASURED[latex] <= 1.08


def test_a_subscript_heavy_name_is_narrower_than_its_characters():
    # w_{11,1} prints 4.3 digits wide; counting characters said 6.
    assert visible_length("w_{11,1}") < 5 < visible_length("wwwwww")


def test_prefers_the_outermost_sum_to_a_break_inside_f():
    rhs = (
        r"b_{0} + w_{1,0} f(a_{11} w_{11,1} + a_{12} w_{12,1}) + "
        r"w_{2,0} f(a_{11} w_{11,2} + a_{12} w_{12,2})"
    )
    pieces = break_lines(rhs, 40)
    assert pieces == [
        r"b_{0} + w_{1,0} f(a_{11} w_{11,1} + a_{12} w_{12,1})",
        r"+ w_{2,0} f(a_{11} w_{11,2} + a_{12} w_{12,2})",
    ]


def test_no_lone_short_term_on_the_last_line():
    terms = " + ".join(f"p_{{{k}}} w_{{{k}}}" for k in range(1, 10))
    rhs = f"f({terms} + b^{{(1)}}_{{1}})"
    pieces = break_lines(rhs, 62)  # the farthest break would leave `+ b^{(1)}_{1})`
    assert " ".join(pieces) == rhs
    assert pieces[-1] == r"+ p_{9} w_{9} + b^{(1)}_{1})"
    assert all(visible_length(piece) <= 62 for piece in pieces)


def test_one_left_column_for_a_block_keeps_every_line_within_the_width():
    from symcnn.typeset.rows import rows_latex

    rows = [
        ("output", r"F_{NN}(P)_{1}", "a_{1} + a_{2}"),
        ("equations", "a", " + ".join(f"p_{{{k}}} w_{{{k}}}" for k in range(30))),
    ]
    body = rows_latex(rows, 40).splitlines()[1:-1]
    column = visible_length(r"F_{NN}(P)_{1}")
    for line in body:
        rest = line.removesuffix(r" \\").split("&", 1)[1]
        assert column + visible_length(rest) <= 40


@settings(max_examples=30, deadline=None)
@given(
    architectures(),
    st.sampled_from([SLIDE_WIDTH, 0.8 * SLIDE_WIDTH, 90]),
    st.booleans(),
)
def test_random_networks_break_within_the_width_and_lose_nothing(
    architecture, width, per_neuron
):
    """Every line of every row fits (its block's left column plus the rest), unless
    it is one piece with no place to break; joined, the lines are the formula."""
    net, _, _ = architecture
    rows = sc.derive(net).lines("latex")
    column = max(visible_length(lhs) for _, lhs, _ in rows)
    for _, lhs, rhs in rows:
        lines = aligned_lines(lhs, rhs, width, lhs_width=column, per_neuron=per_neuron)
        assert unbroken(lines) == f"{lhs} &= {rhs}"
        for line in lines:
            rest = line.split("&", 1)[1]
            piece = rest.removeprefix("= ").removeprefix(r"\quad {}")
            assert column + visible_length(rest) <= width or candidates(piece) == []


def test_one_neuron_per_line_splits_neurons_only():
    from symcnn.typeset.linebreak import neuron_pieces

    loss = r"(F_{NN}(P_{1}) - 1)^{2} + (F_{NN}(P_{2}) - 2)^{2}"
    assert neuron_pieces(loss) == [loss]
    assert neuron_pieces(r"b_{0} + w_{1} f(x_{1} + x_{2}) + w_{2} f(x_{3}) + c") == [
        r"b_{0} + w_{1} f(x_{1} + x_{2})",
        r"+ w_{2} f(x_{3}) + c",
    ]
    # Slide L1: the neurons are inside the outer f.
    assert neuron_pieces(r"f(f(a_{11}) v_{11} + f(a_{12}) v_{12})") == [
        r"f(f(a_{11}) v_{11}",
        r"+ f(a_{12}) v_{12})",
    ]
    sigmoid = r"\sigma(x) w_{1} - \operatorname{LReLU}(y) w_{2}"
    assert neuron_pieces(sigmoid) == [
        r"\sigma(x) w_{1}",
        r"- \operatorname{LReLU}(y) w_{2}",
    ]


def test_a_long_argument_list_breaks_after_its_commas():
    cells = ", ".join(f"f(a_{{{i}{j}}})" for i in range(1, 5) for j in range(1, 6))
    rhs = rf"\max({cells})"
    pieces = break_lines(rhs, 40)
    assert " ".join(pieces) == rhs
    assert len(pieces) > 1
    assert all(piece.endswith(",") for piece in pieces[:-1])
    assert all(visible_length(piece) <= 40 for piece in pieces)


def test_a_product_breaks_between_factors_when_no_sum_fits():
    big = r"\frac{10869342890397189}{50000000000000000}"
    latex = rf"{big} \sigma\left({big} \max(a_{{1}}, b_{{1}})\right) w_{{1}} + x"
    assert break_lines(latex, 24) == [
        big,
        rf"\sigma\left({big}",
        r"\max(a_{1}, b_{1})\right) w_{1} + x",
    ]
    # Sums first: a product is cut only when no +, - or comma fits.
    assert break_lines(r"a_{1} b_{1} + c_{1} d_{1}", 8) == [
        r"a_{1} b_{1}",
        r"+ c_{1} d_{1}",
    ]
