"""Deep networks: every form prints at the layer limit (no RecursionError), and a
deeper network is refused up front with the limit in the message."""

import inspect
import sys

import pytest
import sympy as sp

import symcnn as sc
from symcnn.cli.main import main
from symcnn.limits import MAX_LAYERS
from symcnn.typeset.latex import FormulaTooLarge, make_printer, written_size


def deepest_network():
    """MAX_LAYERS layers, every kind, nothing named: F_NN(P) nests through all."""
    kinds = [
        lambda: sc.Conv2D(1, (1, 1), activation="relu"),
        lambda: sc.MaxPool2D(1),
        lambda: sc.Dense(1, activation="leaky_relu"),
        lambda: sc.Dense(1),
    ]
    layers = [kinds[n % len(kinds)]() for n in range(MAX_LAYERS - 1)]
    return sc.Network(sc.Input(height=1, width=2), *layers, sc.Dense(1))


def test_a_network_at_the_layer_limit_prints_every_form():
    data = sc.Dataset.from_rows([("01", 1)])
    derivation = sc.derive(deepest_network(), data)
    text = derivation.to_text(expanded=True, width=80)
    latex = derivation.to_latex(expanded=True, width=60, elide=3)
    as_json = derivation.to_json(expanded=True)
    (output,) = as_json["output_expanded"]
    # 13 ReLU layers (the first one's two values both reach the next), 12 leaky.
    assert output.count("f(") == 13 + 1
    assert output.count(r"\operatorname{LReLU}(") == 12
    assert output.startswith(r"f((\operatorname{LReLU}(f((\operatorname{LReLU}(f(")
    assert "F_{NN}(P) = " in text and r"F_{NN}(P) &= " in latex


def test_one_layer_over_the_limit_is_refused_with_the_limit():
    layers = [sc.Dense(1, activation="relu")] * MAX_LAYERS + [sc.Dense(1)]
    with pytest.raises(
        sc.SymcnnError,
        match=rf"^the network has {MAX_LAYERS + 1} layers, more than the "
        rf"{MAX_LAYERS} symcnn derives .*; use fewer layers$",
    ):
        sc.Network(sc.Input(height=1, width=1), *layers)


def test_a_spec_of_3000_pooling_layers_is_refused(tmp_path, capsys):
    spec = tmp_path / "pools.toml"
    spec.write_text(
        "[input]\nheight = 1\nwidth = 1\n"
        + '[[layers]]\ntype = "maxpool"\nsize = 1\n' * 3000
    )
    assert main(["derive", str(spec)]) == 2
    err = capsys.readouterr().err
    assert "the network has 3000 layers, more than the 50 symcnn derives" in err


def test_a_formula_deeper_than_the_stack_is_a_symcnn_error():
    x = sp.Symbol("x")
    deep = x
    for _ in range(200):
        deep = sc.model.activations.ReLU(deep + 1)
    limit = sys.getrecursionlimit()
    # A caller already deep in its stack: printing 200 levels cannot fit.
    sys.setrecursionlimit(len(inspect.stack()) + 300)
    try:
        for fmt in ("latex", "text"):
            with pytest.raises(
                sc.SymcnnError, match=r"^a formula nests too deeply to print within"
            ):
                make_printer({}, fmt).doprint(deep)
    finally:
        sys.setrecursionlimit(limit)


def doubling_network(layers: int):
    """Unnamed dense layers of 2 units: F_NN(P) written out doubles with each."""
    hidden = [sc.Dense(2, activation="relu")] * layers
    return sc.Network(sc.Input(height=1, width=2), *hidden, sc.Dense(1))


def test_written_size_counts_every_copy_of_a_shared_subexpression():
    a, b, c = sp.symbols("a b c")
    shared = sp.Add(a, b, evaluate=False)
    twice = sp.Mul(c, sc.model.activations.ReLU(shared), evaluate=False)
    assert written_size(shared) == 3
    assert written_size(sp.Add(twice, shared, evaluate=False)) == 1 + 6 + 3
    long_sum = sp.Add(*sp.symbols("t_1:11"), evaluate=False)
    assert written_size(long_sum) == 11 and written_size(long_sum, elide=3) == 4


def test_a_formula_too_long_to_print_is_refused_before_printing():
    derivation = sc.derive(doubling_network(18), sc.Dataset.from_rows([("01", 1)]))
    with pytest.raises(
        FormulaTooLarge,
        match=r"^a formula would be written with 4,194,296 symbols and operations, "
        r"more than the 500,000 symcnn prints; give a layer a `name`",
    ):
        derivation.to_text()


def test_run_goes_on_to_training_when_the_formulas_are_too_long(tmp_path, capsys):
    spec = tmp_path / "doubling.toml"
    spec.write_text(
        "[input]\nheight = 1\nwidth = 2\n"
        + '[[layers]]\ntype = "dense"\nunits = 2\nactivation = "relu"\n' * 18
        + '[[layers]]\ntype = "dense"\nunits = 1\n'
        + '[data]\nsamples = [{ image = "01", y = 1 }]\n[train]\nsteps = 5\n'
    )
    assert main(["run", str(spec)]) == 0
    out = capsys.readouterr().out
    assert "== Derivation ==\n(a formula would be written with 4,194,296" in out
    assert "Learned F_NN(P): not written; symcnn train --formula" in out
    assert main(["train", str(spec), "--formula", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "Learned F_NN(P) = (not written out: a formula would be" in out
