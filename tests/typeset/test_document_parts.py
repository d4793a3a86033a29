"""The document's parts beyond formulas, pinned as LaTeX: titles, quotes, the names
values are shown under, L6's per-channel sums, L7's composed filter, the exhaustive
verdict (issue 16's "Document" findings)."""

from conftest import DERIVATIONS

from symcnn.typeset.document import read_parts, spec_section, spec_title
from symcnn.typeset.document_parts import CHECK, value_label
from symcnn.typeset.latex import escape_text
from symcnn.typeset.slides import grid_latex


def test_titles_are_the_first_sentence_of_the_opening_comment():
    assert spec_title(DERIVATIONS / "l5_pooling.toml") == (
        "Slide L5: (n,m)-pooling keeps one number per block."
    )
    assert spec_title(DERIVATIONS / "count11.toml") == (
        'The lecture\'s "count 11" network (slides L2-L3).'
    )
    assert spec_title(DERIVATIONS / "l6_multichannel.toml") == (
        "Slide L6: an r-channel filter on an r-channel image."
    )
    # "et al. 2012" does not end the sentence.
    assert spec_title(DERIVATIONS / "alexnet.toml") == (
        "AlexNet (Krizhevsky et al. 2012, torchvision's single-GPU widths): "
        "61,100,840 parameters."
    )


def test_straight_quotes_become_opening_and_closing_quotes():
    assert escape_text('The lecture\'s "count 11" network ("a")') == (
        "The lecture's ``count 11'' network (``a'')"
    )
    section = spec_section(DERIVATIONS / "count11.toml")
    assert section.splitlines()[0] == (
        r"\section{The lecture's ``count 11'' network (slides L2-L3).}"
    )


def test_values_are_labelled_with_their_names():
    trace = read_parts(DERIVATIONS / "count11.toml").trace
    labels = [value_label(trace, n) for n in range(len(trace.layer_values))]
    assert labels == ["P", "a", r"\text{layer 2 (Dense)}", "F_{NN}(P)"]
    trace = read_parts(DERIVATIONS / "l7_filters.toml").trace
    assert [value_label(trace, n) for n in range(3)] == ["P", "a", "c"]


def test_l6_channels_are_channels_and_each_channel_adds_the_lecture_numbers():
    items = read_parts(DERIVATIONS / "l6_multichannel.toml").items
    groups, captions, maths = zip(*items)
    assert set(groups) == {"P1"}
    assert captions == (
        "P1: the image",
        "P1: what each input channel adds to layer 1",
        "P1: layer 1 (their sum)",
    )
    assert maths[0].startswith(r"P,\ \text{channel 1} = \begin{bmatrix}")
    assert "P_{1}" not in maths[0]
    lecture = [
        [[7, 5, 3], [4, 7, 5], [7, 2, 8]],
        [[5, 3, 10], [13, 1, 13], [7, 12, 11]],
        [[7, 5, 2], [11, 8, 2], [9, 4, 6]],
    ]
    assert maths[1] == r",\quad ".join(
        rf"\text{{from channel {c}}} = {grid_latex(grid)}"
        for c, grid in enumerate(lecture, start=1)
    )
    assert maths[2] == "a = " + grid_latex([[19, 13, 15], [28, 16, 20], [23, 18, 25]])


def test_l7_composed_filter_and_the_x_pattern():
    items = read_parts(DERIVATIONS / "l7_filters.toml").items
    composed = [item for item in items if item[0] == "the composed filter"]
    assert composed[0] == (
        "the composed filter",
        "The stack equals one convolution: filter 1",
        "K_{1,1} = " + grid_latex([[0, -1, 0], [-1, 1, -1], [0, -1, 0]]),
    )
    assert composed[1][1] == (
        "The binary patch it answers most: 16 patch(es) reach $1$ ($*$: either)"
    )
    corner = r"\ast"
    assert composed[1][2] == (
        f"\\begin{{bmatrix}}\n{corner} & 0 & {corner} \\\\\n0 & 1 & 0 \\\\\n"
        f"{corner} & 0 & {corner}\n\\end{{bmatrix}}"
    )


def test_count11_exhaustive_verdict_and_exact_check():
    items = read_parts(DERIVATIONS / "count11.toml").items
    assert [item[0] for item in items] == [CHECK, CHECK, CHECK]
    assert items[0][2] == "L(w) = 0"
    assert items[1] == (
        CHECK,
        "On P1, step by step",
        r"a_{11} = p_{11} w_{1} + p_{12} w_{2} = 0 \cdot 1 + 1 \cdot 1 = 1",
    )
    assert items[2] == (
        CHECK,
        "Against the target: no image differs",
        r"F_{NN}(P) = Y(P) \text{ on } \text{all 64 binary } 2 \times 3 "
        r"\text{ images}",
    )
