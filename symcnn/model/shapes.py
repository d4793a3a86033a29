"""Shapes: what each layer makes of its input's (channels, height, width), and the
size of the trace a network will have, checked before anything is built."""

from __future__ import annotations

import math

from ..errors import ShapeError, SymcnnError
from ..limits import MAX_TRACE_TERMS
from .exact import digit_count
from .layers import Conv2D, Dense, Flatten, Input, Pool2D

Shape = tuple[int, int, int]

#: The largest trace built by default, in terms (products and pooled cells): about a
#: minute to build and derive on a 2-core machine (the L8 net has 11 thousand).
DEFAULT_MAX_TERMS = 500_000


def trace_terms(shapes: tuple[Shape, ...], layers) -> int:
    """How many terms the trace will hold: per value, the products it sums (conv:
    channels/groups x kh x kw, dense: its inputs) or the cells it pools; plus the
    pixels."""
    terms = math.prod(shapes[0])  # Python integers: a spec can say 10**18
    for number, layer in enumerate(layers, start=1):
        values = math.prod(shapes[number])
        inputs = math.prod(shapes[number - 1])
        if isinstance(layer, Conv2D):
            reads = shapes[number - 1][0] // layer.groups  # channels per group
            terms += values * reads * layer.kernel[0] * layer.kernel[1]
        elif isinstance(layer, Dense):
            terms += values * inputs
        elif isinstance(layer, Pool2D):
            terms += values * layer.size[0] * layer.size[1]
    return terms


#: Shapes, parameters and mult-adds need no trace: said where a trace is refused.
SUMMARY_HINT = "; `symcnn summary` counts its shapes and parameters without deriving it"


def check_size(shapes: tuple[Shape, ...], layers, max_terms: int) -> None:
    """A SymcnnError before building anything too large to derive in reasonable time
    (over `max_terms`), or at all (over MAX_TRACE_TERMS, however high max_terms is)."""
    terms = trace_terms(shapes, layers)
    if terms > max_terms:
        raise SymcnnError(
            f"the network would have {count_text(terms)} terms in its trace, over the "
            "limit of "
            f"{max_terms:,} (about a minute to derive); use a smaller input or fewer "
            "filters, or raise the limit (Network(..., max_terms=N), or --max-terms N "
            f"on the command line){SUMMARY_HINT}"
        )
    if terms > MAX_TRACE_TERMS:  # NumPy could not even allocate its arrays
        raise SymcnnError(
            f"the network would have {count_text(terms)} terms in its trace, more "
            f"than any machine holds (limits.MAX_TRACE_TERMS: {MAX_TRACE_TERMS:,}, "
            f"whatever max_terms says); use a smaller input or fewer filters"
            f"{SUMMARY_HINT}"
        )


def count_text(count: int) -> str:
    """12,345 for a count that prints in a line; "about 10^40" beyond 10^18 (a spec
    can make the product of its sizes thousands of digits long)."""
    if count < 10**18:
        return f"{count:,}"
    return f"about 10^{digit_count(count) - 1}"


def layer_label(number: int, layer) -> str:
    """'layer 2 (Dense)': how every message refers to a layer (1-based, input is 0)."""
    return f"layer {number} ({layer.kind})"


def conv_output_shape(number: int, layer: Conv2D, shape: Shape) -> Shape:
    """(filters, (h + pads - kh) // s + 1, (w + pads - kw) // s + 1); the stride must
    tile the padded input (or floor), the groups divide the channels."""
    channels, height, width = shape
    label = layer_label(number, layer)
    if channels % layer.groups:
        raise ShapeError(
            f"{label}: `groups` {layer.groups} does not divide its {channels} input "
            f"channel{'s' if channels > 1 else ''} (each filter reads channels/groups "
            "of them, as in PyTorch); use a number of groups that divides "
            f"{channels}"
        )
    padded = tuple(
        size + sum(pads) for size, pads in zip((height, width), layer.padding)
    )
    (kh, kw) = layer.kernel
    if kh > padded[0] or kw > padded[1]:
        raise ShapeError(
            f"{label}: `kernel` {kh}x{kw} is larger than its "
            f"input {height}x{width} (padded {padded[0]}x{padded[1]}); use a kernel "
            "of at "
            f"most {padded[0]}x{padded[1]} or add padding"
        )
    check_tiling(label, layer, (height, width), padded, "kernel")
    return (layer.filters, *windows(padded, layer.kernel, layer.stride))


def windows(padded, window, stride) -> tuple[int, int]:
    """How many windows fit along each side: (padded - n) // s + 1."""
    return tuple((size - n) // s + 1 for size, n, s in zip(padded, window, stride))


def check_tiling(label: str, layer, size, padded, field: str) -> None:
    """The lecture's rule for pooling and convolution alike: the window must tile the
    padded input exactly unless the layer says floor=True (PyTorch drops the rest)."""
    window = layer.kernel if field == "kernel" else layer.size
    left_over = tuple((p - n) % s for p, n, s in zip(padded, window, layer.stride))
    if not any(left_over) or layer.floor:
        return
    fits = tuple(  # the input size that, with the layer's padding, tiles
        side + (step - rest) % step
        for side, step, rest in zip(size, layer.stride, left_over)
    )
    (n, m), (sh, sw) = window, layer.stride
    what = "pool size" if field == "size" else "kernel"
    raise ShapeError(
        f"{label}: input {size[0]}x{size[1]} is not divisible by {what} {n}x{m} "
        f"with stride {sh}x{sw} (the lecture's rule); pad it to "
        f"{fits[0]}x{fits[1]}, choose a {'size' if field == 'size' else 'stride'} "
        "that divides, or pass floor=True to drop the cells left over as PyTorch does"
    )


def pool_output_shape(number: int, layer: Pool2D, shape: Shape) -> Shape:
    """(c, (h + pads - n) // s + 1, ...); the window must tile the input (or floor);
    padding "same" gives TensorFlow's ceil(h / s) by construction."""
    channels, height, width = shape
    label = layer_label(number, layer)
    n, m = layer.size
    padded = tuple(
        size + sum(pads)
        for size, pads in zip((height, width), layer.pads(height, width))
    )
    if n > padded[0] or m > padded[1]:
        raise ShapeError(
            f"{label}: `size` {n}x{m} is larger than its input {height}x{width}; "
            f"use a window of at most {padded[0]}x{padded[1]}"
        )
    if layer.padding != "same":  # TensorFlow's "same" drops what a stride skips
        check_tiling(label, layer, (height, width), padded, "size")
    return (channels, *windows(padded, layer.size, layer.stride))


def infer_shapes(input: Input, layers) -> tuple[Shape, ...]:
    """The input's shape, then each layer's output shape."""
    shape: Shape = (input.channels, input.height, input.width)
    shapes = [shape]
    for number, layer in enumerate(layers, start=1):
        if isinstance(layer, Conv2D):
            shape = conv_output_shape(number, layer, shape)
        elif isinstance(layer, Pool2D):
            shape = pool_output_shape(number, layer, shape)
        elif isinstance(layer, Flatten):
            shape = (math.prod(shape), 1, 1)  # Python ints: np.prod wraps at 2**63
        else:
            shape = (layer.units, 1, 1)
        shapes.append(shape)
    return tuple(shapes)
