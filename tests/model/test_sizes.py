"""Sizes in Python integers: a spec can say 2**62 filters, and no size wraps at
int64 on its way to the limit on the trace (shapes.check_size)."""

import pytest

from conftest import DERIVATIONS

import symcnn as sc
from symcnn.errors import SymcnnError
from symcnn.files.spec import parse_spec
from symcnn.model.shapes import count_text, infer_shapes


def test_filters_of_2_to_the_62_are_refused_by_the_size_limit():
    # Before: np.prod wrapped the flattened 2**63 values to -2**63, the term count
    # went negative, the limit passed and NumPy failed with "array is too big".
    with pytest.raises(
        SymcnnError,
        match=r"^the network would have about 10\^19 terms in its trace, over the "
        r"limit of 500,000 \(about a minute to derive\)",
    ):
        sc.Network(
            sc.Input(height=2, width=1), sc.Conv2D(2**62, 1), sc.Flatten(), sc.Dense(2)
        )


def test_a_spec_with_filters_of_2_to_the_62_says_so_with_the_usual_message():
    text = (
        "[input]\nheight = 2\nwidth = 1\n"
        f'[[layers]]\ntype = "conv"\nfilters = {2**62}\nkernel = 1\n'
        '[[layers]]\ntype = "flatten"\n[[layers]]\ntype = "dense"\nunits = 2\n'
    )
    with pytest.raises(
        SymcnnError, match=r"layers: the network would have about 10\^19 terms"
    ):
        parse_spec(text, max_terms=10**12)


def test_flattened_sizes_are_exact_python_integers():
    input_layer = sc.Input(height=2, width=1)
    shapes = sc.Network(input_layer, sc.Conv2D(3, 1), sc.Flatten()).shapes
    assert shapes[-1] == (6, 1, 1)
    huge = infer_shapes(input_layer, (sc.Conv2D(2**62, 1), sc.Flatten()))
    assert huge[-1] == (2**63, 1, 1)


def test_term_counts_print_in_a_line_whatever_their_size():
    assert count_text(500_001) == "500,001"
    assert count_text(10**18) == "about 10^18"
    assert count_text(7 * 10**3000) == "about 10^3000"


def test_a_raised_max_terms_still_stops_at_what_a_machine_holds():
    # Before: max_terms=10**23 let 2**63 values through to np.empty ("array is too
    # big", an internal error).
    with pytest.raises(
        SymcnnError,
        match=r"^the network would have about 10\^19 terms in its trace, more than "
        r"any machine holds \(limits\.MAX_TRACE_TERMS: 1,000,000,000, whatever "
        r"max_terms says\)",
    ):
        sc.Network(
            sc.Input(height=2, width=1),
            sc.Conv2D(2**62, 1),
            sc.Flatten(),
            sc.Dense(2),
            max_terms=10**23,
        )


def test_a_network_too_large_to_derive_points_to_summary():
    with pytest.raises(SymcnnError, match=r"; `symcnn summary` counts its shapes"):
        sc.read_spec(DERIVATIONS / "vgg16.toml")
