"""What Jupyter shows: every report object has a rich display with the CLI's content,
short reprs, displayable LaTeX and figures, and symcnn's own symbols by name."""

import pytest
import sympy as sp
from conftest import DERIVATIONS, count11_network

import symcnn as sc
from symcnn.cli.check_report import check_text
from symcnn.model.display import RENDERERS, RichDisplay, register, rendered

DATA = sc.Dataset.from_rows([("011/001", 1), ("110/011", 2), ("101/010", 0)])
L4 = {"w_1": 1, "w_2": 1, "w_{11,1}": 1, "w_{12,2}": 1, "w_{21,3}": 1,
      "w_{22,4}": 1, "b_1": -1, "b_2": -1, "b_3": -1, "b_4": -1,
      "w_{1,0}": 1, "w_{2,0}": 1, "w_{3,0}": 1, "w_{4,0}": 1}  # fmt: skip


def test_network_shows_its_summary_table_and_a_short_repr():
    net = count11_network()
    markdown = net._repr_markdown_()
    assert markdown.splitlines()[0] == (
        "| layer | output | weights | biases | parameters | mult-adds |"
    )
    assert "| 2: Dense 4 (relu) | 4 x 1x1 | 4·4 = 16 | 4 | 20 | 20 |" in markdown
    assert repr(net) == (
        "Network(Input(height=2, width=3), Conv2D(filters=1, kernel=(1, 2), "
        "name='a'), Dense(units=4, activation='relu'), Dense(units=1, "
        "weight_first=True, bias_first=True))"
    )
    public = {n: getattr(sc, n) for n in sc.__all__}
    rebuilt = eval(repr(net), public)  # the repr is the call that makes it
    assert rebuilt.parameters == net.parameters


def test_layer_reprs_name_only_what_differs_from_the_defaults():
    leaky = sc.Dense(3, activation=sc.activation("leaky_relu", slope=0.2))
    assert repr(leaky) == (
        "Dense(units=3, activation=activation('leaky_relu', slope='1/5'))"
    )
    assert repr(sc.AvgPool2D(2)) == "Pool2D(size=(2, 2), mode='avg')"
    assert repr(sc.Conv2D(2, 3, padding="same", activation="relu")) == (
        "Conv2D(filters=2, kernel=(3, 3), padding=((1, 1), (1, 1)), activation='relu')"
    )
    assert repr(sc.Flatten()) == "Flatten()"


def test_check_report_shows_the_check_command_report():
    report = sc.check(count11_network(), L4, DATA, missing="zero",
                      target=sc.count_pattern("11"))  # fmt: skip
    assert repr(report) == (
        "<CheckReport: loss 0, gradient zero, 8 kinks, 64/64 images match>"
    )
    shown = report._repr_html_()
    assert shown.startswith("<pre>Exact check (rational arithmetic, nothing rounded)")
    text = check_text(report)
    assert shown == "<pre>" + text.replace("&", "&amp;").replace("<", "&lt;").replace(
        ">", "&gt;"
    ).replace('"', "&quot;").replace("'", "&#x27;") + "</pre>"
    assert len(repr(report)) < 100  # was an 8,312-character dataclass dump


def test_train_result_shows_the_report_and_the_loss_curve():
    result = sc.train(count11_network(), DATA)
    assert repr(result) == (
        f"<TrainResult: loss {result.final_loss:.3e} after {result.steps} steps "
        "(tolerance), 27 weights>"
    )
    shown = result._repr_html_()
    assert shown.startswith("<pre>Final loss ")
    assert "Snapped to simple fractions:" in shown  # describe() ran on the data
    assert "\nRight on 3 of 3 training samples" in shown  # as `symcnn train` says
    assert '<img alt="training loss" src="data:image/png;base64,iVBORw0KGgo' in shown


def test_derivation_display_honours_width_and_shown_is_displayable_latex():
    narrow = sc.derive(count11_network(), DATA, width=40)._repr_latex_()
    wide = sc.derive(count11_network(), DATA)._repr_latex_()
    assert narrow.startswith("$$\n\\begin{aligned}\n") and narrow.endswith("\n$$")
    assert narrow.count("\\\\\n") > wide.count("\\\\\n") > 6
    shown = sc.derive(count11_network(), DATA).shown(width=50, expanded=True)
    assert isinstance(shown, str) and shown.startswith("\\begin{aligned}")
    assert shown._repr_latex_() == f"$$\n{shown}\n$$"


def test_function_latex_is_a_str_that_jupyter_typesets():
    def count(p_11, p_12):
        return p_11 * p_12

    latex = sc.function_latex(count, name="Y")
    assert latex == r"Y(p_{11}, p_{12}) = p_{11} p_{12}"
    assert latex._repr_latex_() == "$$\n" + latex + "\n$$"


def test_plots_return_figures_that_show_themselves_and_a_path_is_optional(tmp_path):
    figure = sc.plot_loss([4.0, 1.0, 0.25])
    assert type(figure).__mro__[1].__name__ == "Figure"
    assert figure._repr_png_().startswith(b"\x89PNG")
    grids = sc.plot_grids([[[1, 0], [0, 1]]], ["X"], tmp_path / "x.png")
    assert (tmp_path / "x.png").read_bytes().startswith(b"\x89PNG")
    assert grids._repr_png_().startswith(b"\x89PNG")


def test_composed_kernel_shows_as_a_matrix():
    spec = sc.read_spec(DERIVATIONS / "l7_filters.toml")
    exact = sc.read_weight_file(DERIVATIONS / "l7_filters-weights.toml").resolve(
        spec.network
    )
    by_name = {p.name.latex: v for p, v in zip(spec.network.parameters, exact)}
    latex = sc.compose(spec.network, by_name)._repr_latex_()
    assert (
        r"K_{1} &= \begin{pmatrix} 0 & -1 & 0 \\ -1 & 1 & -1 \\ 0 & -1 & 0 "
        r"\end{pmatrix}" in latex
    )  # slide L7: diag - ones + antidiag


def test_symbols_are_symcnns_own_and_unknown_names_are_refused():
    net = count11_network()
    w1 = net.symbol("w_1")
    assert w1.is_real and w1 == net.symbol("w_{1}")
    a11 = sc.build_trace(net).rows[0].expr  # p_{11} w_{1} + p_{12} w_{2}
    assert sp.diff(a11, w1) == net.symbol("p_11")
    assert sp.diff(a11, sp.Symbol("w_1")) == 0  # why users need net.symbol
    symbols = sc.derive(net, DATA).symbols
    assert symbols["w_{11,1}"] == net.symbol("w_{11, 1}") and "a_{11}" in symbols
    assert "w_{5}" not in symbols
    with pytest.raises(sc.SymcnnError, match=r"^'w_5' is not a symbol of this network"):
        net.symbol("w_5")


def test_a_class_without_a_renderer_displays_nothing_and_registration_is_checked():
    class Plain(RichDisplay):
        pass

    assert Plain()._repr_html_() is None
    register(Plain, "latex", lambda obj: "$x$")
    try:
        assert rendered(Plain(), "latex") == "$x$"
    finally:
        del RENDERERS[(Plain, "latex")]
    with pytest.raises(ValueError, match="unknown display kind 'svg'"):
        register(Plain, "svg", str)
