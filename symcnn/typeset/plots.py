"""Plots with matplotlib (imported only when a plot is asked for): the loss curve, and
images, filters and feature maps as grids of cells. Figures are drawn off-screen
(the Agg canvas), so nothing depends on a display or on pyplot's global state."""

from __future__ import annotations

import functools
import io
from pathlib import Path

import numpy as np

from ..errors import SymcnnError
from ..limits import MAX_FIGURE_PIXELS
from ..model.layers import Conv2D
from ..model.network import Network

#: Pixels per inch of every figure.
DPI = 100
#: The file types a figure is written as (by their extension), those matplotlib's
#: Agg canvas writes with no program besides matplotlib and Pillow.
FIGURE_FORMATS = (
    *("png", "pdf", "svg", "svgz", "eps", "ps"),
    *("jpg", "jpeg", "tif", "tiff"),
)
#: A grid cell of plot_grids is this many inches square, at most this many a row.
GRID_INCHES = 2.2
GRID_COLUMNS = 6


def check_figure_path(path: str, option: str) -> None:
    """Before any work: `path` ends in an extension of FIGURE_FORMATS (matplotlib
    picks the file type from it); `option` names where the path was given."""
    extension = Path(path).suffix.lower().removeprefix(".")
    if extension not in FIGURE_FORMATS:
        found = f"ends in .{extension}" if extension else "has no extension"
        raise SymcnnError(
            f"{option} {path!r}: the file name {found}, which is not a figure format "
            f"symcnn writes; end it in one of "
            f"{', '.join('.' + f for f in FIGURE_FORMATS)} (for example loss.png)"
        )


def new_figure(width: float, height: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure = inline_figure_class()(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(figure)
    return figure


@functools.cache
def inline_figure_class():
    """matplotlib's Figure, plus `_repr_png_`: a notebook shows a figure symcnn
    returns by itself, without `%matplotlib inline` or pyplot (defined on first use:
    matplotlib is imported only when a plot is asked for)."""
    from matplotlib.figure import Figure

    class InlineFigure(Figure):
        def _repr_png_(self) -> bytes:
            return figure_png(self)

    return InlineFigure


def figure_png(figure) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def save(figure, path: str | Path | None):
    """Write the figure to `path` (its extension picks the format) when one is given;
    the figure either way."""
    if path is not None:
        figure.savefig(path)
    return figure


def plot_loss(history: np.ndarray, path: str | Path | None = None):
    """The loss before every step, log scale; returns the matplotlib Figure (written
    to `path` too when one is given)."""
    figure = new_figure(6, 4)
    axes = figure.add_subplot()
    axes.semilogy(np.arange(len(history)), np.maximum(history, np.finfo(float).tiny))
    axes.set_xlabel("step")
    axes.set_ylabel("loss L(w)")
    axes.set_title("training loss")
    axes.grid(True, which="both", alpha=0.3)
    figure.tight_layout()
    return save(figure, path)


def plot_grids(
    grids: list[np.ndarray], titles: list[str], path: str | Path | None = None
):
    """Each 2-D array as a grid of gray cells with its number written in, up to six
    a row; returns the matplotlib Figure (written to `path` too when given)."""
    columns, rows = grid_layout(len(grids))
    figure = new_figure(GRID_INCHES * columns, GRID_INCHES * rows + 0.3)
    for index, (grid, title) in enumerate(zip(grids, titles)):
        axes = figure.add_subplot(rows, columns, index + 1)
        values = np.asarray(grid, dtype=float)
        axes.imshow(values, cmap="gray_r", interpolation="nearest")
        if values.size <= 64:  # small grids carry their numbers, as the slides do
            low, high = values.min(), values.max()
            for (i, j), value in np.ndenumerate(values):
                dark = high > low and (value - low) / (high - low) > 0.5
                axes.text(
                    j,
                    i,
                    f"{value:.3g}",
                    ha="center",
                    va="center",
                    color="white" if dark else "black",
                    fontsize=8,
                )
        axes.set_title(title, fontsize=9)
        axes.set_xticks([])
        axes.set_yticks([])
    figure.tight_layout()
    return save(figure, path)


def grid_layout(count: int) -> tuple[int, int]:
    """(columns, rows) of a figure of `count` grids; a SymcnnError before anything is
    drawn when there is nothing to draw or the figure would exceed MAX_FIGURE_PIXELS."""
    if count < 1:
        raise SymcnnError("there are no grids to draw")
    columns = min(count, GRID_COLUMNS)
    rows = -(-count // columns)
    width = round(GRID_INCHES * columns * DPI)
    height = round((GRID_INCHES * rows + 0.3) * DPI)
    if width * height > MAX_FIGURE_PIXELS:
        fitting = int((MAX_FIGURE_PIXELS / width / DPI - 0.3) / GRID_INCHES) * columns
        raise SymcnnError(
            f"{count} grids make a figure of {width} x {height} pixels, more than the "
            f"{MAX_FIGURE_PIXELS:,} symcnn draws (about {fitting} grids); plot fewer: "
            "--what maps draws one image's feature maps, and a network with fewer "
            "filters or channels has fewer grids"
        )
    return columns, rows


def filter_grids(network: Network, weights) -> tuple[list[np.ndarray], list[str]]:
    """Every conv filter's slice per input channel, titled 'layer 1 filter 2 ch 1'."""
    grids, titles, offset = [], [], 0
    for number, (w, b) in enumerate(zip(network.weights, network.biases), start=1):
        values = np.array([float(v) for v in weights[offset : offset + w.size]])
        if isinstance(network.layers[number - 1], Conv2D):
            values = values.reshape(w.shape)
            for k, c in np.ndindex(*w.shape[:2]):
                grids.append(values[k, c])
                titles.append(f"layer {number} filter {k + 1} ch {c + 1}")
        offset += w.size + (0 if b is None else len(b))
    return grids, titles


def feature_map_grids(network: Network, layers) -> tuple[list[np.ndarray], list[str]]:
    """Every channel of the input and of each layer's values (from forward_exact)."""
    grids, titles = [], []
    for result in layers:
        name = "input" if result.number == 0 else f"layer {result.number}"
        values = np.array(result.values, dtype=float)
        if values.shape[1:] == (1, 1):  # a dense layer: its units as one row
            grids.append(values.reshape(1, -1))
            titles.append(f"{name} ({values.shape[0]} units)")
            continue
        for channel in range(values.shape[0]):
            grids.append(values[channel])
            titles.append(f"{name} ch {channel + 1}" if values.shape[0] > 1 else name)
    return grids, titles
