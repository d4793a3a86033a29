"""What a stack of linear filters computes (slide L7): convolutions with nothing
nonlinear between them compose into one convolution, and the binary patch that
excites a filter most.

The composed kernel is read off the trace: with stride 1 and no padding the first output
value of the stack, expanded to pixels, is sum_{c,u,v} K[c,u,v] p[c,u,v] + b, so each
coefficient is a kernel entry (symbolic, or numbers when weights are given).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import numpy as np
import sympy as sp

from ..errors import SymcnnError
from ..model.display import RichDisplay
from ..model.layers import Conv2D
from .terms import substitute
from .trace import Trace

#: Patches are enumerated up to this many cells (2^16 patches).
MAX_PATCH_CELLS = 16


@dataclass(frozen=True)
class Composed(RichDisplay):
    """The one convolution a linear conv stack equals: kernel (filters, channels, kh,
    kw) and one bias per filter (0 without biases). Jupyter shows the kernels as
    matrices (model/display.py)."""

    kernel: np.ndarray
    bias: tuple
    #: The trace it was composed from: the names its entries print with.
    trace: Trace | None = None

    def __repr__(self) -> str:
        shape = "x".join(map(str, self.kernel.shape))
        return f"<Composed: one convolution, kernel {shape}, biases {self.bias}>"


def check_linear_stack(trace: Trace) -> None:
    for number, layer in enumerate(trace.network.layers, start=1):
        where = f"layer {number} ({layer.kind})"
        if not isinstance(layer, Conv2D):
            raise SymcnnError(
                f"{where}: only convolutions compose into one convolution; this "
                "network has other layers"
            )
        if not layer.activation.is_identity:
            raise SymcnnError(
                f"{where} applies {layer.activation.kind}: convolutions compose into "
                "one only without a nonlinearity between them"
            )
        if layer.stride != (1, 1) or layer.padding != ((0, 0), (0, 0)):
            raise SymcnnError(
                f"{where} has a stride or padding: the composition is computed for "
                "stride 1 and no padding"
            )


def compose(trace: Trace, weights=None) -> Composed:
    """The single convolution equal to the whole stack (weights symbolic if None)."""
    check_linear_stack(trace)
    values = {} if weights is None else dict(zip(trace.parameters, weights))
    channels, height, width = trace.network.shapes[0]
    _, out_h, out_w = trace.network.shapes[-1]
    kh, kw = height - out_h + 1, width - out_w + 1
    first_values = trace.layer_values[-1][:, 0, 0]
    kernel = np.empty((len(first_values), channels, kh, kw), dtype=object)
    zero = {pixel: sp.S.Zero for pixel in trace.pixels.flat}
    bias = []
    for f, symbol in enumerate(first_values):
        expr = sp.expand(substitute(trace.inline(symbol, keep_named=False), values))
        for c, u, v in product(range(channels), range(kh), range(kw)):
            kernel[f, c, u, v] = expr.coeff(trace.pixels[c, u, v])
        bias.append(expr.xreplace(zero))
    return Composed(kernel, tuple(bias), trace)


@dataclass(frozen=True)
class MaxResponse:
    """The largest response sum K x + b over binary patches x, how many patches reach
    it, and the pattern they share ("*" where they differ)."""

    value: sp.Expr
    count: int
    pattern: np.ndarray


def max_response(kernel: np.ndarray, bias=0) -> MaxResponse:
    """The binary patches that excite one filter (channels, kh, kw) most, by exact
    enumeration of every 0/1 patch."""
    cells = kernel.size
    if cells > MAX_PATCH_CELLS:
        raise SymcnnError(
            f"the filter has {cells} cells; enumerating 2^{cells} patches is limited "
            "to "
            f"{MAX_PATCH_CELLS} cells"
        )
    if any(not getattr(k, "is_Number", True) for k in kernel.flat):
        raise SymcnnError("the best patch needs numbers: give the weights (--weights)")
    flat = [sp.Rational(k) for k in kernel.flat]
    best, winners = None, []
    for bits in product((0, 1), repeat=cells):
        value = sum((k for k, bit in zip(flat, bits) if bit), sp.S.Zero) + bias
        if best is None or value > best:
            best, winners = value, [bits]
        elif value == best:
            winners.append(bits)
    shared = np.array(
        [str(column[0]) if len(set(column)) == 1 else "*" for column in zip(*winners)],
        dtype=object,
    ).reshape(kernel.shape)
    return MaxResponse(best, len(winners), shared)
