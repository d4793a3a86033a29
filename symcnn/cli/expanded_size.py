"""Before `derive --expanded --format json` inlines every equation into F_NN (24 s on a
net of 109,056 terms): how long the expanded formula would be, from the equations as
they are, so that an over-long one is refused at once, not after the work.

    size(x) = known[x] for a named value x (its equation's size, expanded), else
              1 + sum of size(argument): what latex.written_size counts on the
              expanded formula, without building it (written_size with `known`).
"""

from __future__ import annotations

from ..errors import SymcnnError
from ..limits import MAX_PRINTED_SIZE
from ..typeset.latex import written_size


def expanded_size(derivation) -> int:
    """The largest output's written size once expanded to pixels."""
    known: dict = {}
    memo: dict = {}
    for lhs, rhs in derivation.equations():
        known[lhs] = written_size(rhs, known=known, sizes=memo)
    return max(written_size(e, known=known, sizes=memo) for e in derivation.output())


def check_expanded_size(derivation) -> None:
    """A SymcnnError, before any inlining, when F_NN expanded to pixels is longer
    than MAX_PRINTED_SIZE."""
    size = expanded_size(derivation)
    if size > MAX_PRINTED_SIZE:
        raise SymcnnError(
            f"--expanded: F_NN expanded to pixels would be written with {size:,} "
            f"symbols and operations, more than the {MAX_PRINTED_SIZE:,} symcnn "
            "prints (limits.MAX_PRINTED_SIZE); leave out --expanded: the equations "
            "of the named layers and F_NN in their values are written in full"
        )
