"""Golden LaTeX of slides L1-L4, character for character."""

from conftest import L4_WEIGHTS, count11_network, l1_network

import symcnn as sc


def lines(derivation, section):
    return [
        f"{lhs} = {rhs}"
        for s, lhs, rhs in derivation.lines("latex", expanded=True)
        if s == section
    ]


def test_l1_feature_map_equations_use_W_and_pixel_first_products():
    derivation = sc.derive(l1_network())
    assert lines(derivation, "equations")[:4] == [
        r"a_{11} = p_{11} W_{11} + p_{12} W_{12} + p_{21} W_{21} + p_{22} W_{22}",
        r"a_{12} = p_{12} W_{11} + p_{13} W_{12} + p_{22} W_{21} + p_{23} W_{22}",
        r"a_{21} = p_{21} W_{11} + p_{22} W_{12} + p_{31} W_{21} + p_{32} W_{22}",
        r"a_{22} = p_{22} W_{11} + p_{23} W_{12} + p_{32} W_{21} + p_{33} W_{22}",
    ]


def test_l1_output_neuron_and_f_nn():
    derivation = sc.derive(l1_network())
    assert lines(derivation, "equations")[4] == (
        r"a = f(a_{11}) v_{11} + f(a_{12}) v_{12} + f(a_{21}) v_{21} + f(a_{22}) v_{22}"
    )
    assert lines(derivation, "output") == [r"F_{NN}(P) = f(a)"]


def test_l1_expanded_f_nn_reads_as_it_should_with_p22_not_the_printed_p23():
    (expanded,) = lines(sc.derive(l1_network()), "output expanded")
    assert expanded == (
        r"F_{NN}(P) = f("
        r"f(p_{11} W_{11} + p_{12} W_{12} + p_{21} W_{21} + p_{22} W_{22}) v_{11} + "
        r"f(p_{12} W_{11} + p_{13} W_{12} + p_{22} W_{21} + p_{23} W_{22}) v_{12} + "
        r"f(p_{21} W_{11} + p_{22} W_{12} + p_{31} W_{21} + p_{32} W_{22}) v_{21} + "
        r"f(p_{22} W_{11} + p_{23} W_{12} + p_{32} W_{21} + p_{33} W_{22}) v_{22})"
    )


def test_l3_convolution_equations():
    assert lines(sc.derive(count11_network()), "equations") == [
        r"a_{11} = p_{11} w_{1} + p_{12} w_{2}",
        r"a_{12} = p_{12} w_{1} + p_{13} w_{2}",
        r"a_{21} = p_{21} w_{1} + p_{22} w_{2}",
        r"a_{22} = p_{22} w_{1} + p_{23} w_{2}",
    ]


def test_l3_nested_f_nn():
    (nested,) = lines(sc.derive(count11_network()), "output")
    neurons = [
        rf"w_{{{k},0}} f(a_{{11}} w_{{11,{k}}} + a_{{12}} w_{{12,{k}}} + "
        rf"a_{{21}} w_{{21,{k}}} + a_{{22}} w_{{22,{k}}} + b_{{{k}}})"
        for k in range(1, 5)
    ]
    assert nested == r"F_{NN}(P) = b_{0} + " + " + ".join(neurons)


def test_l3_expanded_f_nn_first_neuron():
    (expanded,) = lines(sc.derive(count11_network()), "output expanded")
    assert expanded.startswith(
        r"F_{NN}(P) = b_{0} + w_{1,0} f((p_{11} w_{1} + p_{12} w_{2}) w_{11,1} + "
        r"(p_{12} w_{1} + p_{13} w_{2}) w_{12,1} + "
        r"(p_{21} w_{1} + p_{22} w_{2}) w_{21,1} + "
        r"(p_{22} w_{1} + p_{23} w_{2}) w_{22,1} + b_{1}) + w_{2,0} f("
    )


def test_l2_loss_keeps_minus_zero(count11_data):
    (loss,) = lines(sc.derive(count11_network(), count11_data), "loss")
    assert loss == (
        r"L(w) = (F_{NN}(P_{1}) - 1)^{2} + (F_{NN}(P_{2}) - 2)^{2} + "
        r"(F_{NN}(P_{3}) - 0)^{2}"
    )


def test_loss_with_images_substitutes_pixels_in_order(count11_data):
    (loss,) = lines(sc.derive(count11_network(), count11_data), "loss with images")
    # P1 = 011/001: a_{11} = w_{2}, a_{12} = w_{1} + w_{2}, a_{21} = 0, a_{22} = w_{2}
    assert loss.startswith(
        r"L(w) = (b_{0} + w_{1,0} f(w_{2} w_{11,1} + (w_{1} + w_{2}) w_{12,1} + "
        r"w_{2} w_{22,1} + b_{1}) + "
    )
    assert loss.count(")^{2}") == 3


def test_l4_substituted_forms_read_as_on_the_slide(count11_data):
    derivation = sc.derive(count11_network(), count11_data, L4_WEIGHTS, missing="zero")
    assert lines(derivation, "with weights") == [
        r"a_{11} = p_{11} + p_{12}",
        r"a_{12} = p_{12} + p_{13}",
        r"a_{21} = p_{21} + p_{22}",
        r"a_{22} = p_{22} + p_{23}",
        r"F_{NN}(P) = f(a_{11} - 1) + f(a_{12} - 1) + f(a_{21} - 1) + f(a_{22} - 1)",
        r"F_{NN}(P) = f(p_{11} + p_{12} - 1) + f(p_{12} + p_{13} - 1) + "
        r"f(p_{21} + p_{22} - 1) + f(p_{22} + p_{23} - 1)",
        r"L(w) = (1 - 1)^{2} + (2 - 2)^{2} + (0 - 0)^{2} = 0",
    ]


def test_text_form_matches_slides_md(count11_data):
    text = sc.derive(count11_network(), count11_data).to_text()
    assert "  a_{11} = p_{11} w_{1} + p_{12} w_{2}" in text
    assert (
        "  L(w) = (F_{NN}(P_{1}) - 1)^2 + (F_{NN}(P_{2}) - 2)^2 + (F_{NN}(P_{3}) - 0)^2"
        in text
    )
    assert text.endswith("where f = ReLU, f(x) = max(0, x)")


def test_latex_block_is_an_aligned_environment(count11_data):
    latex = sc.derive(count11_network(), count11_data).to_latex()
    assert latex.startswith(
        "\\begin{aligned}\na_{11} &= p_{11} w_{1} + p_{12} w_{2} \\\\\n"
    )
    assert latex.endswith("\\end{aligned}")
    assert (
        sc.derive(count11_network())._repr_latex_().startswith("$$\n\\begin{aligned}")
    )


def test_renamed_letters_and_comma_indices_from_ten():
    net = sc.Network(
        sc.Input(height=1, width=11, letter="x"),
        sc.Conv2D(1, (1, 2), name="h", letter="k"),
    )
    (*_, last) = lines(sc.derive(net), "equations")
    assert last == r"h_{1,10} = x_{1,10} k_{1} + x_{1,11} k_{2}"


def test_negative_and_fractional_weights_print_exactly():
    net = sc.Network(sc.Input(height=1, width=2), sc.Conv2D(1, (1, 2), name="a"))
    derivation = sc.derive(net, weights={"w_1": "1/2", "w_2": -1})
    assert lines(derivation, "with weights") == [
        r"a_{11} = \frac{p_{11}}{2} - p_{12}",  # F_NN(P) = a_{11} says nothing more
    ]
