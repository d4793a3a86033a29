"""`symcnn examples --to DIR` without a NAME copies every shipped file."""

from conftest import DERIVATIONS

from symcnn.cli.main import main


def test_examples_to_folder_without_name_copies_everything(tmp_path, capsys):
    assert main(["examples", "--to", str(tmp_path)]) == 0
    shipped = sorted(
        p.name for p in DERIVATIONS.iterdir() if p.suffix in (".toml", ".py", ".tex")
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == shipped
    assert "count11-weights.toml" in shipped and "count11_target.py" in shipped
    out = capsys.readouterr().out
    assert f"Wrote {tmp_path / 'count11.toml'}" in out.splitlines()


def test_copying_all_again_replaces_nothing_without_force(tmp_path, capsys):
    (tmp_path / "count11.toml").write_text("# mine\n")
    assert main(["examples", "--to", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"{str(tmp_path / 'count11.toml')!r} exists; pass --force" in err
    assert "nothing was copied" in err
    assert [p.name for p in tmp_path.iterdir()] == ["count11.toml"]
    assert (tmp_path / "count11.toml").read_text() == "# mine\n"
    assert main(["examples", "--to", str(tmp_path), "--force"]) == 0
    assert (tmp_path / "count11.toml").read_text().startswith("# The lecture's")


def test_list_says_how_to_copy(capsys):
    assert main(["examples"]) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert last == (
        "Copy one: symcnn examples NAME [--to DIR]; all: symcnn examples --to DIR"
    )
