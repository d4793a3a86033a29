"""Comparing a written formula with the derived one: equal when both expand to the
same terms (no random points); otherwise the difference located term by term,
descending into f(...): "term 2 > f(...) > term 3: p_{23} W_{21} should be
p_{22} W_{21}"."""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from ..model.pooling import PoolMax, PoolMin
from ..symbolic.trace import Trace
from .losses import elementary, rebuilt


def canonical(trace: Trace, expr: sp.Expr) -> sp.Expr:
    """A side with every value of the trace substituted (down to pixels and
    weights), the loss's functions in log and exp (losses.elementary), expanded
    inside functions too."""
    # rebuilt: a function of a number kept unevaluated (tanh(-1) with the weights
    # put in) evaluates as the printed one did (- tanh(1)).
    inlined = trace.inline(expr, keep_named=False)
    return pools_in_order(sp.expand(rebuilt(elementary(inlined)), deep=True))


def pools_in_order(expr: sp.Expr) -> sp.Expr:
    """Each max/min of a pooling window with its cells in one order, a nested max
    in a max spliced in, a repeated cell once: max(p_{22}, p_{11}) = max(p_{11},
    p_{22}) = max(max(p_{11}), p_{22}, p_{11}) (attack report B7)."""

    def ordered(node):
        cells = []
        for cell in node.args:
            cells += cell.args if cell.func == node.func else [cell]
        unique = sorted(set(cells), key=sp.default_sort_key)
        return node.func(*unique) if len(unique) > 1 else unique[0]

    return expr.replace(lambda node: isinstance(node, POOLS), ordered)


POOLS = (PoolMax, PoolMin)


def same(trace: Trace, a: sp.Expr, b: sp.Expr) -> bool:
    return sp.expand(canonical(trace, a) - canonical(trace, b), deep=True) == 0


#: Pairs of terms left unpaired by their expanded forms that are still compared one
#: by one (terms equal only after expanding their difference): about 0.1 ms a pair.
PAIRS = 2_000


@dataclass
class Differences:
    """The differences of one written side from the derived one, in words (`show`
    prints a formula), and the written terms found wrong (to underline them)."""

    trace: Trace
    show: object
    wrong_terms: list = field(default_factory=list)
    expanded: dict = field(default_factory=dict)  # term -> canonical(term)

    def same(self, a: sp.Expr, b: sp.Expr) -> bool:
        difference = self.canonical(a) - self.canonical(b)
        return sp.expand(difference, deep=True) == 0

    def differences(self, written: sp.Expr, derived: sp.Expr, path=()) -> list[str]:
        """Where `written` and `derived` differ, term by term, descending into f(...);
        `path` is where we are ("term 2", "f(...)", ...)."""
        if self.same(written, derived):
            return []
        if written.is_Add and derived.is_Add:
            return self.sum_differences(list(written.args), list(derived.args), path)
        if written.is_Mul and derived.is_Mul:
            inner = self.product_differences(written, derived, path)
            if inner is not None:
                return inner
        if isinstance(written, POOLS) and written.func == derived.func:
            where = (*path, f"{self.head(written)}(...)")  # cells in any order
            return self.sum_differences(list(written.args), list(derived.args), where)
        if (
            written.is_Function
            and written.func == derived.func
            and len(written.args) == len(derived.args)
        ):
            found = []
            for w, d in zip(written.args, derived.args):
                found += self.differences(w, d, (*path, f"{self.head(written)}(...)"))
            if found:
                return found
        prefix = f"{' > '.join(path)}: " if path else ""
        self.wrong_terms.append(written)
        return [f"{prefix}{self.show(written)} should be {self.show(derived)}"]

    def head(self, expr: sp.Expr) -> str:
        return self.show(expr).split("(")[0]

    def sum_differences(self, written: list, derived: list, path) -> list[str]:
        unmatched, missing = self.pair_terms(written, derived)
        if len(unmatched) == len(missing):
            found = []
            for (position, term), should in zip(unmatched, missing):
                found += self.differences(term, should, (*path, f"term {position}"))
            return found
        prefix = f"{' > '.join(path)} > " if path else ""
        self.wrong_terms += [term for _, term in unmatched]
        found = [
            f"{prefix}term {p}: {self.show(t)} is not in the derived formula"
            for p, t in unmatched
        ]
        found += [f"{prefix}missing term: {self.show(t)}" for t in missing]
        return found

    def pair_terms(self, written: list, derived: list) -> tuple[list, list]:
        """The written terms no derived term equals ((position, term), ...) and the
        derived terms left over. Terms are paired by their expanded forms first (one
        dictionary, linear: pairing each with each took 9 s for 257 terms written in
        reverse order), then what is left pairwise with `same`, up to PAIRS pairs."""
        left: dict = {}
        for j, term in enumerate(derived):
            left.setdefault(self.canonical(term), []).append(j)
        unmatched = []
        for position, term in enumerate(written, start=1):
            places = left.get(self.canonical(term))
            if places:
                places.pop(0)
            else:
                unmatched.append((position, term))
        rest = sorted(j for places in left.values() for j in places)
        if len(unmatched) * len(rest) <= PAIRS:
            for position, term in list(unmatched):
                match = next((j for j in rest if self.same(term, derived[j])), None)
                if match is not None:
                    rest.remove(match)
                    unmatched.remove((position, term))
        return unmatched, [derived[j] for j in rest]

    def canonical(self, expr: sp.Expr) -> sp.Expr:
        if expr not in self.expanded:
            self.expanded[expr] = canonical(self.trace, expr)
        return self.expanded[expr]

    def product_differences(self, written: sp.Expr, derived: sp.Expr, path):
        """One differing factor that is itself a formula (an f(...)) is described
        inside; None when the factors do not pair up that way."""
        w, d = list(written.args), list(derived.args)
        if len(w) != len(d):
            return None
        for factor in list(w):
            match = next((g for g in d if self.same(factor, g)), None)
            if match is not None:
                w.remove(factor)
                d.remove(match)
        if len(w) == 1 and not w[0].is_Atom:
            return self.differences(w[0], d[0], path)
        return None
