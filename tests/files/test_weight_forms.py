"""Every function that takes weights takes them in every form (files/weights.py
resolve): a dict by name, values in the network's order, a WeightFile, a TrainResult;
anything else is a WeightsError that names the accepted forms."""

import numpy as np
import pytest
import sympy as sp
from conftest import DERIVATIONS

import symcnn as sc

SPEC = sc.read_spec(DERIVATIONS / "count11.toml")
FILE = sc.read_weight_file(DERIVATIONS / "count11-weights.toml")
EXACT = FILE.resolve(SPEC.network)


@pytest.mark.parametrize(
    "given", [list(EXACT), tuple(EXACT), np.array(EXACT, dtype=object), FILE]
)
def test_check_takes_values_in_order_and_a_weight_file(given):
    report = sc.check(SPEC.network, given, SPEC.data, second_order=False)
    assert report.loss == 0 and report.weights == EXACT


def test_embeddings_compose_and_resolve_take_a_weight_file():
    spec = sc.read_spec(DERIVATIONS / "l9_embeddings.toml")
    weights = sc.read_weight_file(DERIVATIONS / "l9_embeddings-weights.toml")
    table = sc.embeddings(spec.network, weights, spec.data, layer="e")
    assert table.vectors[0] == (5, 5, 5)
    assert sc.resolve(spec.network, weights) == weights.resolve(spec.network)
    l7 = sc.read_spec(DERIVATIONS / "l7_filters.toml")
    l7_weights = sc.read_weight_file(DERIVATIONS / "l7_filters-weights.toml")
    by_file = sc.compose(l7.network, l7_weights)
    by_list = sc.compose(l7.network, list(l7_weights.resolve(l7.network)))
    assert str(by_file) == str(by_list)


def test_a_weight_file_keeps_its_own_missing_policy(tmp_path):
    spec = sc.parse_spec(
        '[input]\nheight = 1\nwidth = 2\n[[layers]]\ntype = "dense"\nunits = 1'
    )
    path = tmp_path / "zero-weights.toml"
    path.write_text('missing = "zero"\n[weights]\n"w_{11,0}" = 3\n')
    assert sc.resolve(spec.network, sc.read_weight_file(path)) == (3, 0, 0)


@pytest.mark.parametrize("given", ["w_1=1", 3, {1, 2}, None])
def test_other_forms_are_refused_naming_the_forms(given):
    with pytest.raises(sc.WeightsError) as error:
        sc.check(SPEC.network, given, SPEC.data)
    message = str(error.value)
    assert f"weights given as {type(given).__name__}" in message
    assert "sc.read_weight_file(" in message and "a list or tuple" in message


def test_a_list_of_the_wrong_length_names_the_order():
    with pytest.raises(
        sc.WeightsError,
        match=r"26 values for the network's 27 "
        r"parameters; .* w_\{1\}, w_\{2\}, w_\{11,1\}",
    ):
        sc.check(SPEC.network, list(EXACT)[:-1], SPEC.data)


def test_a_value_in_a_list_that_is_no_number_is_named_by_its_parameter():
    with pytest.raises(sc.SymcnnError, match=r"w_\{2\}: 'x' is not a number"):
        sc.resolve(SPEC.network, [1, "x", *EXACT[2:]])


def test_to_torch_takes_a_weight_file_and_a_train_result():
    torch = pytest.importorskip("torch")
    by_file = sc.to_torch(SPEC.network, FILE)
    by_list = sc.to_torch(SPEC.network, list(EXACT))
    image = torch.tensor([[[[0.0, 1.0, 1.0], [0.0, 0.0, 1.0]]]], dtype=torch.float64)
    assert by_file(image).item() == by_list(image).item() == 1.0
    result = sc.train(SPEC.network, SPEC.data, steps=2, seed=0)
    trained = sc.to_torch(SPEC.network, result)
    assert (
        trained(image).item() == sc.to_torch(SPEC.network, result.weights)(image).item()
    )
    with pytest.raises(sc.WeightsError, match="to_torch: weights given as str"):
        sc.to_torch(SPEC.network, "w_1 = 1")


def test_numpy_scalars_are_numbers():
    halves = [np.float64(0.5)] * (len(EXACT) - 1) + [np.int64(2)]
    assert sc.resolve(SPEC.network, halves)[-2:] == (sp.Rational(1, 2), 2)
    by_name = sc.resolve(SPEC.network, {"w_1": np.float32(0.25)}, missing="zero")
    assert by_name[0] == sp.Rational(1, 4)


def test_accuracy_takes_a_weight_file():
    assert sc.accuracy(SPEC.network, FILE, SPEC.data) == sc.accuracy(
        SPEC.network, list(EXACT), SPEC.data
    )
