"""Gradient formulas for the next lecture (backpropagation): dL/dtheta in chain-rule
form through the named values, the delta equations layer by layer, and expanded.

They are the adjoint rows of adjoint.py, the same program the verifier and the compiled
code run, printed with names: dL/da_{11} is the adjoint of the row a_{11}. Activation
rows are folded into the rows they feed (dL/dz = f'(z) * ...), so the equations go
through the values a lecture names: a_{ij}, the unnamed layers' sums z^{(l)}_k, F_NN.
Everything is per sample: L sums the formulas over the samples.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import sympy as sp

from ..errors import SymcnnError, did_you_mean
from ..model.names import make_name, normalize
from ..symbolic.adjoint import gradient_program
from ..symbolic.terms import substitute
from ..symbolic.trace import Trace
from .latex import make_printer, math_name


@dataclass(frozen=True)
class GradientForms:
    """Equations (lhs symbol, rhs) of the delta form and of one parameter's gradient."""

    deltas: list[tuple[sp.Symbol, sp.Expr]]
    gradient: dict[sp.Symbol, sp.Expr]
    names: dict
    expanded_from: dict


def display_names(trace: Trace, fmt: str) -> dict:
    """How every symbol of the gradient program prints: lecture names, z^{(l)}_k for
    unnamed sums, F_NN for the output, Y for the target, dL/dx for adjoints."""
    names = {}
    for symbol, name in trace.names.items():
        shown = math_name(name) if fmt == "latex" else name.latex
        names[symbol] = SimpleNamespace(latex=shown)
    for row in trace.rows:
        if row.role in ("linear", "pool") and row.symbol not in names:
            flat = int(row.symbol.name.rsplit("_", 1)[1]) - 1
            groups = trace.network.groups[row.layer].reshape(-1)[flat]
            names[row.symbol] = SimpleNamespace(
                latex=make_name("z", *groups, layer=row.layer).latex
            )
    many = len(trace.outputs) > 1
    for k, (output, target) in enumerate(zip(trace.outputs, trace.targets), start=1):
        label = f"F_{{NN,{k}}}" if many else "F_{NN}"
        if output not in trace.names:
            names[output] = SimpleNamespace(latex=label)
        names[target] = SimpleNamespace(latex=f"Y_{{{k}}}" if many else "Y")
    adjoints = {}
    for symbol, name in list(names.items()):
        shown = (
            rf"\frac{{\partial L}}{{\partial {name.latex}}}"
            if fmt == "latex"
            else f"dL/d{name.latex}"
        )
        adjoints[sp.Symbol(f"_d{symbol.name}", real=True)] = SimpleNamespace(
            latex=shown
        )
    names.update(adjoints)
    return names


def gradient_forms(trace: Trace, fmt: str = "latex") -> GradientForms:
    """The delta equations (output first) and every parameter's gradient, with the
    activation rows folded in."""
    program = gradient_program(trace)
    definitions = dict(program.assignments)
    folded = {
        sp.Symbol(f"_d{row.symbol.name}", real=True)
        for row in trace.rows
        if row.role == "activation"
    }
    fold = {symbol: definitions[symbol] for symbol in folded if symbol in definitions}
    # An activation's value prints as f(z) in terms of the sum it applies to.
    fold.update(
        {row.symbol: row.expr for row in trace.rows if row.role == "activation"}
    )
    # Output first, then layer by layer towards the input, each layer in its order.
    place = {
        f"_d{row.symbol.name}": (-row.layer, index)
        for index, row in enumerate(trace.rows)
    }
    deltas = sorted(
        (
            (symbol, substitute(expr, fold))
            for symbol, expr in program.assignments
            if symbol.name in place and symbol not in folded
        ),
        key=lambda pair: place[pair[0].name],
    )
    gradient = {
        parameter: substitute(entry, fold)
        for parameter, entry in zip(trace.parameters, program.gradient)
    }
    # "Expanded" substitutes the deltas, not the forward values: F_NN, z and a stay
    # named (fully expanded to pixels the count-11 dL/dw_1 is 300 lines).
    expanded_from = {symbol: expr for symbol, expr in deltas}
    expanded_from.update(fold)
    return GradientForms(deltas, gradient, display_names(trace, fmt), expanded_from)


def parameter_symbol(trace: Trace, name: str) -> sp.Symbol:
    by_name = {normalize(p.name.latex): p.symbol for p in trace.network.parameters}
    symbol = by_name.get(normalize(name))
    if symbol is None:
        printed = [p.name.latex for p in trace.network.parameters]
        raise SymcnnError(
            f"{name!r} is not a parameter{did_you_mean(normalize(name), by_name)}; the "
            f"parameters are: {', '.join(printed)}"
        )
    return symbol


def chain(
    forms: GradientForms, parameter: sp.Symbol
) -> list[tuple[sp.Symbol, sp.Expr]]:
    """The delta equations that dL/d(parameter) reads, output first."""
    needed = set(forms.gradient[parameter].free_symbols)
    wanted = set()
    for symbol, expr in reversed(forms.deltas):
        if symbol in needed:
            wanted.add(symbol)
            needed |= expr.free_symbols
    return [(symbol, expr) for symbol, expr in forms.deltas if symbol in wanted]


def gradient_lines(
    trace: Trace, name: str, fmt: str = "latex", weights=None
) -> list[tuple[str, str, str]]:
    """(section, lhs, rhs) rows for `derive --gradient NAME`: the chain-rule equations,
    the gradient entry through them, the entry with every delta substituted (in
    terms of the forward values F_NN, z, a and the weights), and "where" rows that
    define the z^{(l)}_k and F_NN they use. `weights` (exact, network order) are put
    into every row."""
    forms = gradient_forms(trace, fmt)
    parameter = parameter_symbol(trace, name)
    show = make_printer(forms.names, fmt).doprint
    put = with_weights(trace, weights)
    lhs = forms.names[sp.Symbol(f"_d{parameter.name}", real=True)].latex
    pairs = [(show(s), put(e)) for s, e in chain(forms, parameter)]
    entry = forms.gradient[parameter]
    pairs.append((lhs, put(entry)))
    expanded = put(substitute(entry, forms.expanded_from))
    rows = [("chain rule", left, show(right)) for left, right in pairs]
    rows.append(("expanded", lhs, show(expanded)))
    used = [right for _, right in pairs] + [expanded]
    return rows + labelled(where_rows(trace, forms, used, show, put), fmt)


def with_weights(trace: Trace, weights):
    """expr -> expr with `weights` put in (the identity without weights)."""
    if weights is None:
        return lambda expr: expr
    values = dict(zip(trace.parameters, weights))
    return lambda expr: substitute(expr, values)


def where_rows(trace: Trace, forms: GradientForms, used, show, put) -> list:
    """("where", z^{(2)}_{1}, a_{11} w_{11,1} + ... + b_{1}) for every unnamed sum (and
    an unnamed F_NN) the printed rows use, and those their definitions use, in
    forward order."""
    defined = {
        row.symbol: row
        for row in trace.rows
        if row.role in ("linear", "pool") and row.symbol not in trace.names
    }
    activations = {r.symbol: r.expr for r in trace.rows if r.role == "activation"}
    wanted, todo = set(), set().union(*(e.free_symbols for e in used))
    while todo:
        symbol = todo.pop()
        if symbol in defined and symbol not in wanted:
            wanted.add(symbol)
            todo |= put(substitute(defined[symbol].expr, activations)).free_symbols
    return [
        ("where", show(row.symbol), show(put(substitute(row.expr, activations))))
        for row in trace.rows
        if row.symbol in wanted
    ]


def delta_lines(
    trace: Trace, fmt: str = "latex", weights=None
) -> list[tuple[str, str, str]]:
    """Backpropagation layer by layer: every delta equation, output first, and the
    "where" rows of the sums they use; `weights` put in when given."""
    forms = gradient_forms(trace, fmt)
    show = make_printer(forms.names, fmt).doprint
    put = with_weights(trace, weights)
    pairs = [(show(s), put(e)) for s, e in forms.deltas]
    rows = [("deltas", left, show(right)) for left, right in pairs]
    where = where_rows(trace, forms, [e for _, e in pairs], show, put)
    return rows + labelled(where, fmt)


def labelled(rows: list, fmt: str) -> list:
    """LaTeX has no section headings: the first "where" row says it."""
    if fmt != "latex" or not rows:
        return rows
    (section, lhs, rhs), *rest = rows
    return [(section, rf"\text{{where }} {lhs}", rhs), *rest]
