"""LaTeX that shows itself in Jupyter and still is the str it always was.

`Latex` is a str subclass (so `==`, `print`, slicing and every old caller work) with
`_repr_latex_`: a notebook cell ending in sc.function_latex(...) or
derivation.to_latex(width=60) shows the formula typeset, not the quoted source. A
block is wrapped in $$...$$ unless it already is math.
"""

from __future__ import annotations


class Latex(str):
    """A LaTeX formula or `aligned` block; Jupyter typesets it."""

    __slots__ = ()

    def _repr_latex_(self) -> str:
        text = str(self)
        if text.startswith(("$", r"\[", r"\begin{equation")):
            return text
        return f"$$\n{text}\n$$"
