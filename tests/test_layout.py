"""The package layout is the pipeline: each stage imports only the stages below it."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "symcnn"

#: What each stage may import besides itself and `errors` (DESIGN.md, "Layout").
MAY_IMPORT = {
    "model": set(),
    "files": {"model"},
    "symbolic": {"model"},
    "prove": {"model", "symbolic"},
    "numeric": {"model", "symbolic", "prove"},
    "typeset": {"model", "files", "symbolic", "prove"},
    "formulas": {"model", "symbolic", "typeset"},
    "explore": {"model", "files", "symbolic", "prove", "numeric", "typeset"},
    "cli": {
        "model", "files", "symbolic", "prove", "numeric", "typeset", "formulas",
        "explore",
    },
}
SHARED = {"errors", "limits", "__version__"}  # shared by every stage


def modules():
    return sorted(p for p in PACKAGE.rglob("*.py") if p.parent != PACKAGE)


def imported_stages(path: Path) -> set[tuple[str, int]]:
    """(first name below `symcnn`, line) for every import of symcnn in `path`,
    relative or absolute, at any depth of the module (functions included)."""
    stage = path.parent.name
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1:
                found.add((stage, node.lineno))
            elif node.level == 2:
                top = node.module.split(".")[0] if node.module else None
                names = [top] if top else [alias.name for alias in node.names]
                found |= {(name, node.lineno) for name in names}
            elif node.level == 0 and (node.module or "").startswith("symcnn"):
                parts = node.module.split(".")
                found.add((parts[1] if len(parts) > 1 else "symcnn", node.lineno))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("symcnn"):
                    parts = alias.name.split(".")
                    found.add((parts[1] if len(parts) > 1 else "symcnn", node.lineno))
    return found


def test_every_module_lives_in_a_stage():
    stages = {p.parent.name for p in modules()}
    assert stages == set(MAY_IMPORT), stages
    top = {p.name for p in PACKAGE.glob("*.py")}
    assert top == {"__init__.py", "__main__.py", "errors.py", "limits.py"}


@pytest.mark.parametrize("path", modules(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_imports_only_go_down_the_stages(path):
    stage = path.parent.name
    allowed = MAY_IMPORT[stage] | {stage} | SHARED
    upward = sorted(
        f"line {line}: {name}"
        for name, line in imported_stages(path)
        if name not in allowed
    )
    assert not upward, f"{stage}/{path.name} imports a later stage: {upward}"


def test_the_layering_check_sees_an_upward_import(tmp_path):
    stage = tmp_path / "model"
    stage.mkdir()
    module = stage / "bad.py"
    module.write_text(
        "from ..typeset.latex import make_printer\n"
        "def f():\n    from symcnn.cli.main import main\n"
    )
    assert imported_stages(module) == {("typeset", 1), ("cli", 3)}


def docstring_lines(node) -> int:
    first = node.body[0]
    is_docstring = isinstance(first, ast.Expr) and isinstance(
        getattr(first, "value", None), ast.Constant
    )
    return first.end_lineno - first.lineno + 1 if is_docstring else 0


def test_modules_and_functions_fit_on_a_screen():
    """No module over 400 lines, no function over 60 lines of code (docstring
    aside)."""
    too_long = []
    for path in modules():
        source = path.read_text()
        if len(source.splitlines()) > 400:
            too_long.append(f"{path.name}: {len(source.splitlines())} lines")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                size = node.end_lineno - node.lineno + 1 - docstring_lines(node)
                if size > 60:
                    too_long.append(f"{path.name}: {node.name} is {size} lines")
    assert not too_long
