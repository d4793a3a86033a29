"""A value written in a chain (slide L4: F_{NN}(P) = f(0 + 1 - 1) + ... = 0 + 1 + 0 +
0 = 1) is the network's value on ONE binary image: every value link of one chain is
matched against the same images (the binding), and the f(...) it writes must be
the f(...) the network computes there (f(2) where no unit gets 2 is wrong, even
when the sum happens to come out right)."""

from __future__ import annotations

from collections import Counter

import sympy as sp

from ..model.pooling import PoolMax, PoolMin
from ..symbolic.trace import Trace
from .compare import canonical

#: Functions whose arguments may be written in any order (a pooling window).
SYMMETRIC = (PoolMax, PoolMin)


def calls(expr: sp.Expr) -> list[sp.Expr]:
    """Every function application in `expr`, outermost first, with repeats."""
    found = []
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Function):
            found.append(node)
    return found


def call_keys(trace: Trace, nodes: list, pixels: dict | None = None) -> Counter:
    """Each call as (function, its arguments' values), the pixels put in."""
    keys = Counter()
    for node in nodes:
        arguments = [
            canonical(trace, a.xreplace(pixels) if pixels else a) for a in node.args
        ]
        if isinstance(node, SYMMETRIC):
            arguments.sort(key=sp.default_sort_key)
        keys[(node.func, tuple(arguments))] += 1
    return keys


def written_calls_fit(trace: Trace, written: sp.Expr, derived: sp.Expr, image: dict):
    """Whether each f(...) written with numbers only is one the network computes on
    `image` (pixel -> value): as many times as written, with that argument."""
    mine = [c for c in calls(written) if not c.free_symbols]
    if not mine:
        return True
    wanted = call_keys(trace, mine)
    there = call_keys(trace, calls(derived), image)
    return not wanted - there
