"""notebooks/count11.ipynb runs clean, and what it displays is the lecture's L2-L4."""

import re
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "count11.ipynb"


def executed():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()  # raises CellExecutionError on the first failing cell
    return notebook


def shown(notebook, mime: str) -> list[str]:
    """Every output of type `mime`, in cell order."""
    return [
        output["data"][mime]
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if mime in output.get("data", {})
    ]


def unbroken(latex: str) -> str:
    """An aligned block with its continuation lines joined back."""
    return re.sub(r"\s*\\\\\s*&\\quad\s*\{\}\s*", " ", latex)


def test_count11_notebook_displays_the_lecture_forms():
    notebook = executed()
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type in ("error", "stream")]
    latex = unbroken("\n".join(shown(notebook, "text/latex")))
    for form in (  # slide L3, then slide L4 with the hand-picked weights
        r"a_{11} &= p_{11} w_{1} + p_{12} w_{2}",
        r"L(w) &= (F_{NN}(P_{1}) - 1)^{2} + (F_{NN}(P_{2}) - 2)^{2}",
        r"a_{11} &= p_{11} + p_{12}",
        r"F_{NN}(P) &= f(a_{11} - 1) + f(a_{12} - 1) + f(a_{21} - 1) + f(a_{22} - 1)",
        r"F_{NN}(P) &= f(p_{11} + p_{12} - 1) + f(p_{12} + p_{13} - 1) "
        r"+ f(p_{21} + p_{22} - 1) + f(p_{22} + p_{23} - 1)",
        r"Y(p_{11}, p_{12}, p_{13}, p_{21}, p_{22}, p_{23}) = "
        r"p_{11} p_{12} + p_{12} p_{13} + p_{21} p_{22} + p_{22} p_{23}",
    ):
        assert form in latex, form
    (table,) = shown(notebook, "text/markdown")
    assert "| total |  | 22 | 5 | 27 | 33 |" in table.splitlines()
    assert shown(notebook, "text/plain")[2] == "(True, 0)"  # net.symbol vs sp.Symbol
    check, train = shown(notebook, "text/html")
    assert "\nLoss L(w) = 0\n" in check
    assert "\nExhaustive: 64 of 64 binary 2x3 images match the target\n" in check
    assert train.startswith("<pre>Final loss ") and "data:image/png;base64," in train
