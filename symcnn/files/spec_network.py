"""A spec's network as each command reads it: the Network (every parameter named),
or for `symcnn summary` the Architecture (shapes only), checked as the Network is
so that summary refuses what every other command refuses, with the same message."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import SymcnnError
from ..model.architecture import Architecture
from ..model.layers import Input
from ..model.shapes import check_size

if TYPE_CHECKING:
    from ..model.network import Network


def network_of(input_layer: Input, layers: list, max_terms: int) -> Network:
    """The Network (built without SymPy; deriving it brings SymPy)."""
    from ..model.network import Network

    return Network(input_layer, *layers, max_terms=max_terms)


def architecture_of(input_layer: Input, layers: list, max_terms: int) -> Architecture:
    """The Architecture; its names checked as network_of checks them (a layer named
    p clashes with the pixels) when the network is within `max_terms`, as every
    other command builds it. Larger ones (VGG16), which the other commands refuse
    for their size, are counted without naming their millions of parameters."""
    architecture = Architecture(input_layer, *layers)
    try:
        check_size(architecture.shapes, architecture.layers, max_terms)
    except SymcnnError:
        return architecture  # too large to derive: summary is what is left
    if names_may_clash(input_layer, layers):
        network_of(input_layer, layers, max_terms)
    return architecture


def names_may_clash(input_layer: Input, layers: list) -> bool:
    """Whether naming could find two things printed alike. A name is its letter (ASCII
    letters only: names.LETTER) and indices, so names of distinct letters differ;
    parameters of two layers that share a letter get superscripts (w^{(2)}), and
    within a layer the indices differ, unless a Dense layer hides its neuron index
    or its weights and biases share a letter. Otherwise naming LeNet-5's 44,000
    parameters (0.6 s) would find nothing."""
    values = [input_layer.letter]
    parameters = []
    for layer in layers:
        if getattr(layer, "name", None) and layer.kind != "Flatten":
            values.append(layer.name)
        if hasattr(layer, "letter"):  # conv and dense
            letters = {layer.letter, layer.bias_letter if layer.bias else None}
            if len(letters - {None}) < 1 + bool(layer.bias):
                return True
            parameters += letters - {None}
        if getattr(layer, "neuron_index", True) is False:
            return True
    return len(set(values)) < len(values) or bool(set(values) & set(parameters))
