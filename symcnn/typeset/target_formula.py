"""A target as a formula: Y(P) for reports and slides, whatever kind of callable it is.

A built-in target (count_pattern, contains_pattern) is described in words; a Python
function is typeset by latexify-py when it can read it (def count_11(p_11, ...):
return p_11 p_12 + ...); anything else (a lambda, a loop, a builtin) falls back to
its name, with latexify-py's reason, so a report always has a line for the target.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import SymcnnError
from .pyformula import function_latex


#: latexify-py's call with no arguments: what it leaves of a.sum() or a.max().
EMPTY_CALL = r"\left( \mathclose{}\right)"


@dataclass(frozen=True)
class TargetFormula:
    """`latex`: the formula (or the fallback); `typeset`: True when latexify-py or a
    built-in description wrote it; `note`: why not, for the fallback."""

    latex: str
    typeset: bool
    note: str = ""


def target_formula(target: Callable, *, name: str = "Y") -> TargetFormula:
    """Y(P) = ... for `target` (module docstring)."""
    count = getattr(target, "counted_pattern", None)
    if count is not None:
        words = rf"\text{{the number of times {rows(count)} occurs in }} P"
        return TargetFormula(f"{name}(P) = {words}", True)
    contained = getattr(target, "contained_pattern", None)
    if contained is not None:
        occurs = rf"\text{{{rows(contained)} occurs in }} P"
        cases = rf"\begin{{cases}} 1 & {occurs} \\ 0 & \text{{otherwise}} \end{{cases}}"
        return TargetFormula(f"{name}(P) = {cases}", True)
    label = getattr(target, "__name__", None)
    if label is None or label == "<lambda>" or not inspect.isfunction(target):
        what = (
            "a lambda" if label == "<lambda>" else f"{label or type(target).__name__}"
        )
        return fallback(
            name,
            "target" if label == "<lambda>" else what,
            (
                f"not typeset: {what} is no function written with def, the only kind "
                "latexify-py reads"
            ),
        )
    try:
        latex = str(function_latex(target, name=name))
        if EMPTY_CALL in latex:  # latexify-py writes a.sum() as \sum() (no `a`)
            return fallback(
                name,
                label,
                "not typeset: latexify-py drops the object of a method call such as "
                "a.sum(); write sum(a) or np.sum(a)",
            )
        return TargetFormula(latex, True)
    except SymcnnError as error:
        return fallback(name, label, f"not typeset: {error}")
    except SyntaxError as error:  # latexify-py read a source it could not parse
        return fallback(
            name, label, f"not typeset: its source does not parse ({error})"
        )


def fallback(name: str, label: str, note: str) -> TargetFormula:
    """Y(P) = \\mathrm{label}(P), with why it is not the function's formula."""
    shown = label.replace("_", r"\_")
    return TargetFormula(rf"{name}(P) = \mathrm{{{shown}}}(P)", False, note)


def rows(pattern) -> str:
    """The pattern's rows as "1/1"."""
    return "/".join("".join(str(v) for v in row) for row in pattern)
