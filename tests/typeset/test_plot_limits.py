"""Figures are checked before any work: the file type from the name's extension, and
the figure's size in pixels before anything is drawn."""

import numpy as np
import pytest
from conftest import DERIVATIONS

import symcnn as sc
from symcnn.cli.main import main
from symcnn.typeset import plots
from symcnn.typeset.plots import check_figure_path, grid_layout, plot_grids

COUNT11 = str(DERIVATIONS / "count11.toml")


def test_a_figure_name_needs_an_extension_matplotlib_writes():
    for good in ("loss.png", "a/b.PDF", "x.svg", "x.jpeg"):
        check_figure_path(good, "--plot")
    with pytest.raises(
        sc.SymcnnError,
        match=r"^--plot 'loss\.xyz': the file name ends in \.xyz, which is not a "
        r"figure format symcnn writes; end it in one of \.png, \.pdf, .*\.tiff",
    ):
        check_figure_path("loss.xyz", "--plot")
    with pytest.raises(sc.SymcnnError, match=r"^-o 'maps': the file name has no ext"):
        check_figure_path("maps", "-o")


def test_train_refuses_a_plot_it_cannot_write_before_training(
    tmp_path, capsys, monkeypatch
):
    def no_training(*args, **kwargs):
        raise AssertionError("trained before checking --plot")

    monkeypatch.setattr("symcnn.cli.compute.train", no_training)
    plot = tmp_path / "loss.xyz"
    assert main(["train", COUNT11, "--plot", str(plot), "--quiet"]) == 2
    assert "loss.xyz': the file name ends in .xyz" in capsys.readouterr().err
    assert not plot.exists()


def test_plot_refuses_an_unknown_extension(tmp_path, capsys):
    out = tmp_path / "maps.txt"
    spec = str(DERIVATIONS / "l7_filters.toml")
    assert main(["plot", spec, "--what", "maps", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"-o {str(out)!r}: the file name ends in .txt, which is not a figure" in err
    assert not out.exists()


def test_a_figure_too_large_is_refused_before_drawing(monkeypatch):
    def no_drawing(*args):
        raise AssertionError("drew a figure over the limit")

    monkeypatch.setattr(plots, "new_figure", no_drawing)
    grids = [np.zeros((1, 1))] * 3000
    with pytest.raises(
        sc.SymcnnError,
        match=r"^3000 grids make a figure of 1320 x 110030 pixels, more than the "
        r"10,000,000 symcnn draws \(about 204 grids\); plot fewer",
    ):
        plot_grids(grids, ["g"] * 3000, "x.png")
    assert grid_layout(204) == (6, 34)
    with pytest.raises(sc.SymcnnError, match="205 grids make a figure of 1320 x 7730"):
        grid_layout(205)
    with pytest.raises(sc.SymcnnError, match="^there are no grids to draw$"):
        grid_layout(0)


def test_plot_of_300_filters_is_refused_with_its_size(tmp_path, capsys):
    spec = tmp_path / "wide.toml"
    spec.write_text(
        '[input]\nheight = 1\nwidth = 1\n[[layers]]\ntype = "conv"\nfilters = 300\n'
        "kernel = [1, 1]\n"
    )
    weights = tmp_path / "wide-weights.toml"
    weights.write_text(f"[layers.1]\nweight = {[[[[1]]]] * 300}\n")
    out = tmp_path / "f.png"
    assert main(["plot", str(spec), "--what", "filters", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "300 grids make a figure of 1320 x 11030 pixels" in err
    assert not out.exists()
