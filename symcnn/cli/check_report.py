"""What `check` found, for people (text) and for scripts (JSON with exact strings)."""

from __future__ import annotations

import textwrap

import numpy as np
import sympy as sp

from ..model.data import image_json, image_text
from ..prove.verify import CheckReport, Kink
from ..symbolic.terms import substitute
from ..typeset.latex import make_printer
from ..typeset.summary import layer_description
from .exhaustive_report import check_passed, exhaustive_json, exhaustive_lines
from .exhaustive_report import number_text

#: Text reports fit an 80-column terminal.
TEXT_WIDTH = 80


def kink_formula(report: CheckReport, kink: Kink, fmt: str) -> str:
    """The activation at its kink as the slide writes it with the weights put in:
    'f(a_{11} - 1)'."""
    trace = report.trace
    weights = dict(zip(trace.parameters, report.weights))
    arguments = [substitute(trace.inline(a), weights) for a in kink.row.expr.args]
    formula = kink.row.expr.func(*arguments)
    return make_printer(trace.names, fmt).doprint(formula)


def sample_image(report: CheckReport, name: str) -> str:
    return next(image_text(s.image) for s in report.samples if s.name == name)


def exact(value: sp.Rational) -> str:
    return str(value)


def check_json(report: CheckReport) -> dict:
    """Stable keys; every exact number a string ("0", "-1/2")."""
    names = [p.name.latex for p in report.trace.network.parameters]
    return {
        "samples": [
            {
                "name": s.name,
                "image": image_text(s.image),
                "pixels": image_json(s.image),
            }
            for s in report.samples
        ],
        "outputs": [list(map(exact, o)) for o in report.outputs],
        "residuals": [list(map(exact, r)) for r in report.residuals],
        "loss": exact(report.loss),
        "gradient": {name: exact(g) for name, g in zip(names, report.gradient)},
        "gradient_is_zero": report.gradient_is_zero,
        "kinks": [
            {
                "sample": k.sample,
                "image": sample_image(report, k.sample),
                "activation": kink_formula(report, k, "latex"),
                "convention": k.convention,
            }
            for k in report.kinks
        ],
        "exhaustive": exhaustive_json(report.exhaustive),
        "hessian": curvature_json(report.curvature),
        "one_sided_gradients": (
            None
            if report.one_sided is None
            else {
                side: {name: exact(g) for name, g in zip(names, gradient)}
                for side, gradient in report.one_sided.items()
            }
        ),
        "passed": check_passed(report),
    }


def check_text(report: CheckReport, decimals: int | None = None) -> str:
    """The report; with `decimals`, numbers as decimals of that many digits."""
    show = exact if decimals is None else number_text(decimals)
    lines = ["Exact check (rational arithmetic, nothing rounded)", ""]
    lines += sample_table(report, show)
    failing = [s.name for s, r in zip(report.samples, report.residuals) if any(r)]
    if failing:
        lines += ["", f"Samples with a nonzero residual: {', '.join(failing)}"]
    lines += ["", f"Loss L(w) = {show(report.loss)}"]
    lines += gradient_lines(report, show)
    lines += kink_lines(report)
    lines += one_sided_lines(report)
    lines += curvature_lines(report)
    lines += exhaustive_lines(report, number_text(decimals))
    passed = check_passed(report)
    verdict = "PASSED" if passed else "FAILED"
    reason = "loss exactly 0" + (
        ", every binary image matches the target" if report.exhaustive else ""
    )
    if report.exhaustive and not report.exhaustive.is_complete:
        reason = "loss exactly 0, every sampled image matches the target"
    if report.exhaustive and report.exhaustive.verdict.mode != "exact":
        every = "every" if report.exhaustive.is_complete else "every sampled"
        reason = f"right on {every} image"
    lines += ["", f"Result: {verdict}" + (f" ({reason})" if passed else "")]
    return "\n".join(lines)


def sample_table(report: CheckReport, show=exact) -> list[str]:
    rows = [["sample", "image", "F_NN(P)", "Y", "residual"]]
    for sample, output, residual in zip(
        report.samples, report.outputs, report.residuals
    ):
        rows.append(
            [
                sample.name,
                image_text(sample.image),
                ", ".join(map(show, output)),
                ", ".join(map(show, sample.target)),
                ", ".join(map(show, residual)),
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  " + "  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip()
        for row in rows
    ]


def gradient_lines(report: CheckReport, show=exact) -> list[str]:
    names = [p.name.latex for p in report.trace.network.parameters]
    if report.gradient_is_zero:
        return [f"Gradient: all {len(names)} entries are exactly 0"]
    lines = ["Gradient (nonzero entries):"]
    lines += [
        f"  dL/d{name} = {show(g)}" for name, g in zip(names, report.gradient) if g != 0
    ]
    return lines


def wrapped(text: str, indent: str = "") -> list[str]:
    """Prose for an 80-column terminal; continuation lines indented two more."""
    return textwrap.wrap(
        text,
        TEXT_WIDTH,
        initial_indent=indent,
        subsequent_indent=indent + "  ",
        break_on_hyphens=False,
    )


def kink_lines(report: CheckReport) -> list[str]:
    if not report.kinks:
        return wrapped(
            "Kinks: no activation sits at its kink and no pooling window is tied; "
            "the gradient is the true gradient"
        )
    conventions = sorted({k.convention for k in report.kinks})
    lines = wrapped(
        f"Kinks: {len(report.kinks)} point(s) where the network has no derivative; "
        f"the gradient above used {'; '.join(conventions)}:"
    )
    for kink in report.kinks:
        where = "has argument 0" if kink.row.role == "activation" else "is tied"
        lines += wrapped(
            f"{kink.sample} ({sample_image(report, kink.sample)}): "
            f"{kink_formula(report, kink, 'text')} {where}",
            "  ",
        )
    if report.loss == 0:
        lines += wrapped(
            "The loss is exactly 0 and L >= 0, so these weights are a global minimum "
            "whatever the convention.",
            "  ",
        )
    return lines


def curvature_json(curvature) -> dict | None:
    if curvature is None:
        return None
    counts = (
        {}
        if curvature.reason
        else {
            "positive": curvature.positive,
            "negative": curvature.negative,
            "zero": curvature.zero,
        }
    )
    return {**counts, "verdict": curvature.verdict}


def curvature_lines(report: CheckReport) -> list[str]:
    curvature = report.curvature
    if curvature is None:
        return []
    if curvature.reason:
        return wrapped(f"Hessian: {curvature.verdict}")
    return wrapped(
        f"Hessian eigenvalues (exact signs): {curvature.positive} positive, "
        f"{curvature.negative} negative, {curvature.zero} zero: {curvature.verdict}"
    )


def one_sided_lines(report: CheckReport) -> list[str]:
    """The gradient with every kink's left and right derivative, so that a zero
    gradient at a kink is claimed only when it holds for every one-sided choice."""
    if not report.one_sided:
        return []
    lines = wrapped(
        "One-sided gradients at the kinks (left: ReLU'(0) = 0, ties to the first "
        "cell; right: ReLU'(0) = 1, ties to the last cell):"
    )
    names = [p.name.latex for p in report.trace.network.parameters]
    for side, gradient in report.one_sided.items():
        nonzero = [f"dL/d{n} = {g}" for n, g in zip(names, gradient) if g != 0]
        lines.append(
            f"  {side}: "
            + ("all entries exactly 0" if not nonzero else ", ".join(nonzero))
        )
    if all(all(g == 0 for g in gradient) for gradient in report.one_sided.values()):
        lines += wrapped(
            "The gradient is 0 whichever one-sided derivative is taken.", "  "
        )
    return lines


def grid_lines(array: np.ndarray, indent: str = "    ") -> list[str]:
    """A (c, h, w) array of exact numbers as right-aligned rows, a block per channel."""
    cells = [[[str(v) for v in row] for row in channel] for channel in array]
    width = max(len(cell) for channel in cells for row in channel for cell in row)
    lines = []
    for number, channel in enumerate(cells, start=1):
        if len(cells) > 1:
            lines.append(f"{indent}channel {number}:")
        pad = indent + ("  " if len(cells) > 1 else "")
        lines += [pad + " ".join(cell.rjust(width) for cell in row) for row in channel]
    return lines


def grid_json(array: np.ndarray | None):
    if array is None:
        return None
    return [[[str(v) for v in row] for row in channel] for channel in array]


def forward_text(network, sample, layers, contributions: dict) -> str:
    """Every layer's exact values on one sample, as number grids."""
    shape = "x".join(map(str, sample.image.shape))
    lines = [f"{sample.name} ({shape}):", "  input:"] + grid_lines(sample.image)
    for result in layers[1:]:
        layer = network.layers[result.number - 1]
        shape = "x".join(map(str, network.shapes[result.number]))
        lines.append(
            f"  layer {result.number} ({layer_description(layer)}) -> {shape}:"
        )
        blocks = contributions.get(result.number, ())
        for channel, block in enumerate(blocks, start=1):
            lines.append(f"   from input channel {channel}:")
            lines += grid_lines(block)
        if len(blocks):
            lines.append("   sum:" if layer.bias is False else "   sum + bias:")
        activation = getattr(layer, "activation", None)
        if activation is not None and not activation.is_identity:
            lines.append(f"   before {activation.kind}:")
            lines += grid_lines(result.sums)
            lines.append(f"   after {activation.kind}:")
        lines += grid_lines(result.values)
    return "\n".join(lines)


def forward_json(network, sample, layers, contributions: dict) -> dict:
    return {
        "sample": sample.name,
        "image": grid_json(sample.image),
        "layers": [
            {
                "layer": f"{r.number}: "
                f"{layer_description(network.layers[r.number - 1])}",
                "output_shape": list(network.shapes[r.number]),
                "before_activation": grid_json(r.sums),
                "values": grid_json(r.values),
                "from_input_channels": [
                    grid_json(block) for block in contributions.get(r.number, ())
                ],
            }
            for r in layers[1:]
        ],
    }
