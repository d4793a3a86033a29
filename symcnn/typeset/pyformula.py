"""Python functions as formulas, through latexify-py: a target or an activation written
in Python shown next to the network's formulas, in the lecture's names.

latexify escapes identifiers (p_11 becomes \\mathrm{p\\_11}); names made of a letter and
digits (p11, p_11) are turned back into lecture names (p_{11}) here."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..errors import SymcnnError
from .displayable import Latex

LECTURE_NAME = re.compile(r"\\mathrm\{([A-Za-z]+)(?:\\_)?(\d+)\}")


def function_latex(function: Callable, *, name: str | None = None) -> Latex:
    """'Y(p_{11}, ...) = p_{11} p_{12} + ...' for a Python function latexify-py can read
    (one return expression, or assignments then a return); a SymcnnError saying why
    otherwise. `name` replaces the function's own name on the left. The result is a
    str that Jupyter typesets (displayable.Latex)."""
    import latexify  # 0.1 s; only when a Python function is typeset

    options = {"identifiers": {function.__name__: name}} if name else {}
    try:
        latex = latexify.get_latex(function, **options)
    except latexify.exceptions.LatexifyError as error:
        raise SymcnnError(
            f"latexify-py cannot turn {function.__name__!r} into a formula: {error}. "
            "Write it as one `return` expression (or assignments then a return), "
            "without loops"
        ) from None
    except (OSError, TypeError) as error:
        raise SymcnnError(
            f"latexify-py cannot read the source of {function!r} ({error}); define it "
            "with `def` in a file"
        ) from None
    latex = LECTURE_NAME.sub(lambda m: f"{m.group(1)}_{{{m.group(2)}}}", latex)
    # The lecture writes products of names without a symbol; a \cdot before a digit
    # stays (2 \cdot 3 is not 23).
    return Latex(re.sub(r"(?<=[}A-Za-z]) \\cdot (?=[A-Za-z\\])", " ", latex))
