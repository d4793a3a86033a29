"""Architecture: an input and layers with their shapes, and what each layer costs,
counted in Python integers without naming a single parameter.

A Network names every weight as a symbol (VGG16's 138 million would never finish);
`symcnn summary` needs only the counts, which follow from the layer and the shapes:

    conv weights      filters * (channels / groups) * kh * kw,  biases: filters
    dense weights     inputs * units,                           biases: units
    mult-adds         conv: (weights + biases) * H_out * W_out;  dense: weights + biases

Mult-adds are counted as torchinfo 1.8 counts them (`LayerInfo.calculate_macs`): every
parameter once per output position, biases included; pooling, activations and Flatten
count 0 (they have no parameters).
"""

from __future__ import annotations

import math

from ..errors import SymcnnError
from ..limits import MAX_LAYERS
from .layers import Conv2D, Dense, Flatten, Input, Pool2D
from .shapes import Shape, infer_shapes

LAYER_TYPES = (Conv2D, Dense, Pool2D, Flatten)


def check_parts(input: Input, layers: tuple) -> None:
    """An Input first, then from 1 to MAX_LAYERS layers of the known kinds."""
    if not isinstance(input, Input):
        raise SymcnnError(
            f"the first argument of Network is {input!r}, not an Input; "
            "start with Input(channels=..., height=..., width=...)"
        )
    if not layers:
        raise SymcnnError("the network has no layers; add at least one Conv2D or Dense")
    if len(layers) > MAX_LAYERS:
        raise SymcnnError(
            f"the network has {len(layers)} layers, more than the {MAX_LAYERS} "
            "symcnn derives (each layer nests its formulas one level deeper, and "
            "they are substituted and printed recursively); use fewer layers"
        )
    for number, layer in enumerate(layers, start=1):
        if not isinstance(layer, LAYER_TYPES):
            raise SymcnnError(
                f"layer {number} is {layer!r}, not a layer; use Conv2D, Dense, "
                "Pool2D or Flatten"
            )


class Architecture:
    """An input and layers, with every shape inferred (the errors a Network raises
    for shapes, in the same words) and nothing named or built.

    >>> Architecture(Input(height=2, width=3), Conv2D(1, (1, 2)), Dense(1)).shapes
    ((1, 2, 3), (1, 2, 2), (1, 1, 1))
    """

    def __init__(self, input: Input, *layers):
        check_parts(input, layers)
        self.input = input
        self.layers = tuple(layers)
        self.shapes: tuple[Shape, ...] = infer_shapes(input, self.layers)

    @property
    def output_size(self) -> int:
        return math.prod(self.shapes[-1])  # Python ints: np.prod wraps at 2**63


def weight_factors(layer, input_shape: Shape) -> tuple[int, ...]:
    """The weight tensor's sizes as the lecture multiplies them: conv (filters,
    channels / groups, kh, kw), dense (inputs, units); () for a layer without."""
    if isinstance(layer, Conv2D):
        groups = getattr(layer, "groups", 1)
        return (layer.filters, input_shape[0] // groups, *layer.kernel)
    if isinstance(layer, Dense):
        return (math.prod(input_shape), layer.units)
    return ()


def weight_count(layer, input_shape: Shape) -> int:
    factors = weight_factors(layer, input_shape)
    return math.prod(factors) if factors else 0


def bias_count(layer) -> int:
    """One bias per filter or unit, when the layer has biases."""
    if isinstance(layer, Conv2D) and layer.bias:
        return layer.filters
    if isinstance(layer, Dense) and layer.bias:
        return layer.units
    return 0


def mult_adds(layer, input_shape: Shape, output_shape: Shape) -> int:
    """torchinfo's count: conv (weights + biases) * H_out * W_out, dense weights +
    biases (one output position), 0 for layers without parameters."""
    parameters = weight_count(layer, input_shape) + bias_count(layer)
    if isinstance(layer, Conv2D):
        return parameters * output_shape[1] * output_shape[2]
    return parameters
