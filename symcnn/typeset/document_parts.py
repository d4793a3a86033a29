"""What a document shows of a spec besides its formulas, as (caption, display math)
items that an article (document.py) and slides (beamer_document.py) lay out alike:
each image and every layer's values as number grids under their own names (slide
L5), what each input channel adds to a convolution (L6), the one convolution a
stack of linear filters equals (L7), the exact check and the exhaustive verdict
(L4: F_NN equals the spec's [target] on every binary image).

An item is (group, caption, math): the frame it goes to on slides (an image's
name, "the composed filter", "the exact check"), LaTeX text (already escaped) and
one display's content.
"""

from __future__ import annotations

from ..errors import SymcnnError
from ..model.layers import Conv2D, Pool2D
from ..model.names import Name
from ..prove.verify import channel_contributions, check, forward_exact
from ..symbolic.compose import compose, max_response
from .forms import F_NN, IMAGE
from .latex import escape_text, make_printer, math_name
from .slides import grid_latex, pooling_blocks, step_trace

CHECK = "the exact check"
#: Between the grids of one display.
SEPARATOR = r",\quad "
#: \symcnnfit{content}: content as it is, or scaled down to the line's width (a
#: layer with many channels, VGG's summary table), so that nothing runs off the
#: page; graphicx is part of every LaTeX installation.
FIT_MACROS = r"""\newsavebox\symcnnbox
\newcommand{\symcnnfit}[1]{\sbox\symcnnbox{#1}%
  \ifdim\wd\symcnnbox>\linewidth\resizebox{\linewidth}{!}{\usebox\symcnnbox}%
  \else\usebox\symcnnbox\fi}
"""


def fit_table(summary: str) -> str:
    """summary_latex's tabular scaled down when wider than the line, then its
    totals."""
    table, end, totals = summary.partition("\\end{tabular}")
    return f"\\noindent\\symcnnfit{{{table}{end}}}{totals}"


def value_label(trace, number: int) -> str:
    """The printed name of layer `number`'s values: P for the image, the layer's
    letter when its values are named (a, c, h^{(2)}), F_NN(P) for the output, else
    the layer's number and kind."""
    if number == 0:
        return "P"
    first = trace.layer_values[number].flat[0]
    name = trace.names.get(first)
    if name is not None:
        return math_name(Name(name.letter, (), name.layer))
    if number == len(trace.layer_values) - 1:
        return make_printer(trace.names, "latex").doprint(F_NN(IMAGE))
    kind = trace.network.layers[number - 1].kind
    return rf"\text{{layer {number} ({escape_text(kind)})}}"


def channel_grids(label: str, values, marks=None) -> str:
    """`label = grid` for one channel; `label, channel c = grid` for each of many."""
    if len(values) == 1:
        return f"{label} = {grid_latex(values[0], marks)}"
    return SEPARATOR.join(
        rf"{label},\ \text{{channel {c}}} = {grid_latex(grid, marks)}"
        for c, grid in enumerate(values, start=1)
    )


def values_items(spec, trace, weights) -> list[tuple[str, str, str]]:
    """Per image: the image, then each layer's values (and, for a convolution over
    several channels, what each channel adds: slide L6), one display each."""
    items = []
    first = spec.network.layers[0]
    for sample in spec.data.samples:
        layers = forward_exact(trace, weights, sample.image)
        name = escape_text(sample.name)
        for result in layers:
            number = result.number
            marks = None
            if number == 0 and isinstance(first, Pool2D):
                marks = pooling_blocks(result.values[0].shape, first.size)
            label = value_label(trace, number)
            caption = f"{name}: the image" if number == 0 else f"{name}: layer {number}"
            if per_channel(spec.network, number):
                parts = channel_contributions(trace, weights, sample.image, number)
                items.append(
                    (
                        name,
                        f"{name}: what each input channel adds to layer {number}",
                        SEPARATOR.join(
                            rf"\text{{from channel {c}}} = {grid_latex(part[0])}"
                            for c, part in enumerate(parts, start=1)
                        ),
                    )
                )
                caption += " (their sum)"
            grids = channel_grids(label, result.values, marks)
            items.append((name, caption, grids))
    return items


def per_channel(network, number: int) -> bool:
    """Layer `number` is a convolution over more than one input channel."""
    if number == 0:
        return False
    layer = network.layers[number - 1]
    return isinstance(layer, Conv2D) and network.shapes[number - 1][0] > 1


def composed_items(trace, weights) -> list[tuple[str, str, str]]:
    """For a stack of two or more linear convolutions (slide L7): the one filter it
    equals, and the binary patch it answers most; nothing for other networks."""
    if len(trace.network.layers) < 2:
        return []
    try:
        composed = compose(trace, weights)
    except SymcnnError:
        return []
    show = make_printer(trace.names, "latex").doprint
    items = []
    for f, kernel in enumerate(composed.kernel, start=1):
        grids = SEPARATOR.join(
            f"K_{{{f},{c}}} = {grid_latex(channel, names=trace.names)}"
            for c, channel in enumerate(kernel, start=1)
        )
        bias = composed.bias[f - 1]
        group = "the composed filter"
        items.append((group, f"The stack equals one convolution: filter {f}", grids))
        if bias != 0:
            items.append((group, f"Its bias (filter {f})", f"b = {show(bias)}"))
        if weights is not None:
            best = max_response(kernel, bias)
            items.append(
                (
                    group,
                    f"The binary patch it answers most: {best.count} patch(es) "
                    f"reach ${show(best.value)}$ ($*$: either)",
                    SEPARATOR.join(map(pattern_latex, best.pattern)),
                )
            )
    return items


def pattern_latex(channel) -> str:
    """A grid of '0', '1' and '*' as a bmatrix ('*' as an upright asterisk)."""
    rows = [[r"\ast" if cell == "*" else str(cell) for cell in row] for row in channel]
    body = " \\\\\n".join(" & ".join(row) for row in rows)
    return "\\begin{bmatrix}\n" + body + "\n\\end{bmatrix}"


def check_items(spec, trace, weights) -> list[tuple[str, str, str]]:
    """The exact check: the loss, the gradient, kinks; one value step by step; and,
    when the spec has a [target], the verdict on every binary image."""
    report = check(trace, weights, spec.data, target=spec.target)
    gradient = "exactly $0$" if report.gradient_is_zero else "not $0$"
    show = make_printer(trace.names, "latex").doprint
    items = [
        (
            CHECK,
            f"Exact check (the gradient is {gradient}; {len(report.kinks)} "
            "kink(s) met), the loss",
            f"L(w) = {show(report.loss)}",
        )
    ]
    named = trace.equations()
    if named:
        sample = spec.data.samples[0]
        name = trace.names[named[0].symbol].latex
        steps = step_trace(trace, weights, sample.image, name)
        caption = f"On {escape_text(sample.name)}, step by step"
        items.append((CHECK, caption, steps))
    if report.exhaustive is not None:
        items.append(exhaustive_item(report.exhaustive, trace))
    return items


def exhaustive_item(exhaustive, trace) -> tuple[str, str, str]:
    """`F_NN = Y on all 64 binary 2x3 images`, or how many differ."""
    sizes = trace.network.shapes[0]
    shape = r" \times ".join(map(str, sizes if sizes[0] > 1 else sizes[1:]))
    wrong = len(exhaustive.mismatches)
    if exhaustive.is_complete:
        scope = rf"\text{{all {exhaustive.checked:,} binary }} {shape} \text{{ images}}"
    else:
        scope = (
            rf"\text{{{exhaustive.checked:,} random binary }} {shape} "
            rf"\text{{ images (of {exhaustive.total:,}, seed {exhaustive.seed})}}"
        )
    if wrong == 0:
        verdict = rf"F_{{NN}}(P) = Y(P) \text{{ on }} {scope}"
        return (CHECK, "Against the target: no image differs", verdict)
    return (
        CHECK,
        f"Against the target: {wrong:,} image(s) differ",
        rf"F_{{NN}}(P) \neq Y(P) \text{{ on {wrong:,} of }} {scope}",
    )
