"""Plots with matplotlib (imported only when a plot is asked for): the loss curve, and
images, filters and feature maps as grids of cells. Figures are drawn off-screen
(the Agg canvas), so nothing depends on a display or on pyplot's global state."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..model.layers import Conv2D
from ..model.network import Network


def new_figure(width: float, height: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(figure)
    return figure


def plot_loss(history: np.ndarray, path: str | Path):
    """The loss before every step, log scale; returns the matplotlib Figure."""
    figure = new_figure(6, 4)
    axes = figure.add_subplot()
    axes.semilogy(np.arange(len(history)), np.maximum(history, np.finfo(float).tiny))
    axes.set_xlabel("step")
    axes.set_ylabel("loss L(w)")
    axes.set_title("training loss")
    axes.grid(True, which="both", alpha=0.3)
    figure.tight_layout()
    figure.savefig(path)
    return figure


def plot_grids(grids: list[np.ndarray], titles: list[str], path: str | Path):
    """Each 2-D array as a grid of gray cells with its number written in, up to six
    a row; returns the matplotlib Figure."""
    count = len(grids)
    columns = min(count, 6)
    rows = -(-count // columns)
    figure = new_figure(2.2 * columns, 2.2 * rows + 0.3)
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
    figure.savefig(path)
    return figure


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
