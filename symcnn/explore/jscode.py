"""The trace's gradient program as JavaScript: the page computes with the same rows, in
the same order, as every other backend (numeric/compile.py, numeric/c_backend.py).

One generated function

    program(t, x, v, forwardOnly) -> v

runs assignment k of adjoint.gradient_program as ``v[k] = ...`` (t: the parameters,
x: the pixels then the targets, v: a Float64Array of the assignments), and without
`forwardOnly` writes the loss and the gradient after them. Printed by SymPy's
JavaScript printer in the trace's term order, our functions as small helpers with the
C backend's conventions: ReLU'(0) as the layer chose, a pooling tie to the first
(or, with tie = "last", the last) winning cell in raster order (pooling.rivals), every
number the double all backends use (numeric/constants.float_literal).
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp
from sympy.printing.jscode import JavascriptCodePrinter

from ..numeric.constants import PoolPrinting, SafeNames, TraceOrder
from ..symbolic.adjoint import gradient_program
from ..symbolic.trace import Trace

#: The helpers the printed rows call; each mirrors c_backend.HELPERS and
#: losses.C_HELPERS operation for operation (max2 keeps a on a tie and on NaN).
HELPERS = """\
function relu(x) { return x > 0 ? x : 0.0; }
function relu_step(x, z) { return x > 0 ? 1.0 : (x < 0 ? 0.0 : z); }
function leaky_relu(x, s) { return x > 0 ? x : s * x; }
function leaky_relu_step(x, s, z) { return x > 0 ? 1.0 : (x < 0 ? s : z); }
function sigmoid(x) { return 0.5 * Math.tanh(0.5 * x) + 0.5; }
function max2(a, b) { return b > a ? b : a; }
function min2(a, b) { return b < a ? b : a; }
function lse(xs) {
  let m = xs[0], s = 0.0;
  for (let k = 1; k < xs.length; k++) m = xs[k] > m ? xs[k] : m;
  for (let k = 0; k < xs.length; k++) s += Math.exp(xs[k] - m);
  return m + Math.log(s);
}
function softmax(i, xs) {
  let m = xs[0], s = 0.0;
  for (let k = 1; k < xs.length; k++) m = xs[k] > m ? xs[k] : m;
  for (let k = 0; k < xs.length; k++) s += Math.exp(xs[k] - m);
  return Math.exp(xs[i] - m) / s;
}
function softplus(x) { return (x > 0 ? x : 0.0) + Math.log1p(Math.exp(-Math.abs(x))); }
"""


class JSTracePrinter(TraceOrder, PoolPrinting, SafeNames, JavascriptCodePrinter):
    """JavaScript for one program row: symbols as the slots in `slots` (t[i], x[i],
    v[k]), our functions as the helpers above, terms in the trace's order."""

    WINNER = "({})"  # 0 or 1, as C's (double)(a > b & ...)
    TEST = "({} {} {})"

    def __init__(self, slots: dict[sp.Symbol, str]):
        super().__init__(slots, {"order": "none"})

    def _print_Pow(self, expr):
        base, exponent = expr.args
        if exponent == 2:  # the squared loss: one product, as the C printer writes it
            code = self.parenthesize(base, 50)
            return f"({code})*({code})"
        return super()._print_Pow(expr)

    def _call(self, name, args):
        return f"{name}({', '.join(self._print(arg) for arg in args)})"

    def _print_ReLU(self, expr):
        return self._call("relu", expr.args)

    def _print_ReLUStep(self, expr):
        return self._call("relu_step", expr.args)

    def _print_LeakyReLU(self, expr):
        return self._call("leaky_relu", expr.args)

    def _print_LeakyReLUStep(self, expr):
        return self._call("leaky_relu_step", expr.args)

    def _print_Sigmoid(self, expr):
        return self._call("sigmoid", expr.args)

    def _print_SoftPlus(self, expr):
        return self._call("softplus", expr.args)

    def _print_LogSumExp(self, expr):
        return f"lse([{', '.join(self._print(arg) for arg in expr.args)}])"

    def _print_Softmax(self, expr):
        cells = ", ".join(self._print(arg) for arg in expr.args[1:])
        return f"softmax({int(expr.args[0])}, [{cells}])"


@dataclass(frozen=True)
class ProgramCode:
    """The generated function and where its numbers are: `slots` maps every symbol of
    the trace (parameters, pixels, targets, rows) to its place ("t", "x" or "v",
    index); the loss is v[loss] and the gradient v[gradient], v[gradient + 1], ...;
    `forward` assignments are the rows up to the loss (what forwardOnly runs)."""

    source: str
    slots: dict[sp.Symbol, tuple[str, int]]
    size: int
    loss: int
    gradient: int
    forward: int


def program_code(trace: Trace) -> ProgramCode:
    """`program` (see the module) for the trace's gradient program."""
    program = gradient_program(trace)
    inputs = [*trace.pixels.flat, *trace.targets]
    slots = {p: ("t", i) for i, p in enumerate(trace.parameters)}
    slots.update({symbol: ("x", i) for i, symbol in enumerate(inputs)})
    names = {symbol: f"{kind}[{i}]" for symbol, (kind, i) in slots.items()}
    printer = JSTracePrinter(names)
    forward = len(trace.rows) - 1  # every forward row but the loss, which reads y
    lines = []
    for number, (symbol, expr) in enumerate(program.assignments):
        if number == forward:
            lines.append("  if (forwardOnly) return v;")
        code = printer.doprint(expr)  # printed before its own slot exists
        slots[symbol] = ("v", number)
        names[symbol] = f"v[{number}]"
        lines.append(f"  v[{number}] = {code};")
    count = len(program.assignments)
    outputs = [program.loss, *program.gradient]
    for k, output in enumerate(outputs):
        lines.append(f"  v[{count + k}] = {printer.doprint(output)};")
    source = (
        HELPERS
        + "function program(t, x, v, forwardOnly) {\n"
        + "\n".join(lines)
        + "\n  return v;\n}\n"
    )
    return ProgramCode(
        source, slots, count + len(outputs), count, count + 1, forward
    )
