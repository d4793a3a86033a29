"""What the page shows when a value is clicked, as native MathML: the value's formula,
the formula with a slot for every number (filled in by the page from its live
values), and where the value itself is, all from the trace's rows.

A value's formula is its layer's row, one level deep, in the lecture's form (the
printer of typeset/latex.py): a_{11} = p_{11} w_{1} + p_{12} w_{2} for a named layer
(what `symcnn forward --explain` writes), f(a_{11} w_{11,1} + ... + b_{1}) for an
activation, the previous layer's values by their names, every sum in the trace's term
order (w_{2,0} before w_{10,0}, as `derive` prints it). Values of unnamed layers are
called z^{(layer)}_{index} (the indices of Network.value_names), as `derive
--gradient` calls them; the network's outputs F_{NN}(P) (F_{NN}(P)_{k} for output k
of several), as `derive` does. The LaTeX is converted by latex2mathml, so the page
needs no JavaScript math library.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.etree import ElementTree

import numpy as np
import sympy as sp

from ..errors import SymcnnError
from ..model.layers import Flatten
from ..model.names import Name
from ..symbolic.terms import substitute
from ..symbolic.trace import Trace
from ..typeset.latex import make_printer

#: A letter no name uses (names are ASCII letters): the placeholder of slot k.
SLOT_LETTER = r"\varpi"
SLOT_MATHML = re.compile(
    r"<msub><mi>&#x003D6;</mi><mrow><mn>(\d+)</mn></mrow></msub>"
)


def latex_to_mathml(latex: str) -> str:
    """Inline MathML for LaTeX that symcnn printed (names are ASCII letters and
    indices, so nothing in it is the user's free text); checked to be well formed."""
    try:
        from latex2mathml.converter import convert
    except ImportError:
        raise SymcnnError(
            "symcnn explore needs latex2mathml to write formulas as MathML; install "
            "it with: pip install 'symcnn[explore]' (or pip install latex2mathml)"
        ) from None
    mathml = convert(latex)
    ElementTree.fromstring(mathml)  # a page never gets broken markup
    return mathml


def with_slots(mathml: str) -> str:
    """The placeholders \\varpi_{k} as empty <mrow data-slot="k"> the page fills."""
    return SLOT_MATHML.sub(r'<mrow data-slot="\1"></mrow>', mathml)


class SlotName:
    """The printed form of slot k (the printer reads `.latex` of a name)."""

    def __init__(self, k: int):
        self.latex = f"{SLOT_LETTER}_{{{k}}}"


class OutputName:
    """F_{NN}(P), or F_{NN}(P)_{k} for output k of several (derive's left sides)."""

    def __init__(self, k: int, many: bool):
        self.latex = "F_{NN}(P)" + (f"_{{{k}}}" if many else "")


@dataclass(frozen=True)
class Cell:
    """One clickable value: label = formula = numbers [= applied] = value (MathML),
    `slots` the places (kind, index) of the numbers in order, `value` the place of
    the value."""

    label: str
    text: str
    formula: str | None
    numbers: str | None
    slots: tuple[tuple[str, int], ...]
    value: tuple[str, int]
    #: an activation's f(sum) with a slot for the sum's value (f(1) = 1), and its place
    applied: str | None = None
    applied_slots: tuple[tuple[str, int], ...] = ()


def display_names(trace: Trace) -> dict:
    """The trace's names, plus z^{(layer)}_{i} for the values of unnamed layers and
    F_{NN}(P) for the outputs."""
    names = dict(trace.names)
    network = trace.network
    for number, sums in enumerate(trace.layer_sums):
        if sums is None:
            continue
        for position, name in np.ndenumerate(network.value_names(number)):
            unnamed = Name("z", name.groups, number)
            names.setdefault(sums[position], unnamed)
    many = len(trace.outputs) > 1
    for k, output in enumerate(trace.outputs, start=1):
        names[output] = OutputName(k, many)
    return names


def text(names: dict, expr: sp.Expr) -> str:
    """The plain-text form of a value's name (a_11, f(z^(2)_1)), for tooltips."""
    return make_printer(names, "text").doprint(expr)


def one_level(trace: Trace, expr: sp.Expr, definitions: dict) -> sp.Expr:
    """expr with the previous layer's activation rows written out: f(z) for h, in
    the row's term order (xreplace would sort the sum: w_{10,0} before w_{2,0})."""
    mapping = {
        symbol: definitions[symbol]
        for symbol in expr.free_symbols
        if symbol.name.startswith("_h")
    }
    return substitute(expr, mapping) if mapping else expr


def slotted(expr: sp.Expr, slots: dict) -> tuple[str, tuple[tuple[str, int], ...]]:
    """expr with a slot for every symbol, products with \\cdot (as forward --explain
    writes them), as MathML; and the places of the slots' numbers, slot by slot."""
    used = sorted(expr.free_symbols, key=lambda s: slots[s])
    placeholders = {s: sp.Symbol(f"_slot{k}") for k, s in enumerate(used)}
    slot_names = {p: SlotName(k) for k, p in enumerate(placeholders.values())}
    with sp.evaluate(False):  # keep every product and sum as the formula has it
        filled = expr.xreplace(placeholders)
    dotted = make_printer(slot_names, "latex", mul_symbol="dot").doprint(filled)
    return with_slots(latex_to_mathml(dotted)), tuple(slots[s] for s in used)


def cell(trace: Trace, value: sp.Symbol, sum_symbol, context) -> Cell:
    """The Cell of one value (after the activation) whose sum row is sum_symbol."""
    definitions, names, slots = context
    printer = make_printer(names, "latex")
    if sum_symbol is None:  # a pixel
        label = latex_to_mathml(printer.doprint(value))
        return Cell(label, text(names, value), None, None, (), slots[value])
    formula = one_level(trace, definitions[sum_symbol], definitions)
    label, applied = sum_symbol, (None, ())
    if value != sum_symbol:  # an activation: f(sum), the sum written out
        label = definitions[value]
        formula = label.xreplace({sum_symbol: formula})
        applied = slotted(label, slots)  # f(the sum's value)
    if value in trace.outputs:  # F_{NN}(P) = f(...), as derive writes it
        label = value
    numbers, used = slotted(formula, slots)
    return Cell(
        latex_to_mathml(printer.doprint(label)),
        text(names, label),
        latex_to_mathml(printer.doprint(formula)),
        numbers,
        used,
        slots[value],
        *applied,
    )


def layer_cells(trace: Trace, slots: dict) -> list[tuple[int, np.ndarray]]:
    """(layer number, (c, h, w) array of Cells) for the input and every layer but
    Flatten (whose values are its input's, reshaped)."""
    context = (trace.definitions, display_names(trace), slots)
    layers = []
    for number, values in enumerate(trace.layer_values):
        if number and isinstance(trace.network.layers[number - 1], Flatten):
            continue
        sums = trace.layer_sums[number]
        cells = np.empty(values.shape, dtype=object)
        for position, symbol in np.ndenumerate(values):
            sum_symbol = None if sums is None else sums[position]
            cells[position] = cell(trace, symbol, sum_symbol, context)
        layers.append((number, cells))
    return layers


def parameter_labels(trace: Trace) -> list[str]:
    """Each parameter's name as MathML, in parameter order."""
    printer = make_printer(trace.names, "latex")
    return [latex_to_mathml(printer.doprint(p)) for p in trace.parameters]
