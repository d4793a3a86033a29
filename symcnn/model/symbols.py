"""symcnn's own SymPy symbols by their printed names, for users who compute with them.

Every symbol symcnn builds is real (`real=True`) and named in ASCII (w_{11,1} is the
Symbol 'w_11_1'), so `sympy.Symbol('w_1')` typed by a user is a different symbol and
`diff` by it gives 0. `Network.symbol("w_1")` and `Derivation.symbols["w_{1}"]` hand
out the real ones; names are looked up in one spelling (names.normalize: "w_{11, 1}",
"w_11,1" and the ASCII "w_11_1" all find w_{11,1}).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import sympy as sp

from ..errors import SymcnnError, did_you_mean
from .names import normalize


class Symbols(Mapping):
    """Printed name -> Symbol, read-only, looked up in any spelling of the name."""

    def __init__(self, pairs: Iterable[tuple[str, sp.Symbol]]):
        self._by_printed = dict(pairs)
        self._lookup = {}
        for printed, symbol in self._by_printed.items():
            self._lookup[normalize(printed)] = symbol
            self._lookup.setdefault(symbol.name, symbol)

    def __getitem__(self, name: str) -> sp.Symbol:
        symbol = self._lookup.get(normalize(name)) if isinstance(name, str) else None
        if symbol is None:
            raise SymcnnError(self.unknown(name))
        return symbol

    def __contains__(self, name) -> bool:
        return isinstance(name, str) and normalize(name) in self._lookup

    def get(self, name, default=None):
        return self[name] if name in self else default

    def unknown(self, name) -> str:
        names = list(self._by_printed)
        listed = ", ".join(names[:12]) + (
            f", ... ({len(names)} in all)" if len(names) > 12 else ""
        )
        hint = did_you_mean(normalize(str(name)), self._lookup)
        return f"{name!r} is not a symbol of this network{hint}; its symbols: {listed}"

    def __iter__(self):
        return iter(self._by_printed)

    def __len__(self) -> int:
        return len(self._by_printed)

    def __repr__(self) -> str:
        return f"<Symbols: {', '.join(list(self._by_printed)[:8])}, ...>"


def network_symbols(network) -> Symbols:
    """The pixels, the parameters and the values of named layers of `network`."""
    pairs = [
        (n.latex, sp.Symbol(n.ascii, real=True)) for n in network.value_names(0).flat
    ]
    pairs += [(p.name.latex, p.symbol) for p in network.parameters]
    for number, layer in enumerate(network.layers, start=1):
        if getattr(layer, "name", None) and layer.kind != "Flatten":
            pairs += [
                (n.latex, sp.Symbol(n.ascii, real=True))
                for n in network.value_names(number).flat
            ]
    return Symbols(pairs)
