"""The vectorized C program ("c") of a network, built layer by layer from the
network itself: no trace rows and no SymPy gradient program, only index arrays.

Vector slots (c_rows.py) are given per layer, contiguous: ONES, the inputs (pixels,
then targets), then each layer's sums and the values after its activation; for the
loss and gradient the loss, one slot per parameter's gradient entry, and an
adjoint for every forward slot s at s + shift. Then, with the connections of
model/connections.py:

    conv, dense   a_r = sum_j x[in_j] w[wt_j] (+ b)   table rows, the trace's order
    their adjoints dx_m = sum over the terms reading x_m of da_r w     (the CSR
                  transposed: stable sort by input), dw_p = sum over the terms of
                  w_p of da_r x, db_k = sum over the rows of b_k of da_r 1;
    activations   h_i = f(z_i), dz_i = dh_i f'(z_i)      one loop per layer;
    pooling       y = max/min/avg of a window's cells  one loop per window size;
                  dx_cell += dy d y / d x_cell             (windows may overlap);
    the loss      L and dL/dF_k                          printed as today.

The loops' bodies are rows on placeholder symbols made by the trace's and reverse
mode's own functions (c_loops.py). Values the loss does not depend on (a stride
that skips cells, pooling that drops a border) get no adjoint terms, as in
gradient_program; a parameter that meets none gets gradient 0.
LeNet-5 (benchmarks/lenet5.py): 767,908 table terms built by NumPy in 0.03 s and a
C source of 14 KB that gcc compiles in 0.1 s; it was 14.3 s through the trace's
SymPy rows and reverse mode, which "c-scalar" still prints (the oracle).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

import numpy as np
import sympy as sp

from ..model.connections import Connections, Windows, layer_connections
from ..model.layers import Flatten
from ..symbolic.adjoint import chain, local_derivatives
from ..symbolic.trace import Row, loss_row, pool_expr, pool_role
from .c_backend import CProgram, default_threads
from .c_build import load_library
from .c_loops import Loops, Statement
from .c_rows import ONES, Table, grouped, insert_terms
from .c_soa import soa_program, soa_sources


@dataclass(frozen=True)
class Values:
    """A layer's values: its sums from vector slot `sums`, its values after the
    activation from `values` (the same slots without one), `size` of each."""

    sums: int
    values: int
    size: int


def symbols(prefix: str, count: int) -> list[sp.Symbol]:
    """Placeholder symbols of the loops' rows."""
    return [sp.Symbol(f"_{prefix}{k}", real=True) for k in range(count)]


def layout(network, inputs: int) -> tuple[list[Values], int]:
    """Per layer (0: the input) its slots, and the number of forward slots."""
    slots, count = [Values(1, 1, math.prod(network.shapes[0]))], 1 + inputs
    for number, layer in enumerate(network.layers, start=1):
        if isinstance(layer, Flatten):  # the same values, flattened
            slots.append(slots[-1])
            continue
        size, sums = math.prod(network.shapes[number]), count
        count += size
        activation = getattr(layer, "activation", None)
        if activation is not None and not activation.is_identity:
            count += size
        slots.append(Values(sums, count - size, size))
    return slots, count


def reads(connections: Connections | Windows) -> tuple[np.ndarray, np.ndarray]:
    """(the input value, the row) of every term or cell."""
    if isinstance(connections, Connections):
        return connections.inputs, connections.term_rows()
    return connections.cells, connections.cell_rows()


def live_values(network, connections) -> list[np.ndarray]:
    """Per layer (0: the input), which of its values the loss depends on: every
    output, and every value a term of a live row reads."""
    live = [np.ones(0, bool)] * (len(network.layers) + 1)
    current = np.ones(math.prod(network.shapes[-1]), dtype=bool)
    for number in range(len(network.layers), 0, -1):
        live[number] = current
        if connections[number] is None:  # Flatten
            continue
        inputs, rows = reads(connections[number])
        below = np.zeros(math.prod(network.shapes[number - 1]), dtype=bool)
        below[inputs[current[rows]]] = True
        current = below
    live[0] = current
    return live


@dataclass
class Program:
    """A network's program being built: table rows, loops, and the calls that run
    them in order (C statements of `program`'s loop over blocks)."""

    network: object
    table: Table
    loops: Loops
    slots: list[Values]
    calls: list
    shift: int = 0  # adjoint slot of forward slot s: s + shift
    gradient: int = 0  # the gradient entry of parameter p: slot gradient + p
    first_output: int = 0  # the outputs' slots, consecutive
    size: int = 0  # vector slots in all

    def rows(self, dest, start, a, b) -> None:
        if len(dest) == 0:
            return
        first, last = self.table.add(dest, start, a, b)
        if (
            self.calls
            and isinstance(self.calls[-1], list)
            and self.calls[-1][1] == first
        ):
            self.calls[-1][1] = last  # one run of the table
        else:
            self.calls.append([first, last])

    def loop(self, count, slots, statements, index=None) -> None:
        if count:
            self.calls += self.loops.loop(count, slots, statements, index)

    def call_code(self) -> list[str]:
        return [
            f"    run_table(V, S, table, {call[0]}, {call[1]});"
            if isinstance(call, list)
            else f"    part{call}(S, v, T);"
            for call in self.calls
        ]


def first_parameters(network) -> list[int]:
    """Per layer (from 1), the index of its first parameter in the flat order."""
    firsts, count = [0], 0
    for weights, biases in zip(network.weights, network.biases):
        firsts.append(count)
        count += weights.size + (0 if biases is None else len(biases))
    return firsts


def linear_forward(program: Program, number: int, conn: Connections, first: int):
    """a_r = sum_j x[in_j] w[wt_j] (+ b), in the trace's term order."""
    x, out = program.slots[number - 1], program.slots[number]
    weights = program.network.weights[number - 1].size
    start, a, b = conn.start, x.values + conn.inputs, ~(first + conn.weights)
    if conn.bias is not None:
        rows, ones = np.arange(conn.rows), np.full(conn.rows, ONES)
        bias = ~(first + weights + conn.bias)
        start, a, b = insert_terms(start, a, b, rows, ones, bias, first=conn.bias_first)
    program.rows(out.sums + np.arange(conn.rows), start, a, b)


def activation_row(activation) -> tuple[Row, sp.Symbol]:
    """(h := f(z), z) on placeholders, as the trace's activation rows."""
    (z, h) = symbols("az", 2)
    return Row(h, activation(z), 0, "activation", activation=activation), z


def activation_forward(program: Program, number: int, activation) -> None:
    """h_i = f(z_i) for every value of the layer: one loop."""
    out, (row, z) = program.slots[number], activation_row(activation)
    slots = {z: f"({out.sums} + i)", row.symbol: f"({out.values} + i)"}
    program.loop(out.size, slots, [Statement(row.symbol, row.expr)])


def activation_adjoint(program: Program, number: int, activation) -> None:
    """dz_i = dh_i f'(z_i) (adjoint.local_derivatives: the layer's f'(0))."""
    out, (row, _) = program.slots[number], activation_row(activation)
    ((z, derivative),) = local_derivatives(row).items()
    dh, dz = symbols("ad", 2)
    shift = program.shift
    slots = {z: f"({out.sums} + i)", dh: f"({out.values + shift} + i)"}
    slots[dz] = f"({out.sums + shift} + i)"
    program.loop(out.size, slots, [Statement(dz, chain(dh, derivative))])


def linear_adjoint(program, number, conn: Connections, first, live) -> None:
    """dw, db and (above the input) dx from the live rows' terms."""
    x, out, shift = program.slots[number - 1], program.slots[number], program.shift
    weights = program.network.weights[number - 1].size
    rows = conn.term_rows()
    keep = live[rows]
    rows, inputs, used = rows[keep], conn.inputs[keep], conn.weights[keep]
    da = out.sums + shift + rows
    start, order = grouped(used, weights)
    dest = program.gradient + first + np.arange(weights)
    program.rows(dest, start, da[order], x.values + inputs[order])
    if conn.bias is not None:
        biases = len(program.network.biases[number - 1])
        live_rows = np.flatnonzero(live)
        start, order = grouped(conn.bias[live_rows], biases)
        dest = program.gradient + first + weights + np.arange(biases)
        ones = np.full(len(live_rows), ONES)
        program.rows(dest, start, out.sums + shift + live_rows[order], ones)
    if x != program.slots[0]:  # the pixels (flattened or not) need no adjoint
        start, order = grouped(inputs, x.size)
        read = np.flatnonzero(np.diff(start))
        start = np.concatenate([[0], np.cumsum(np.diff(start)[read])])
        dest = x.values + shift + read
        program.rows(dest, start, da[order], ~(first + used[order]))


def window_groups(windows: Windows, mode: str, chosen: np.ndarray):
    """(cells, divisor, the windows) per kind of window among `chosen`: one loop
    body each (avg: also per divisor)."""
    counts = np.diff(windows.start)
    divisors = windows.divisor if mode == "avg" else np.zeros_like(counts)
    for n, d in sorted(set(zip(counts[chosen].tolist(), divisors[chosen].tolist()))):
        members = chosen[(counts[chosen] == n) & (divisors[chosen] == d)]
        cells = windows.cells[windows.start[members][:, None] + np.arange(n)]
        yield n, d, members, cells


def pool_forward(program: Program, number: int, windows: Windows) -> None:
    """y = max, min or avg of each window's cells: a loop per kind of window over
    an index table of [y's slot, the cells' slots] rows."""
    layer = program.network.layers[number - 1]
    x, out = program.slots[number - 1], program.slots[number]
    everything = np.arange(windows.rows)
    for n, d, members, cells in window_groups(windows, layer.mode, everything):
        index = np.column_stack([out.sums + members, x.values + cells])
        offset = program.loops.index(index)
        xs, (y,) = symbols("px", n), symbols("py", 1)
        slots = {y: "idx[0]", **{s: f"idx[{q + 1}]" for q, s in enumerate(xs)}}
        statement = Statement(y, pool_expr(layer.mode, xs, d))
        program.loop(len(members), slots, [statement], (offset, n + 1))


def pool_adjoint(program, number: int, windows: Windows, live) -> None:
    """dx_cell = sum over the live windows of its cells of dy d y / d x_cell."""
    layer, shift = program.network.layers[number - 1], program.shift
    x, out = program.slots[number - 1], program.slots[number]
    (dx,) = symbols("pz", 1)
    program.loop(x.size, {dx: f"({x.values + shift} + i)"}, [Statement(dx, sp.S.Zero)])
    for n, d, members, cells in window_groups(
        windows, layer.mode, np.flatnonzero(live)
    ):
        index = np.column_stack([out.sums + members, x.values + cells])
        offset = program.loops.index(index)
        xs, dxs, (y, dy) = symbols("px", n), symbols("pd", n), symbols("py", 2)
        expr = pool_expr(layer.mode, xs, d)
        derivatives = local_derivatives(Row(y, expr, 0, pool_role(expr), tie=layer.tie))
        slots = {dy: f"(idx[0] + {shift})"}
        statements = []
        for q, (cell, adjoint) in enumerate(zip(xs, dxs)):
            slots[cell], slots[adjoint] = f"idx[{q + 1}]", f"(idx[{q + 1}] + {shift})"
            if derivatives.get(cell, sp.S.Zero) is not sp.S.Zero:
                statements.append(
                    Statement(adjoint, chain(dy, derivatives[cell]), True)
                )
        program.loop(len(members), slots, statements, (offset, n + 1))


def loss_adjoints(program: Program, kind: str, pixels: int) -> None:
    """L := the loss of F and y (the trace's loss_row), and dF_k = dL/dF_k."""
    out, shift = program.slots[-1], program.shift
    outputs, targets = symbols("lf", out.size), symbols("ly", out.size)
    row = loss_row(outputs, targets, kind)
    slots = {row.symbol: str(program.first_output)}
    statements = [Statement(row.symbol, row.expr)]
    derivatives = local_derivatives(row)
    for k, (output, adjoint) in enumerate(zip(outputs, symbols("ld", out.size))):
        slots[output], slots[targets[k]] = str(out.values + k), str(1 + pixels + k)
        slots[adjoint] = str(out.values + shift + k)
        if derivatives.get(output, sp.S.Zero) is not sp.S.Zero:
            statements.append(Statement(adjoint, chain(sp.S.One, derivatives[output])))
    program.loop(1, slots, statements)


def build(network, loss: str | None) -> Program:
    """The program of the forward pass (loss None: outputs F per sample) or of the
    loss and its gradient (outputs L, then dL/dtheta in parameter order)."""
    pixels, outputs = math.prod(network.shapes[0]), math.prod(network.shapes[-1])
    slots, forward = layout(network, pixels + (0 if loss is None else outputs))
    parameters = len(network.parameters)
    program = Program(network, Table(zero=parameters), Loops(), slots, [])
    connections = [None] + [
        None if isinstance(layer, Flatten) else layer_connections(network, number)
        for number, layer in enumerate(network.layers, start=1)
    ]
    firsts = first_parameters(network)
    for number, layer in enumerate(network.layers, start=1):
        if isinstance(connections[number], Connections):
            linear_forward(program, number, connections[number], firsts[number])
        elif isinstance(connections[number], Windows):
            pool_forward(program, number, connections[number])
        if activated(layer):
            activation_forward(program, number, layer.activation)
    if loss is None:
        program.first_output, program.size = slots[-1].values, forward
        return program
    program.first_output, program.gradient = forward, forward + 1
    program.shift = forward + parameters
    program.size = program.shift + forward
    loss_adjoints(program, loss, pixels)
    live = live_values(network, connections)
    for number in range(len(network.layers), 0, -1):
        layer, conn = network.layers[number - 1], connections[number]
        if activated(layer):
            activation_adjoint(program, number, layer.activation)
        if isinstance(conn, Connections):
            linear_adjoint(program, number, conn, firsts[number], live[number])
        elif isinstance(conn, Windows) and slots[number - 1] != slots[0]:
            pool_adjoint(program, number, conn, live[number])
    return program


def activated(layer) -> bool:
    """Whether the layer has an activation row of its own (not the identity)."""
    activation = getattr(layer, "activation", None)
    return activation is not None and not activation.is_identity


def program_sources(program: Program, loss: str | None):
    """(C translation units, int32 table, (parameters, inputs, outputs)) of a built
    program: c_soa.soa_sources with the sizes of `program`."""
    network = program.network
    pixels, outputs = math.prod(network.shapes[0]), math.prod(network.shapes[-1])
    parameters = len(network.parameters)
    sizes = {
        "NI": pixels + (0 if loss is None else outputs),
        "NO": outputs if loss is None else 1 + parameters,
        "NT": parameters, "NN": 1, "NS": program.size,
        "FIRST_OUTPUT": program.first_output, "SUMS": int(loss is not None),
    }  # fmt: skip
    sources = soa_sources(
        program.call_code(), program.loops.parts, sizes, units=os.cpu_count() or 1
    )
    table = np.concatenate([program.table.packed(), *program.loops.indices])
    shape = (sizes["NT"], sizes["NI"], sizes["NO"])
    return sources, table.astype(np.int32), shape


def compile_network(network, loss: str | None) -> CProgram:
    """Build, compile (or take from the cache) and load the program of `network`:
    with a loss, (theta, rows of pixels and targets) -> per block of LANES samples
    the sums of L and dL/dtheta; without, (theta, pixels) -> F per sample."""
    threads = default_threads()  # a bad $SYMCNN_THREADS before the compiler runs
    sources, table, shape = program_sources(build(network, loss), loss)
    library = load_library(sources, native=True)
    return soa_program(library, shape, threads, table, sums=loss is not None)
