"""Slide L9's table: exact values printed as LaTeX, never as SymPy code."""

from conftest import DERIVATIONS

from symcnn.cli.main import main
from symcnn.files.spec import read_spec
from symcnn.files.weights import read_weight_file
from symcnn.typeset.embedding_report import embeddings

SPEC = str(DERIVATIONS / "l9_embeddings.toml")
ROOT = r"\frac{17 \sqrt{291}}{291}"


def table():
    spec = read_spec(SPEC)
    weights = read_weight_file(DERIVATIONS / "l9_embeddings-weights.toml")
    weights = weights.resolve(spec.network, None)
    return embeddings(spec.network, weights, spec.data, "e")


def test_embed_text_is_golden_and_has_no_sympy_code(capsys):
    assert main(["embed", SPEC, "--layer", "e"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[:8] == [
        "Embeddings at layer 'e' (3 numbers each):",
        "  P1: (5, 5, 5)",
        "  P2: (10, 10, 10)",
        "  P3: (15, 15, 15)",
        "  P4: (6, 5, 6)",
        "cos(phi) of every pair, exact in LaTeX (and as a decimal):",
        "  P1, P2: 1 (1)",
        "  P1, P3: 1 (1)",
    ]
    assert f"  P1, P4: {ROOT} (0.9966)" in out
    assert "sqrt(" not in out and "*" not in out


def test_embeddings_display_in_latex_and_markdown():
    shown = table()
    latex = shown._repr_latex_()
    assert latex.startswith("$$\n\\begin{aligned}\n\\cos\\varphi &= \\frac{a_{1} b_{1}")
    assert rf"\cos\varphi(P1, P4) &= {ROOT} \approx 0.9966" in latex
    markdown = shown._repr_markdown_()
    assert "| P4 | (6, 5, 6) |" in markdown
    assert f"| P1 | $1$ | $1$ | $1$ | ${ROOT}$ |" in markdown
    assert repr(shown) == "<Embeddings at layer 'e': 4 images, cosine>"


def test_embed_json_has_latex_values(capsys):
    assert main(["embed", SPEC, "--layer", "e", "--format", "json"]) == 0
    import json

    result = json.loads(capsys.readouterr().out)
    assert result["matrix_latex"][0][3] == ROOT
