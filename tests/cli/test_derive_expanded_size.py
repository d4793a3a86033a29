"""derive --expanded --format json: the expanded length is known before the work
(cli/expanded_size.py) and an over-long one is refused at once."""

import pytest
from conftest import DERIVATIONS, count11_network
from hypothesis import given, settings
from strategies import architectures

import symcnn as sc
from symcnn.cli import expanded_size as module
from symcnn.cli.main import main
from symcnn.typeset.latex import written_size


def named_network():
    return sc.Network(
        sc.Input(height=4, width=4),
        sc.Conv2D(2, (2, 2), activation="relu", name="a"),
        sc.Dense(3, activation="relu", name="h"),
        sc.Dense(2),
    )


@pytest.mark.parametrize("network", [count11_network(), named_network()])
def test_the_size_is_the_expanded_formulas_written_size(network):
    derivation = sc.derive(network)
    expanded = derivation.output(expanded=True)
    assert module.expanded_size(derivation) == max(map(written_size, expanded))


@settings(max_examples=10, deadline=None)
@given(architectures(activations=("identity", "relu")))
def test_the_size_on_random_nets(case):
    derivation = sc.derive(case[0])
    expanded = derivation.output(expanded=True)
    assert module.expanded_size(derivation) == max(map(written_size, expanded))


def test_an_over_long_expansion_is_refused_before_the_work(capsys, monkeypatch):
    size = module.expanded_size(sc.derive(count11_network()))
    monkeypatch.setattr(module, "MAX_PRINTED_SIZE", size - 1)
    monkeypatch.setattr(
        sc.Derivation, "to_json", lambda *a, **k: pytest.fail("did the work")
    )
    spec = str(DERIVATIONS / "count11.toml")
    code = main(["derive", spec, "--format", "json", "--expanded"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert (
        f"--expanded: F_NN expanded to pixels would be written with {size:,} "
        f"symbols and operations, more than the {size - 1:,} symcnn prints "
        "(limits.MAX_PRINTED_SIZE); leave out --expanded" in err
    )
