"""Every spec in derivations/ runs, and reproduces its slide."""

import pytest
from conftest import DERIVATIONS, L4_WEIGHTS, l1_network

import symcnn as sc
from symcnn.cli.main import main

#: Too large to derive (billions of terms): shipped to be summarized only.
SUMMARY_ONLY = {"vgg16", "alexnet"}
SPECS = sorted(
    p
    for p in DERIVATIONS.glob("*.toml")
    if not p.stem.endswith("-weights") and p.stem not in SUMMARY_ONLY
)


def test_there_are_derivations():
    assert {p.name for p in SPECS} >= {"count11.toml", "l1_explicit.toml"}


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.name)
def test_every_derivation_runs(spec, capsys):
    assert main(["run", str(spec)]) == 0
    assert "== Derivation ==" in capsys.readouterr().out


def test_l1_spec_equals_the_python_api():
    from_spec = sc.Derivation(
        sc.build_trace(sc.read_spec(DERIVATIONS / "l1_explicit.toml").network)
    )
    from_api = sc.derive(l1_network())
    assert from_spec.to_latex(expanded=True) == from_api.to_latex(expanded=True)


def test_count11_weight_file_is_slide_l4():
    spec = sc.read_spec(DERIVATIONS / "count11.toml")
    weights = sc.read_weight_file(DERIVATIONS / "count11-weights.toml").resolve(
        spec.network
    )
    assert weights == sc.resolve(spec.network, L4_WEIGHTS, missing="zero")
