"""The gradient program's rows sorted for the vectorized C backend: sums of products
become tables of slot numbers that one compiled loop runs; the rest stays C code.

Almost every term of a network's program is a product of two values,
``x w`` (conv and dense sums), ``dA w`` (their adjoints) or ``dA x`` (their weight
gradients): LeNet-5's 286,904 trace terms make ~860,000 such products, and printed
as C statements they were 15 MB of source that gcc took ~100 s to compile. As a
table they are two int32 numbers each, read by one loop (c_soa.py); only the
activation, pooling and loss rows (a few percent) are printed as C.

Slots: every per-sample value (an input, a row, an output) has a *vector slot*
(one double per sample of a block); parameters, numbers and 1 have *scalar slots*
(one double for all samples), written ~k in a table (negative). A term is
``vector slot * (vector or scalar slot)``, summed left to right in the trace's
order, so a tabled row computes what its printed C statement computes, bit for bit
(x w == w x and x 1 == x in IEEE arithmetic; no fused multiply-add).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import sympy as sp


@dataclass
class Slots:
    """Slot numbers: parameters, then numbers as scalar slots; ONES (a vector slot
    of 1.0), inputs, rows and outputs as vector slots."""

    parameters: dict[sp.Symbol, int]
    vectors: dict[sp.Symbol, int] = field(default_factory=dict)
    numbers: dict[float, int] = field(default_factory=dict)
    count: int = 1  # vector slot 0 is ONES
    #: A factor's slot by its name (k, or ~k for a parameter): SymPy's cache keeps
    #: few symbols, so a row's symbol is often an equal copy of the key, and the
    #: dictionary compared them with SymPy's slow __eq__ (1.1 of 2.1 s on 45k
    #: terms). Trusted while no two symbols share a name (clash).
    codes: dict[str, int] = field(default_factory=dict)
    clash: bool = False

    def __post_init__(self):
        for symbol, number in self.parameters.items():
            self.code(symbol, ~number)

    def code(self, symbol: sp.Symbol, code: int) -> None:
        self.clash = self.clash or symbol.name in self.codes
        self.codes[symbol.name] = code

    def vector(self, symbol: sp.Symbol) -> int:
        self.vectors[symbol] = self.count
        self.code(symbol, self.count)
        self.count += 1
        return self.count - 1

    def scalar_number(self, value: float) -> int:
        """The scalar slot of a number (after the parameters)."""
        key = float(value)
        if key not in self.numbers:
            self.numbers[key] = len(self.parameters) + len(self.numbers)
        return self.numbers[key]

    def number_values(self) -> list[float]:
        return list(self.numbers)


ONES = 0


@dataclass
class Segment:
    """A run of consecutive rows of one kind: "table" (rows `first`..`last` of the
    table) or "code" ((slot, expression) statements printed as C)."""

    kind: str
    first: int = 0
    last: int = 0
    statements: list = field(default_factory=list)


def factor_slot(factor: sp.Expr, slots: Slots) -> int | None:
    """A factor's slot: a vector slot (>= 0) or ~scalar slot (< 0); None when it is
    neither a known symbol nor a number."""
    if factor.is_Symbol:
        if not slots.clash:
            return slots.codes.get(factor.name)
        if factor in slots.vectors:
            return slots.vectors[factor]
        if factor in slots.parameters:
            return ~slots.parameters[factor]
        return None
    if factor.is_Number:
        return ~slots.scalar_number(factor)
    return None


def term_slots(term: sp.Expr, slots: Slots) -> tuple[int, int] | None:
    """(vector slot, vector or ~scalar slot) whose product is `term`; None when the
    term is not a product of at most two symbols and numbers with one per-sample
    factor at least (or one number or parameter alone: ONES times it)."""
    factors = term.args if term.is_Mul else (term,)
    if len(factors) > 2:
        return None
    found = [factor_slot(factor, slots) for factor in factors]
    if None in found:
        return None
    if len(found) == 1:
        found.append(ONES) if found[0] >= 0 else found.insert(0, ONES)
    first, second = found
    if first < 0:
        first, second = second, first
    return (first, second) if first >= 0 else None


def tabled_terms(expr: sp.Expr, slots: Slots) -> list[tuple[int, int]] | None:
    """The terms of a sum of products as slot pairs, in order; None if any term is
    something else."""
    pairs = []
    for term in expr.args if expr.is_Add else (expr,):
        pair = term_slots(term, slots)
        if pair is None:
            return None
        pairs.append(pair)
    return pairs


@dataclass
class Table:
    """Tabled rows: row r writes vector slot dest[r] with the sum over terms
    start[r] <= j < start[r+1] of V[a[j]] * (V or S)[b[j]]."""

    dest: list[int] = field(default_factory=list)
    start: list[int] = field(default_factory=lambda: [0])
    a: list[int] = field(default_factory=list)
    b: list[int] = field(default_factory=list)

    def add(self, dest: int, pairs: list[tuple[int, int]]) -> None:
        self.dest.append(dest)
        for first, second in pairs:
            self.a.append(first)
            self.b.append(second)
        self.start.append(len(self.a))

    def packed(self) -> np.ndarray:
        """One int32 array: [rows, terms, dest..., start..., a..., b...]."""
        header = [len(self.dest), len(self.a)]
        return np.array(
            header + self.dest + self.start + self.a + self.b, dtype=np.int32
        )


def sort_rows(parameters, inputs, assignments, outputs):
    """(slots, table, segments, output slots): every assignment and output in order,
    each either a row of the table or a C statement."""
    slots = Slots({p: i for i, p in enumerate(parameters)})
    for symbol in inputs:
        slots.vector(symbol)
    table, segments = Table(), []
    results = [(symbol, expr) for symbol, expr in assignments]
    outputs_symbols = [sp.Dummy(f"o{k}") for k in range(len(outputs))]
    results += list(zip(outputs_symbols, outputs))
    for symbol, expr in results:
        pairs = tabled_terms(expr, slots)
        slot = slots.vector(symbol)  # after its own expression is read
        kind = "code" if pairs is None else "table"
        if not segments or segments[-1].kind != kind:
            rows = len(table.dest)
            segments.append(Segment(kind, rows, rows))
        if pairs is None:
            segments[-1].statements.append((slot, expr))
        else:
            table.add(slot, pairs)
            segments[-1].last = len(table.dest)
    output_slots = [slots.vectors[symbol] for symbol in outputs_symbols]
    return slots, table, segments, output_slots
