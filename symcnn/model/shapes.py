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
    channels x kh x kw, dense: its inputs) or the cells it pools; plus the pixels."""
    terms = math.prod(shapes[0])  # Python integers: a spec can say 10**18
    for number, layer in enumerate(layers, start=1):
        values = math.prod(shapes[number])
        inputs = math.prod(shapes[number - 1])
        if isinstance(layer, Conv2D):
            terms += values * shapes[number - 1][0] * layer.kernel[0] * layer.kernel[1]
        elif isinstance(layer, Dense):
            terms += values * inputs
        elif isinstance(layer, Pool2D):
            terms += values * layer.size[0] * layer.size[1]
    return terms


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
            "on the command line)"
        )
    if terms > MAX_TRACE_TERMS:  # NumPy could not even allocate its arrays
        raise SymcnnError(
            f"the network would have {count_text(terms)} terms in its trace, more "
            f"than any machine holds (limits.MAX_TRACE_TERMS: {MAX_TRACE_TERMS:,}, "
            "whatever max_terms says); use a smaller input or fewer filters"
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
    """(filters, (h + pads - kh) // s + 1, (w + pads - kw) // s + 1)."""
    channels, height, width = shape
    (kh, kw), (sh, sw) = layer.kernel, layer.stride
    padded_h, padded_w = (
        size + sum(pads) for size, pads in zip((height, width), layer.padding)
    )
    if kh > padded_h or kw > padded_w:
        raise ShapeError(
            f"{layer_label(number, layer)}: `kernel` {kh}x{kw} is larger than its "
            f"input {height}x{width} (padded {padded_h}x{padded_w}); use a kernel "
            "of at "
            f"most {padded_h}x{padded_w} or add padding"
        )
    return (layer.filters, (padded_h - kh) // sh + 1, (padded_w - kw) // sw + 1)


def pool_output_shape(number: int, layer: Pool2D, shape: Shape) -> Shape:
    """(c, (h + 2 pad - n) // s + 1, ...); the window must tile the input (or floor)."""
    channels, height, width = shape
    label = layer_label(number, layer)
    (n, m), (sh, sw), (ph, pw) = layer.size, layer.stride, layer.padding
    padded = (height + 2 * ph, width + 2 * pw)
    if n > padded[0] or m > padded[1]:
        raise ShapeError(
            f"{label}: `size` {n}x{m} is larger than its input {height}x{width}; "
            f"use a window of at most {padded[0]}x{padded[1]}"
        )
    left_over = ((padded[0] - n) % sh, (padded[1] - m) % sw)
    if any(left_over) and not layer.floor:
        fits = tuple(
            size + (step - rest) % step
            for size, step, rest in zip(padded, (sh, sw), left_over)
        )
        raise ShapeError(
            f"{label}: input {height}x{width} is not divisible by pool size {n}x{m} "
            f"with stride {sh}x{sw} (the lecture's rule); pad it to "
            f"{fits[0]}x{fits[1]}, choose a size that divides, or pass floor=True to "
            "drop the cells left over "
            "as PyTorch does"
        )
    return (channels, (padded[0] - n) // sh + 1, (padded[1] - m) // sw + 1)


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
