"""C statements on GCC vector types for the vectorized backend's loops (c_loops.py):
activations, their steps, pooling and pooling winners on WIDTH samples per
operation instead of one.

Comparisons of vectors give masks (all bits 1 where true); a select on them computes
what the scalar helper's ``?:`` gives, lane by lane, NaN included (a comparison with
NaN is false in both). Rows with anything else (a power, exp, tanh, the loss
helpers) stay scalar statements, one lane at a time.
"""

from __future__ import annotations

import sympy as sp

from .c_backend import CTracePrinter

#: The functions the vector helpers below compute (class names of model/).
VECTOR_FUNCTIONS = {
    "ReLU", "ReLUStep", "LeakyReLU", "LeakyReLUStep",
    "PoolMax", "PoolMin", "MaxWinner", "MinWinner",
}  # fmt: skip

#: Vector helpers: each is the scalar helper of c_backend.HELPERS lane by lane.
VECTOR_HELPERS = r"""
typedef long vm __attribute__((vector_size(WIDTH * 8), aligned(64)));

/* m ? a : b on every lane (m from a vector comparison: all ones or zeros) */
static inline vw v_select(vm m, vw a, vw b)
{ return (vw)(((vm)a & m) | ((vm)b & ~m)); }
/* a scalar on every lane: s - 0 is s, -0 included */
static inline vw v_all(double s) { return s - (vw){0}; }
static inline vw v_mask(vm m) { return v_select(m, v_all(1.0), v_all(0.0)); }
static inline vw v_relu(vw x) { return v_select(x < v_all(0.0), v_all(0.0), x); }
static inline vw v_relu_step(vw x, double at_zero)
{
  vw zero = v_all(0.0);
  return v_select(x > zero, v_all(1.0), v_select(x == zero, v_all(at_zero), zero));
}
static inline vw v_leaky_relu(vw x, double slope)
{ return v_select(x > v_all(0.0), x, slope * x); }
static inline vw v_leaky_relu_step(vw x, double slope, double at_zero)
{
  vw zero = v_all(0.0), kink = v_select(x == zero, v_all(at_zero), zero);
  vw below = v_select(x < zero, v_all(slope), kink);
  return v_select(x > zero, v_all(1.0), below);
}
static inline vw v_max2(vw a, vw b) { return v_select((b > a) | (b != b), b, a); }
static inline vw v_min2(vw a, vw b) { return v_select((b < a) | (b != b), b, a); }
"""


class CLanesPrinter(CTracePrinter):
    """A row as one statement on WIDTH lanes: the helpers' v_ versions."""

    def _call(self, name, expr):
        return super()._call(f"v_{name}", expr)

    def _fold(self, name, expr):
        return super()._fold(f"v_{name}", expr)

    def _winner(self, expr, strict, loose):
        scalar = super()._winner(expr, strict, loose)  # "(double)(tests)"
        return "v_mask" + scalar.removeprefix("(double)")


def on_lanes(expr: sp.Expr, vectors: dict) -> bool:
    """Whether `expr` can be one vector statement: sums and products of numbers and
    symbols, and VECTOR_FUNCTIONS of values that vary by sample (a vector function
    of a parameter alone would take a scalar)."""
    if not expr.free_symbols & vectors.keys():
        return False
    for node in sp.preorder_traversal(expr):
        if node.is_Atom or node.is_Add or node.is_Mul:
            continue
        if type(node).__name__ not in VECTOR_FUNCTIONS:
            return False
        cells = node.args[1:] if "Winner" in type(node).__name__ else node.args
        if type(node).__name__.startswith(("ReLU", "LeakyReLU")):
            cells = node.args[:1]  # the slope and f'(0) are numbers
        if any(not cell.free_symbols & vectors.keys() for cell in cells):
            return False
    return True
