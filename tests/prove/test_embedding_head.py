"""An embedding runs only the layers up to its own (prove/embeddings.py
embedding_table): a sigmoid head after it is not refused; a zero embedding under the
cosine names its image."""

import pytest
from conftest import DERIVATIONS

import symcnn as sc
from symcnn.cli.main import main

L9 = (DERIVATIONS / "l9_embeddings.toml").read_text()
HEAD = '\n[[layers]]\ntype = "dense"\nunits = 1\nactivation = "sigmoid"\n'


def with_head(tmp_path):
    """l9_embeddings with a dense sigmoid layer after the embedding e."""
    text = L9.replace("\n[data]", HEAD + "\n[data]", 1)
    spec = tmp_path / "l9s.toml"
    spec.write_text(text)
    weights = (DERIVATIONS / "l9_embeddings-weights.toml").read_text()
    head = "\n[layers.3]\nweight = [[1, 0, 0]]\nbias = [0]\n"
    (tmp_path / "l9s-weights.toml").write_text(weights + head)
    return spec


def test_a_sigmoid_layer_after_the_embedding_is_not_refused(tmp_path, capsys):
    spec = with_head(tmp_path)
    assert main(["embed", str(spec), "--layer", "e", "--metric", "euclidean"]) == 0
    out = capsys.readouterr().out
    assert "  P1: (5, 5, 5)\n  P2: (10, 10, 10)\n" in out
    assert "  P1, P2: 5 \\sqrt{3} (8.66)" in out


def test_the_api_gives_the_same_table_with_and_without_the_head(tmp_path):
    plain = sc.read_spec(DERIVATIONS / "l9_embeddings.toml")
    weights = sc.read_weight_file(DERIVATIONS / "l9_embeddings-weights.toml")
    headed = sc.read_spec(with_head(tmp_path))
    exact = weights.resolve(plain.network)
    a = sc.embeddings(plain.network, exact, plain.data, layer="e")
    b = sc.embeddings(headed.network, (*exact, 1, 0, 0, 0), headed.data, layer="e")
    assert a.vectors == b.vectors and a.matrix == b.matrix


def test_the_input_embedding_needs_no_exact_layer(tmp_path):
    headed = sc.read_spec(with_head(tmp_path))
    weights = [1] * len(headed.network.parameters)
    table = sc.embeddings(headed.network, weights, headed.data, layer="input")
    assert table.vectors[0] == (1, 0, 1, 0, 1, 0, 1, 0, 1)


def test_a_tanh_layer_before_the_embedding_is_refused_listing_leaky_relu():
    spec = sc.read_spec(DERIVATIONS / "l9_embeddings.toml")
    layers = list(spec.network.layers)
    layers[0] = sc.Conv2D(2, 2, activation="tanh")
    network = sc.Network(spec.network.input, *layers)
    weights = [1] * len(network.parameters)
    with pytest.raises(sc.SymcnnError, match="need relu, leaky_relu or identity"):
        sc.embeddings(network, weights, spec.data, layer="e")


def test_a_zero_embedding_under_the_cosine_names_its_image():
    spec = sc.read_spec(DERIVATIONS / "l9_embeddings.toml")
    zero = [0] * len(spec.network.parameters)
    with pytest.raises(sc.SymcnnError, match="the embedding of P1 at layer 2 is the"):
        sc.embeddings(spec.network, zero, spec.data, layer="e")
