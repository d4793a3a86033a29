"""Checking formulas a lecturer typed against the derived ones (the L1 slip finder).

Each equation `lhs = rhs (= rhs ...)` whose left side names something the network
defines (a_{12}, a, F_{NN}(P), L(w)) is read (reading.py, never evaluated) and every
right side compared with the derived formula (compare.py): equal when both expand to
the same terms; otherwise the difference is located term by term. Named values on the
right (a_{11}) are fine: both sides are compared with them substituted. The value
links of one chain (F_{NN}(P) = f(0 + 1 - 1) + ... = 1) hold on ONE image, the first
one binding the rest (values.py); numbers are exact unless `decimals` (verify
--decimals N) says they were printed rounded.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import sympy as sp

from ..model.activation_functions import LeakyReLU
from ..model.data import Dataset, binary_images, image_text
from ..symbolic.terms import substitute
from ..symbolic.trace import Trace
from .compare import Differences, canonical, same
from ..typeset.numbers import MOST_DECIMALS, decimal_text
from .images import candidates
from .values import written_calls_fit
from .losses import loss_of_images, loss_of_outputs, output_values
from .reading import LOSS, FormulaReader, OutsideNetwork, plain
from .size import check_size
from .texparse import ParseError, Parser


LEFT_SIDE_NOT_A_VALUE = "its left side is not a value the network names"


@dataclass(frozen=True)
class Verdict:
    """One link of an equation chain: correct, wrong (with the differences) or not
    understood (with why); `line` in the file when read from one; `marks`, the
    character spans in `formula` of the written terms that are wrong."""

    lhs: str
    formula: str
    status: str
    differences: tuple[str, ...] = ()
    reason: str = ""
    line: int | None = None
    marks: tuple[tuple[int, int], ...] = ()


@dataclass
class Checker:
    """Formulas against one network (and its data and weights, for the loss and the
    substituted forms). `same_letter_case` treats W and w as the same letter."""

    trace: Trace
    data: Dataset | None = None
    weights: tuple | None = None
    same_letter_case: bool = False
    #: verify --decimals N: numbers written with at most N significant digits may be
    #: the exact ones rounded as derive --decimals N prints them; None: all exact.
    decimals: int | None = None
    reader: FormulaReader = field(init=False)
    #: The binary images (indices) the value links of the chain being checked hold
    #: on; None before its first value link.
    binding: list | None = field(default=None, init=False)

    def __post_init__(self):
        samples = len(self.data.samples) if self.data is not None else 0
        self.reader = FormulaReader(self.trace, samples, self.same_letter_case)

    def parse(self, text: str) -> Parser:
        """The parsed chain (parser.result) with the source spans of its terms; a
        ParseError also for a chain too large to compare (size.py)."""
        parser = self.reader.parse(text)
        for part in parser.result:
            check_size(part, self.reader.symbol_terms)
        for part in parser.result:
            self.refuse_division_by_zero(part)
        return parser

    def refuse_division_by_zero(self, part: sp.Expr) -> None:
        """A ParseError for a division by something that is 0 as a formula
        (\\frac{0}{p_{11} - p_{11}}: SymPy would call 0/0 zero, and the term pass)."""
        for node in sp.preorder_traversal(part):
            if node.is_Pow and node.exp.is_negative:
                base = node.base
                if base.is_zero or canonical(self.trace, base) == 0:
                    raise ParseError(
                        f"it divides by {self.reader.show(base)}, which is 0: "
                        "a division by zero has no value"
                    )

    def same(self, a: sp.Expr, b: sp.Expr) -> bool:
        return same(self.trace, a, b)

    def check(self, text: str, line: int | None = None) -> list[Verdict]:
        """Verdicts for every link of the chain in `text` (lhs = rhs = rhs ...)."""
        try:
            parser = self.parse(text)
            parts = parser.result
        except OutsideNetwork as error:
            return [outside_verdict(text, line, error, plain(text))]
        except ParseError as error:
            lhs = written_lhs(text)
            return [Verdict(lhs, text, "not understood", reason=str(error), line=line)]
        if len(parts) < 2:
            return [
                Verdict("?", text, "not understood", reason="no `=` in it", line=line)
            ]
        lhs, rights = parts[0], parts[1:]
        if not self.reader.names_value(lhs):
            return [
                Verdict(
                    self.reader.show(lhs),
                    text,
                    "not understood",
                    line=line,
                    reason=LEFT_SIDE_NOT_A_VALUE,
                )
            ]
        lhs_text = self.reader.lhs_text(lhs)
        self.binding = None  # the images every value link so far holds on
        return [
            self.approximate(text, line, parser.written[k], lhs_text, lhs, right)
            if k in parser.approximate
            else self.verdict(text, line, parser, lhs_text, lhs, right, k)
            for k, right in enumerate(rights, start=1)
        ]

    def approximate(self, text, line, written: str, lhs_text, lhs, right) -> Verdict:
        """`lhs \\approx 1.38629`: right when the derived value rounds to the
        number as written (to its last decimal)."""
        try:
            expected = canonical(self.trace, self.derived(lhs, right))
            value = float(expected) if not expected.free_symbols else None
        except (ParseError, TypeError):
            value = None
        if value is None or not right.is_Number:
            reason = (
                f"\\approx {written}: a value rounded is compared with the value of "
                f"{lhs_text} with the weights put in (--weights); write = for a formula"
            )
            return Verdict(lhs_text, text, "not understood", reason=reason, line=line)
        mantissa, _, exponent = written.strip().partition("e")  # 4.53989e-05
        decimals = len(mantissa.partition(".")[2]) - int(exponent or 0)
        if abs(value - float(right)) <= 0.5 * 10.0**-decimals * (1 + 1e-9):
            return Verdict(lhs_text, text, "correct", line=line)
        shown = f"{value:.6g}"
        return Verdict(lhs_text, text, "wrong", (f"{written} should be {shown}",),
                       line=line)  # fmt: skip

    def verdict(
        self, text, line, parser: Parser, lhs_text: str, lhs, right, k: int = 1
    ) -> Verdict:
        """One link `lhs = right` of the chain in `text` (as `parser` read it), the
        k-th part of the chain."""
        try:
            expected = self.derived(lhs, right)
        except ParseError as error:
            return Verdict(
                lhs_text, text, "not understood", reason=str(error), line=line
            )
        if right.is_Number:  # L(w) = 0: its value, not the sum that gives it
            value = canonical(self.trace, expected)
            expected = value if value.is_Number else expected
        differences = Differences(self.trace, self.reader.show)
        found = differences.differences(right, expected)
        digits, most = parser.part_decimals[k], self.decimals
        if found and most and digits <= most and self.rounded_equal(right, expected):
            reason = f"to {most} significant digits (--decimals {most})"
            return Verdict(lhs_text, text, "correct", line=line, reason=reason)
        image = self.image_where_equal(right, expected) if found else None
        if image is not None:  # a value on one image, as slide L4 computes them
            return Verdict(
                lhs_text, text, "correct", line=line, reason=f"on the image {image}"
            )
        if found and self.binding:  # holds alone, not with the links before it
            found = [self.unbound(right, expected)]
        status = "wrong" if found else "correct"
        marks = spans_of(differences.wrong_terms, parser.spans)
        return Verdict(lhs_text, text, status, tuple(found), line=line, marks=marks)

    def derived(self, lhs: sp.Expr, written: sp.Expr) -> sp.Expr:
        """The derived formula for `lhs` at the level the writer chose: named values
        kept if the written side uses them, weights put in if it has none."""
        keep_named = bool(written.free_symbols & self.reader.named_symbols())
        outputs = self.reader.outputs()
        if lhs in outputs:
            target = self.trace.outputs[outputs[lhs]]
        elif lhs == LOSS:
            return self.loss(written)
        elif self.reader.is_sample_output(lhs):
            return self.sample_values(written)[lhs]
        else:
            target = self.trace.definitions[lhs]
        expr = self.trace.inline(target, keep_named=keep_named)
        parameters = set(self.trace.parameters)
        if self.weights is not None and not written.free_symbols & parameters:
            expr = substitute(expr, dict(zip(self.trace.parameters, self.weights)))
        return expr

    def rounded_equal(self, written: sp.Expr, derived: sp.Expr) -> bool:
        """Whether `written` is `derived` as derive --decimals N prints it (N =
        self.decimals): every number of the formula rounded (typeset.numbers), the
        activations' slopes as they are (printed apart, exact), or its value rounded
        (L(w) = 8.044e+05)."""
        digits = min(self.decimals, MOST_DECIMALS)
        # as written, and summed first: derive prints (F - y) with y added in
        forms = [rounded(derived, digits), rounded(evaluated(derived), digits)]
        value = canonical(self.trace, derived)
        if value.is_Rational:
            forms.append(sp.Rational(decimal_text(value, digits)))
        return any(self.same(written, form) for form in forms)

    def with_weights(self, written: sp.Expr) -> tuple | None:
        """The weights to put in: --weights' when `written` names no weight."""
        if self.weights is None or written.free_symbols & set(self.trace.parameters):
            return None
        return self.weights

    def sample_values(self, written: sp.Expr) -> dict:
        """F_{NN}(P_k) -> its value on sample k (weights put in as derived does)."""
        if self.data is None or not self.data.samples:
            raise ParseError("F_{NN}(P_{k}) needs the spec's samples ([data])")
        return output_values(self.trace, self.data, self.with_weights(written))

    def loss(self, written: sp.Expr) -> sp.Expr:
        """The loss at the writer's level (losses.py): in F_{NN}(P_k) when the
        written side uses them, else with the images put in (and the weights)."""
        if self.data is None or not self.data.has_targets:
            raise ParseError("L(w) needs the spec's samples with targets")
        if any(self.reader.is_sample_output(s) for s in written.free_symbols):
            return loss_of_outputs(self.trace, self.data)
        return loss_of_images(self.trace, self.data, self.with_weights(written))

    def image_where_equal(self, written: sp.Expr, derived: sp.Expr) -> str | None:
        """When `written` is a value (no symbols at all, as slide L4's f(-1) + ... = 0)
        and `derived` depends on the pixels, the first image ("000/000") on which
        they agree, of the binary ones and the spec's samples (images()); else None.
        The images are sifted in floats first (images.py), the rest tested exactly."""
        pixels = list(self.trace.pixels.flat)
        target = canonical(self.trace, written)
        general = canonical(self.trace, derived)
        if target.free_symbols or not general.free_symbols & set(pixels):
            return None
        images = self.images()
        if not images:
            return None
        bits = np.array([[float(b) for b in image.flat] for image in images])
        others = sorted(general.free_symbols - set(pixels), key=str)
        point = general.xreplace(probe_point(others))
        holding = []
        for index in candidates(point, pixels, bits, target):
            if self.binding is not None and index not in self.binding:
                continue
            image = dict(zip(pixels, images[index].flat))
            value = general.xreplace(image)
            if sp.expand(value - target, deep=True) == 0 and written_calls_fit(
                self.trace, written, derived, image
            ):
                holding.append(index)
        if not holding:
            return None
        self.binding = holding  # the later links hold on these images, or are wrong
        return image_text(images[holding[0]])

    def images(self) -> list:
        """The images a value may be written for: every binary one (up to 12 pixels:
        2^12 images) and the spec's own samples (slide L5's 4 3 1 5 / ...)."""
        shape = self.trace.pixels.shape
        found = list(binary_images(shape)) if self.trace.pixels.size <= 12 else []
        samples = self.data.samples if self.data is not None else ()
        return found + [s.image for s in samples if s.image.shape == shape]

    def unbound(self, written: sp.Expr, derived: sp.Expr) -> str:
        """A value link that does not hold on the images the links before it hold on:
        what it should be there (one chain is about one image)."""
        image = self.images()[self.binding[0]]
        pixels = dict(zip(self.trace.pixels.flat, image.flat))
        value = canonical(self.trace, derived.xreplace(pixels))
        return (
            f"{self.reader.show(written)} should be {self.reader.show(value)} (on the "
            f"image {image_text(image)}, where the links before it hold)"
        )


def rounded(expr: sp.Expr, digits: int) -> sp.Expr:
    """`expr` with each non-whole number rounded to `digits` significant digits as
    derive prints it, but a leaky ReLU's slope (printed in its own line, exact)."""
    if expr.is_Rational:
        return expr if expr.is_Integer else sp.Rational(decimal_text(expr, digits))
    if not expr.args:
        return expr
    if isinstance(expr, LeakyReLU):
        return expr.func(rounded(expr.args[0], digits), *expr.args[1:])
    return expr.func(*(rounded(a, digits) for a in expr.args))


def evaluated(expr: sp.Expr) -> sp.Expr:
    """`expr` with every sum and product kept unevaluated evaluated (bottom up)."""
    if not expr.args:
        return expr
    return expr.func(*(evaluated(a) for a in expr.args))


def probe_point(symbols: list) -> dict:
    """Fixed rational values for `symbols`, 1/7, 2/11, 3/13, ... (no two alike, none
    0 or 1): formulas equal as formulas are equal there, which is all the sifting
    needs (what passes is confirmed symbolically)."""
    return {s: sp.Rational(k + 1, sp.prime(k + 3)) for k, s in enumerate(symbols)}


def written_lhs(text: str, longest: int = 40) -> str:
    """The left side as written (spaces out), for a formula that could not be read;
    "?" when there is no `=` (or nothing before it)."""
    shown = plain(text)
    equals = shown.find("=")
    lhs = "".join(shown[:equals].replace("&", " ").split()) if equals >= 0 else ""
    if len(lhs) > longest:
        lhs = lhs[: longest - 3] + "..."
    return lhs or "?"


def outside_verdict(
    text: str, line: int | None, error: OutsideNetwork, plain: str
) -> Verdict:
    """A formula naming p_{32} in a 2x3 image is wrong, with the name marked (its left
    side as written: it may be the name outside the network); but one whose left
    side is a pixel or a weight (w_{5} = 1) is not about a value of the network."""
    equals = plain.find("=")
    lhs = "".join(plain[:equals].replace("&", " ").split()) if equals >= 0 else "?"
    if 0 <= equals < error.span[0] or error.value:
        return Verdict(
            lhs, text, "wrong", (str(error),), line=line, marks=(error.span,)
        )
    return Verdict(lhs, text, "not understood", line=line, reason=LEFT_SIDE_NOT_A_VALUE)


def spans_of(terms, spans: dict) -> tuple[tuple[int, int], ...]:
    """The source spans of the wrong written terms (each occurrence used once)."""
    left = {term: list(places) for term, places in spans.items()}
    found = []
    for term in terms:
        places = left.get(term)
        if places:
            found.append(places.pop(0))
    return tuple(sorted(found))
