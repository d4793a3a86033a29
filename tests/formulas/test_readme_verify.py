"""The README's `verify` example names a shipped file and prints what it shows."""

import re
import shlex
from pathlib import Path

from conftest import DERIVATIONS

from symcnn.cli.main import main

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_example() -> tuple[list[str], str]:
    """The argv after `$ symcnn` and the output of the README's verify block."""
    pattern = r"```\n\$ symcnn (verify [^\n]*)\n(.*?)```"
    block = re.search(pattern, README.read_text(), re.S)
    assert block, "the README has no `$ symcnn verify` example"
    return shlex.split(block.group(1)), block.group(2)


def test_readme_verify_example_runs_on_a_shipped_file(capsys, monkeypatch):
    argv, shown = readme_example()
    tex = Path(argv[argv.index("--tex") + 1])
    assert tex.parent.name == "derivations" and (DERIVATIONS / tex.name).is_file()
    monkeypatch.chdir(DERIVATIONS.parent)
    assert main(argv) == 1  # a wrong formula: exit 1
    assert capsys.readouterr().out == shown
    assert "should be p_{22} W_{21}" in shown
