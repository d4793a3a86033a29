"""The numbers and formulas one explorer page carries (its DATA object): parameters,
every layer's cells, the samples with their targets, the loss's scale, and the images
of the exhaustive verdict (over the spec's alphabet) with the target's values."""

from __future__ import annotations

import numpy as np

from ..errors import SymcnnError
from ..limits import MAX_EXPLORE_VERDICT_IMAGES
from ..model.data import Dataset
from ..model.every_image import exact_block
from ..model.images import DEFAULT_ALPHABET, check_alphabet, every_image, image_count
from ..model.layers import Pool2D
from ..model.losses import loss_data, loss_scale
from ..numeric.compile import beyond_float64, float_samples
from ..numeric.constants import check_layer_constants
from ..prove.verify import as_tuple
from ..symbolic.adjoint import check_activations
from ..symbolic.trace import Trace
from .formulas import layer_cells, parameter_labels
from .jscode import ProgramCode
from .text import visible


def layer_title(trace: Trace, number: int) -> str:
    """'input P', 'layer 1: conv a', 'layer 2: dense, relu'."""
    if number == 0:
        return f"input {trace.network.input.letter.upper()}"
    layer = trace.network.layers[number - 1]
    parts = [f"layer {number}: {layer.kind}"]
    if getattr(layer, "name", None):
        parts[0] += f" {layer.name}"
    activation = getattr(layer, "activation", None)
    if activation is not None and not activation.is_identity:
        parts.append(activation.kind)
    return ", ".join(parts)


def pooling_marks(trace: Trace, number: int, shape) -> list | None:
    """Per channel, 1 or 2 for the cells of each window of the next layer when it
    pools (a checkerboard of windows, as `document` colours them), else None."""
    layers = trace.network.layers
    if number >= len(layers) or not isinstance(layers[number], Pool2D):
        return None
    (n, m), (_, height, width) = layers[number].size, shape
    rows, columns = height - height % n, width - width % m  # whole windows
    grid = [
        [
            1 + (i // n + j // m) % 2 if i < rows and j < columns else 0
            for j in range(width)
        ]
        for i in range(height)
    ]
    return [grid] * shape[0]


def cells_data(trace: Trace, code: ProgramCode) -> tuple[list, list]:
    """(layers, cells): each layer's title and grids of cell indices, and the cells."""
    cells, layers = [], []
    for number, grid in layer_cells(trace, code.slots):
        indices = np.empty(grid.shape, dtype=object)
        for position, cell in np.ndenumerate(grid):
            indices[position] = len(cells)
            cells.append(
                {
                    "index": len(cells),
                    "label": cell.label,
                    "text": cell.text,
                    "formula": cell.formula,
                    "numbers": cell.numbers,
                    "slots": [list(slot) for slot in cell.slots],
                    "applied": cell.applied,
                    "appliedSlots": [list(slot) for slot in cell.applied_slots],
                    "value": list(cell.value),
                }
            )
        layers.append(
            {
                "title": layer_title(trace, number),
                "channels": indices.tolist(),
                "blocks": pooling_marks(trace, number, grid.shape),
            }
        )
    return layers, cells


def samples_data(trace: Trace, data: Dataset) -> tuple[list, bool, float]:
    """The samples as {name, x: pixels then targets}, whether they have targets, and
    the loss's scale (1/(N K) for the mean squared error, else 1)."""
    has_targets = data.has_targets
    outputs = len(trace.outputs)
    if has_targets:
        data = loss_data(trace.loss_kind, data, outputs)  # class -> one-hot
    data.check_fits(trace.network)
    if has_targets:
        rows = float_samples(data)
    else:
        pixels = data.pixel_arrays().reshape(len(data), -1).astype(np.float64)
        if not np.all(np.isfinite(pixels)):
            raise beyond_float64(data)
        rows = np.concatenate([pixels, np.zeros((len(data), outputs))], axis=1)
    samples = [
        {"name": visible(sample.name), "x": row.tolist()}
        for sample, row in zip(data.samples, rows)
    ]
    scale = float(loss_scale(trace.loss_kind, len(data), outputs)) if has_targets else 1
    return samples, has_targets, scale


def verdict_data(trace: Trace, target, alphabet=DEFAULT_ALPHABET) -> dict | None:
    """Every image over the spec's `alphabet` (binary by default), in `check
    --exhaustive`'s order, as a string of alphabet positions (one character each,
    channel-major) with the target's value, and the alphabet's values, for the
    page's live verdict; a reason instead when there are more than
    MAX_EXPLORE_VERDICT_IMAGES images; None without a target."""
    if target is None:
        return None
    alphabet = check_alphabet(alphabet)
    shape = trace.network.shapes[0]
    total, pixels = image_count(shape, alphabet), int(np.prod(shape))
    binary = alphabet == DEFAULT_ALPHABET
    over = "binary" if binary else f"over the alphabet {alphabet_text(alphabet)}"
    if total > MAX_EXPLORE_VERDICT_IMAGES:
        values = 2 if binary else f"{len(alphabet)}"
        return {
            "reason": f"The input has {pixels} pixels, so {values}^{pixels} = "
            f"{total:,} images {over}: the page checks the target live on at most "
            f"{MAX_EXPLORE_VERDICT_IMAGES:,} images (MAX_EXPLORE_VERDICT_IMAGES); "
            "symcnn check --exhaustive checks them exactly."
        }
    images, targets = [], []
    for block in every_image(shape, alphabet):
        for image in exact_block(block, alphabet):
            positions = (alphabet.index(value) for value in image.flat)
            images.append("".join(chr(48 + k) for k in positions))
            targets.append([float(y) for y in as_tuple(target(image))])
    return {
        "images": images,
        "targets": targets,
        "alphabet": [float(value) for value in alphabet],
        "over": "" if binary else over,
    }


def alphabet_text(alphabet) -> str:
    """{-1, 0, 1/2}: the alphabet as the spec writes it."""
    return "{" + ", ".join(str(value) for value in alphabet) + "}"


def check_weights(trace: Trace, weights) -> None:
    """A SymcnnError naming the first weight float64 cannot hold (the page computes
    in float64, as training does)."""
    for parameter, value in zip(trace.network.parameters, weights):
        if not np.isfinite(value):
            raise SymcnnError(
                f"weight {parameter.name.text} is {value} in float64 (beyond about "
                "1.8e308), so the page cannot compute with it; give a smaller "
                "weight, or check it exactly with symcnn check"
            )


def page_data(
    trace: Trace, data: Dataset, weights, target, code, lr: float, alphabet
) -> dict:
    """The DATA object of the page (see the module)."""
    check_activations(trace)
    check_layer_constants(trace.network)
    if data is None or not len(data):
        raise SymcnnError(
            "explore needs images to show the layers' values; add to the spec\n"
            '[data]\nsamples = [{ image = "011/001", y = 1 }]'
        )
    check_weights(trace, weights)
    layers, cells = cells_data(trace, code)
    samples, has_targets, scale = samples_data(trace, data)
    labels = parameter_labels(trace)
    params = [
        {"label": label, "text": p.name.text, "value": float(value)}
        for label, p, value in zip(labels, trace.network.parameters, weights)
    ]
    slots = code.slots
    return {
        "params": params,
        "layers": layers,
        "cells": cells,
        "samples": samples,
        "hasTargets": has_targets,
        "scale": scale,
        "shape": list(trace.network.shapes[0]),
        "inputs": len(trace.pixels.flat) + len(trace.targets),
        "outputs": [slots[symbol][1] for symbol in trace.outputs],
        "size": code.size,
        "loss": code.loss,
        "gradient": code.gradient,
        "verdict": verdict_data(trace, target, alphabet),
        "lr": lr,
    }
