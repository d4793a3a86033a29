"""The forms a lecture writes of one network (forms.py), printed: LaTeX for slides,
text under section headings, and JSON with every formula a LaTeX string."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import sympy as sp

from ..model.losses import EXACT_LOSSES, class_index, float_value, loss_scale
from ..symbolic.terms import substitute
from ..model.symbols import Symbols
from .definitions import activation_definitions
from .displayable import Latex
from .forms import F_NN, IMAGE, LOSS, Forms, sample_symbol
from .latex import make_printer
from .rows import iter_rows_text, rows_latex

#: Jupyter breaks a derivation's formulas wider than this many characters (a notebook
#: cell shows about 100 of the formulas' characters on one line).
NOTEBOOK_WIDTH = 80


@dataclass(frozen=True)
class Derivation(Forms):
    """What `symcnn derive` shows: the lecture's formulas for one network and dataset,
    optionally with exact weights substituted (slide L4); `decimals` writes the
    numbers as decimals of that many significant digits (weights read from floats)
    instead of exact fractions. In Jupyter it shows as LaTeX broken at `width`
    characters (NOTEBOOK_WIDTH when None)."""

    decimals: int | None = None
    width: int | None = None

    def lines(
        self,
        fmt: str = "latex",
        *,
        expanded: bool = False,
        elide: int | None = None,
        mul_symbol: str | None = None,
    ) -> list[tuple[str, str, str]]:
        """(section, lhs, rhs) rows in reading order, printed in `fmt` (latex, text);
        `elide` and `mul_symbol` as latex.make_printer takes them."""
        return list(
            self.iter_lines(fmt, expanded=expanded, elide=elide, mul_symbol=mul_symbol)
        )

    def iter_lines(
        self,
        fmt: str = "latex",
        *,
        expanded: bool = False,
        elide: int | None = None,
        mul_symbol: str | None = None,
    ) -> Iterator[tuple[str, str, str]]:
        """lines(), each row printed when it is asked for: `symcnn derive` writes a
        big network's rows as they come, not all of them at the end."""
        names = self.trace.names
        show = make_printer(
            names, fmt, elide=elide, mul_symbol=mul_symbol, decimals=self.decimals
        ).doprint
        shown = set()
        for lhs, rhs in self.iter_equations():
            row = ("equations", show(lhs), show(rhs))
            shown |= {row[1], row[2]}
            yield row
        outputs = self._output_lines(show, "output", self.output(), shown)
        shown |= {rhs for _, _, rhs in outputs}
        yield from outputs
        if expanded or not self.trace.equations():
            yield from self._output_lines(
                show, "output expanded", self.output(expanded=True), shown
            )
        if self.has_loss:
            yield ("loss", show(LOSS), self.loss_symbolic(show, fmt))
            if expanded:
                yield ("loss with images", show(LOSS), show(self.loss_with_images()))
        if self.weights is not None:
            substituted = [
                ("with weights", show(lhs), show(rhs))
                for lhs, rhs in self.equations(substituted=True)
            ]
            shown = {text for _, lhs, rhs in substituted for text in (lhs, rhs)}
            yield from substituted
            yield from self._output_lines(
                show, "with weights", self.output(substituted=True), shown
            )
            yield from self._output_lines(
                show,
                "with weights",
                self.output(expanded=True, substituted=True),
                shown,
            )
            if self.has_loss:
                yield ("with weights", show(LOSS), self.loss_numbers(show, fmt))

    def _output_lines(self, show, section: str, outputs: list[sp.Expr], shown: set):
        """F_NN(P) = ... per output, leaving out what an equation already says
        (an output that is a named value, or equals an equation's right side)."""
        many = len(outputs) > 1
        lines = []
        for k, out in enumerate(outputs, start=1):
            rhs = show(out)
            if rhs not in shown:
                lines.append(
                    (section, show(F_NN(IMAGE)) + (f"_{{{k}}}" if many else ""), rhs)
                )
        return lines

    def loss_numbers(self, show, fmt: str = "latex") -> str:
        """(F_NN(P_1) - Y_1)^2 + ... with every number in, then its value:
        '(1 - 1)^{2} + (2 - 2)^{2} + (0 - 0)^{2} = 0'; the cross entropies as their
        log and exp terms, then the value to 6 digits (it is irrational)."""
        kind = self.trace.loss_kind
        if kind not in EXACT_LOSSES:
            expr = self.loss_with_images(substituted=True)
            value = float_value(expr)
            if value is None:  # a generic f has no numbers
                return show(expr)
            approx = r"\approx" if fmt == "latex" else "~"
            return f"{show(expr)} {approx} {value:.6g}"
        outputs = self.output(expanded=True, substituted=True)
        square = "^{2}" if fmt == "latex" else "^2"
        terms, total = [], sp.S.Zero
        for sample in self.data.samples:
            pixels = dict(zip(self.trace.pixels.flat, sample.image.flat))
            for out, target in zip(outputs, sample.target):
                value = substitute(out, pixels)
                if not value.is_Number:  # a generic f has no numbers
                    return show(self.loss_with_images(substituted=True))
                sign, size = ("+", -target) if target < 0 else ("-", target)
                terms.append(f"({show(value)} {sign} {show(size)}){square}")
                total += (value - target) ** 2
        scale = loss_scale(kind, len(self.data), len(outputs))
        return self.scaled(" + ".join(terms), scale, fmt) + f" = {show(scale * total)}"

    @staticmethod
    def scaled(text: str, scale: sp.Rational, fmt: str) -> str:
        """text as it is, or times the mean's 1/(N K) in front of parentheses."""
        if scale == 1:
            return text
        if fmt == "latex":
            return rf"\frac{{1}}{{{scale.q}}} \left({text}\right)"
        return f"1/{scale.q} ({text})"

    def loss_symbolic(self, show, fmt: str = "latex") -> str:
        """(F_NN(P_1) - Y_1)^2 + ...: the lecture keeps '- 0' for a zero target;
        1/(N K) (...) for the mean; -log softmax(F_NN(P_1))_{k} - ... (k = y + 1, the
        output's number) for cross entropy; -log sigma(F_NN(P_1)) for y = 1 and
        -log(1 - sigma(F_NN(P_2))) for y = 0 for binary cross entropy."""
        kind = self.trace.loss_kind
        if kind in ("cross_entropy", "binary_cross_entropy"):
            return self.cross_entropy_symbolic(show, fmt)
        many = len(self.trace.outputs) > 1
        terms = []
        for number, sample in enumerate(self.data.samples, start=1):
            for k, target in enumerate(sample.target, start=1):
                output = show(F_NN(sample_symbol(number))) + (
                    f"_{{{k}}}" if many else ""
                )
                sign, size = ("+", -target) if target < 0 else ("-", target)
                square = "^{2}" if fmt == "latex" else "^2"
                terms.append(f"({output} {sign} {show(size)}){square}")
        scale = loss_scale(kind, len(self.data), len(self.trace.outputs))
        return self.scaled(" + ".join(terms), scale, fmt)

    def cross_entropy_symbolic(self, show, fmt: str) -> str:
        """-log softmax(F_NN(P_1))_{2} - log sigma(F_NN(P_2)) ...: one term a sample."""
        latex = fmt == "latex"
        log = r"\log" if latex else "log"
        softmax = r"\operatorname{softmax}" if latex else "softmax"
        sigma = r"\sigma" if latex else "sigma"
        left, right = (r"\left(", r"\right)") if latex else ("(", ")")
        terms = []
        for number, sample in enumerate(self.loss_data().samples, start=1):
            output = show(F_NN(sample_symbol(number)))
            if self.trace.loss_kind == "cross_entropy":
                k = class_index(sample.target) + 1
                terms.append(f"{log} {softmax}{left}{output}{right}_{{{k}}}")
            elif sample.target[0] == 1:
                terms.append(f"{log} {sigma}{left}{output}{right}")
            else:
                terms.append(f"{log}{left}1 - {sigma}{left}{output}{right}{right}")
        return "-" + " - ".join(terms)

    def activation_notes(self, fmt: str = "text") -> list[str]:
        """What f, LReLU, sigma, tanh mean (definitions.py)."""
        return activation_definitions(self.trace.network, fmt)

    def to_latex(
        self,
        *,
        expanded: bool = False,
        width: int | None = None,
        elide: int | None = None,
        mul_symbol: str | None = None,
        per_neuron: bool = False,
    ) -> str:
        r"""An ``aligned`` block, ``lhs &= rhs`` per formula; with `width`, formulas
        wider than that many digits as printed (the width of a 0) break at + and -
        (linebreak.py); `per_neuron` starts a line at every neuron of an outermost
        sum."""
        rows = self.lines(
            "latex", expanded=expanded, elide=elide, mul_symbol=mul_symbol
        )
        notes = self.activation_notes("latex")
        return rows_latex(rows, width, notes, per_neuron=per_neuron)

    def to_text(
        self,
        *,
        expanded: bool = False,
        sections: tuple[str, ...] | None = None,
        width: int | None = None,
        elide: int | None = None,
    ) -> str:
        """Readable lines under section headings; `sections` picks some of them;
        with `width`, long formulas break at + and - into lines that fit; with
        `elide` = n, sums of more than n terms are written a + b + ... + z."""
        return "\n".join(
            self.iter_text(
                expanded=expanded, sections=sections, width=width, elide=elide
            )
        )

    def iter_text(
        self,
        *,
        expanded: bool = False,
        sections: tuple[str, ...] | None = None,
        width: int | None = None,
        elide: int | None = None,
    ) -> Iterator[str]:
        """to_text's lines one at a time, each formula printed when it is asked for."""
        rows = (
            row
            for row in self.iter_lines("text", expanded=expanded, elide=elide)
            if sections is None or row[0] in sections
        )
        notes = [f"where {n}" for n in self.activation_notes()]
        return iter_rows_text(rows, width, notes)

    def to_json(self, *, expanded: bool = False) -> dict:
        """Stable keys; every formula a LaTeX string."""
        printer = make_printer(self.trace.names, "latex", decimals=self.decimals)
        show = printer.doprint
        result = {
            "equations": [[show(lhs), show(rhs)] for lhs, rhs in self.equations()],
            "output": [show(e) for e in self.output()],
            # to pixels only when asked: a named big net's expanded F is huge
            "output_expanded": (
                [show(e) for e in self.output(expanded=True)] if expanded else None
            ),
            "loss": self.loss_symbolic(show) if self.has_loss else None,
            "loss_with_images": (
                show(self.loss_with_images()) if self.has_loss and expanded else None
            ),
        }
        if self.weights is not None:
            result["with_weights"] = {
                "equations": [
                    [show(lhs), show(rhs)]
                    for lhs, rhs in self.equations(substituted=True)
                ],
                "output": [show(e) for e in self.output(substituted=True)],
                "output_expanded": (
                    [show(e) for e in self.output(expanded=True, substituted=True)]
                    if expanded
                    else None
                ),
            }
        return result

    def __str__(self) -> str:
        """Every form: equations, F_NN nested and expanded, the loss symbolic and with
        the images substituted (and the weights put in, when given)."""
        return self.to_text(expanded=True)

    def shown(self, **options) -> Latex:
        """to_latex(**options) as LaTeX that Jupyter typesets (a str all the same):
        `derivation.shown(width=60, expanded=True)` in a cell shows the formulas."""
        options.setdefault("width", self.width or NOTEBOOK_WIDTH)
        return Latex(self.to_latex(**options))

    @property
    def symbols(self) -> Symbols:
        """symcnn's own symbols by printed name (real, ASCII-named; any spelling:
        symbols["w_1"], symbols["a_{11}"]): sympy.diff(expr, symbols["w_1"]) works,
        where a user's sympy.Symbol("w_1") would be another symbol."""
        return Symbols((name.latex, s) for s, name in self.trace.names.items())

    def _repr_latex_(self) -> str:
        return self.shown()._repr_latex_()

    def __repr__(self) -> str:
        data = "" if self.data is None else f", {len(self.data.samples)} samples"
        weights = "" if self.weights is None else ", weights put in"
        return f"<Derivation of {self.trace.network!r}{data}{weights}>"
