"""What `check` found, for people (text) and for scripts (JSON with exact strings)."""

from __future__ import annotations

import sympy as sp

from .data import image_text
from .latex import make_printer
from .terms import substitute
from .verify import CheckReport, Kink


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
    exhaustive = None
    if report.exhaustive is not None:
        exhaustive = {
            "checked": report.exhaustive.checked,
            "mismatches": [
                {
                    "image": image_text(m.image),
                    "output": list(map(exact, m.output)),
                    "expected": list(map(exact, m.expected)),
                }
                for m in report.exhaustive.mismatches
            ],
        }
    return {
        "samples": [
            {"name": s.name, "image": image_text(s.image)} for s in report.samples
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
        "exhaustive": exhaustive,
        "passed": report.passed,
    }


def check_text(report: CheckReport) -> str:
    lines = ["Exact check (rational arithmetic, nothing rounded)", ""]
    lines += sample_table(report)
    lines += ["", f"Loss L(w) = {report.loss}"]
    lines += gradient_lines(report)
    lines += kink_lines(report)
    lines += exhaustive_lines(report)
    verdict = "PASSED" if report.passed else "FAILED"
    reason = "loss exactly 0" + (
        ", every binary image matches the target" if report.exhaustive else ""
    )
    lines += ["", f"Result: {verdict}" + (f" ({reason})" if report.passed else "")]
    return "\n".join(lines)


def sample_table(report: CheckReport) -> list[str]:
    rows = [["sample", "image", "F_NN(P)", "Y", "residual"]]
    for sample, output, residual in zip(
        report.samples, report.outputs, report.residuals
    ):
        rows.append(
            [
                sample.name,
                image_text(sample.image),
                ", ".join(map(exact, output)),
                ", ".join(map(exact, sample.target)),
                ", ".join(map(exact, residual)),
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  " + "  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip()
        for row in rows
    ]


def gradient_lines(report: CheckReport) -> list[str]:
    names = [p.name.latex for p in report.trace.network.parameters]
    if report.gradient_is_zero:
        return [f"Gradient: all {len(names)} entries are exactly 0"]
    lines = ["Gradient (nonzero entries):"]
    lines += [
        f"  dL/d{name} = {g}" for name, g in zip(names, report.gradient) if g != 0
    ]
    return lines


def kink_lines(report: CheckReport) -> list[str]:
    if not report.kinks:
        return [
            "Kinks: no ReLU argument is exactly 0; the gradient is the true gradient"
        ]
    conventions = sorted({k.convention for k in report.kinks})
    lines = [
        f"Kinks: {len(report.kinks)} ReLU argument(s) are exactly 0, where ReLU has no "
        f"derivative; the gradient above used {'; '.join(conventions)}:"
    ]
    lines += [
        f"  {k.sample} ({sample_image(report, k.sample)}): "
        f"{kink_formula(report, k, 'text')}"
        " has argument 0"
        for k in report.kinks
    ]
    if report.loss == 0:
        lines.append(
            "  The loss is exactly 0 and L >= 0, so these weights are a global minimum "
            "whatever the convention."
        )
    return lines


def exhaustive_lines(report: CheckReport) -> list[str]:
    result = report.exhaustive
    if result is None:
        return []
    shape = "x".join(map(str, report.trace.network.shapes[0][1:]))
    matched = result.checked - len(result.mismatches)
    lines = [
        f"Exhaustive: {matched} of {result.checked} binary {shape} images match the "
        "target"
    ]
    for mismatch in result.mismatches[:20]:
        lines.append(
            f"  {image_text(mismatch.image)}: "
            f"F_NN = {', '.join(map(exact, mismatch.output))}, "
            f"target {', '.join(map(exact, mismatch.expected))}"
        )
    if len(result.mismatches) > 20:
        lines.append(
            f"  ... and {len(result.mismatches) - 20} more (all in --format json)"
        )
    return lines
