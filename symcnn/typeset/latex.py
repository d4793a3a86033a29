"""Printers for the lecture's form: LaTeX for slides, and the same shape as plain text.

Terms keep the order the layer produced them (``order="none"`` on unevaluated sums),
products have no symbol unless asked (``\\cdot``), symbols print with lecture names
(names.py), activations print as the lecture writes them (ReLU as f), and parentheses
are plain unless their content is tall (a fraction, a sum sign, a matrix).
"""

from __future__ import annotations

import re

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.str import StrPrinter

from ..errors import SymcnnError
from ..limits import MAX_LAYERS, MAX_PRINTED_SIZE
from ..model.activations import LeakyReLU, LeakyReLUStep, ReLU, ReLUStep, Sigmoid
from ..model.names import Name
from ..model.pooling import MaxWinner, MinWinner, PoolMax, PoolMin
from .numbers import FLOAT_DECIMALS as FLOAT_DECIMALS  # re-exported: cli, symcnn
from .numbers import check_decimals, decimal_text
from .text import TEXT_ESCAPES as TEXT_ESCAPES  # re-exported: tests
from .text import escape_text as escape_text  # re-exported: documents

TALL = re.compile(r"\\(frac|dfrac|sum|prod|int|begin|sqrt)")

#: How each activation prints by default: the lecture calls ReLU f (slide L3).
#: Pooling prints as \max(...) and \min(...); leaky ReLU as LReLU (f is ReLU's).
FUNCTION_NAMES = {
    ReLU: "f",
    LeakyReLU: r"\operatorname{LReLU}",
    Sigmoid: r"\sigma",
    sp.tanh: r"\tanh",
    PoolMax: r"\max",
    PoolMin: r"\min",
    ReLUStep: "f'",
    LeakyReLUStep: r"\operatorname{LReLU}'",
}
TEXT_FUNCTION_NAMES = {
    ReLU: "f",
    LeakyReLU: "LReLU",
    Sigmoid: "sigma",
    sp.tanh: "tanh",
    PoolMax: "max",
    PoolMin: "min",
    ReLUStep: "f'",
    LeakyReLUStep: "LReLU'",
}
#: d max / d x_i and d min / d x_i (pooling.MaxWinner): 1 for the first largest
#: (smallest) argument, written firstmax_{i}(x_1, ..., x_n) with i counted from 1 and
#: defined in a "where" line (definitions.winner_definitions).
WINNER_NAMES = {MaxWinner: "firstmax", MinWinner: "firstmin"}

#: Only the first argument is shown (the others are the slope and the kink value).
FIRST_ARGUMENT_ONLY = (LeakyReLU, ReLUStep, LeakyReLUStep)

def math_name(name: Name) -> str:
    """name.latex for slides: a letter of several letters upright as one word,
    \\mathrm{hidden}_{1,11}, not math italic's product h i d d e n."""
    if len(name.letter) < 2:
        return name.latex
    return Name(rf"\mathrm{{{name.letter}}}", name.groups, name.layer).latex


def is_fraction(factor: sp.Expr) -> bool:
    return (factor.is_Rational and not factor.is_Integer) or (
        factor.is_Pow and factor.exp.is_negative
    )


def is_breakable(factors) -> bool:
    """Whether factors after a fraction coefficient hold a function call or a sum
    that a line may break in: \\frac{3}{10} f(...) then, not \\frac{3 f(...)}{10}.
    A symbol, a root, or one sum of symbols (a mean's) stays as the lecture writes
    it: \\frac{x}{3}, \\frac{17 \\sqrt{291}}{291}, \\frac{p_{11} + p_{12}}{2}."""
    if len(factors) == 1 and factors[0].is_Add:
        return not all(term.is_Symbol for term in factors[0].args)
    return any(factor.is_Function or factor.is_Add for factor in factors)


#: The least `elide`: a long sum shows its first elide - 1 terms, \dots and its last,
#: so with 1 no first term would be left (the sum printed as 0 + \dots + z).
LEAST_ELIDE = 2


def check_elide(elide: object, where: str) -> int | None:
    """`elide` itself (None: sums are printed whole), or a SymcnnError naming `where`
    when it is not a whole number >= LEAST_ELIDE."""
    if elide is None:
        return None
    if isinstance(elide, bool) or not isinstance(elide, int) or elide < LEAST_ELIDE:
        raise SymcnnError(
            f"{where} {elide!r}: a long sum is written as its first N - 1 terms, "
            f"\\dots and its last, so N must be a whole number >= {LEAST_ELIDE} "
            "(3 gives a + b + \\dots + z); leave it out to show every term"
        )
    return elide


class FormulaTooLarge(SymcnnError):
    """A formula too large, or nested too deep, to write out."""


def shown_args(expr: sp.Basic, elide: int | None) -> tuple:
    """The arguments of `expr` that a printer with `elide` writes out."""
    args = expr.args
    if elide is not None and expr.is_Add and len(args) > elide:
        return (*args[: elide - 1], args[-1])
    return args


def written_size(
    expr: sp.Basic,
    elide: int | None = None,
    *,
    known: dict | None = None,
    sizes: dict | None = None,
) -> int:
    """How many symbols, numbers and operations `expr` prints as: a subexpression
    shared by several terms counts every time it is written. Iterative and linear in
    the distinct subexpressions, so it measures a formula too large to print.
    `known` gives named values the size of what they stand for (an equation's
    expansion, without building it); `sizes` is a memo several calls may share."""
    sizes = {} if sizes is None else sizes
    stack = [(expr, False)]
    while stack:
        node, ready = stack.pop()
        if node in sizes:
            continue
        if known and node in known:
            sizes[node] = known[node]
            continue
        args = shown_args(node, elide)
        if ready or not args:
            sizes[node] = 1 + sum(sizes[arg] for arg in args)
        else:
            stack.append((node, True))
            stack.extend((arg, False) for arg in args if arg not in sizes)
    return sizes[expr]


def print_within_limits(doprint, expr, elide: int | None = None) -> str:
    """doprint(expr), refused (FormulaTooLarge) when it would write more than
    MAX_PRINTED_SIZE symbols and operations. SymPy's printers recurse about ten
    Python frames per level of nesting; Network keeps formulas within MAX_LAYERS
    levels, and a formula deeper than the caller's stack allows is a FormulaTooLarge,
    never a RecursionError."""
    fix = (
        "give a layer a `name` (name = \"h\" in its [[layers]] table) so that its "
        "values are equations of their own and later formulas refer to them"
    )
    if isinstance(expr, sp.Basic):
        size = written_size(expr, elide)
        if size > MAX_PRINTED_SIZE:
            raise FormulaTooLarge(
                f"a formula would be written with {size:,} symbols and operations, "
                f"more than the {MAX_PRINTED_SIZE:,} symcnn prints; {fix} (forms "
                "expanded to pixels, --expanded, stay this long)"
            )
    try:
        return doprint(expr)
    except RecursionError:
        raise FormulaTooLarge(
            "a formula nests too deeply to print within Python's recursion limit; "
            f"symcnn prints networks of up to {MAX_LAYERS} layers from a plain "
            f"call stack: use fewer layers, or {fix}"
        ) from None


class DecimalNumbers:
    """Printer mixin: with `decimals` set, non-whole numbers as decimals of that many
    significant digits (decimal_text); exact fractions otherwise."""

    decimals: int | None = None

    def _print_Rational(self, expr):
        if self.decimals is None:
            return super()._print_Rational(expr)
        return decimal_text(expr, self.decimals)


class LecturePrinter(DecimalNumbers, LatexPrinter):
    """LaTeX in lecture form for expressions of one trace."""

    def __init__(
        self,
        names: dict[sp.Symbol, Name],
        *,
        mul_symbol: str | None = None,
        elide: int | None = None,
        decimals: int | None = None,
    ):
        super().__init__({"order": "none", "mul_symbol": mul_symbol})
        self.names = names
        self.elide = check_elide(elide, "elide")
        self.decimals = check_decimals(decimals, "decimals")

    def doprint(self, expr) -> str:
        return print_within_limits(super().doprint, expr, self.elide)

    def _print_Add(self, expr, order=None):
        """Terms in their order; with `elide` = n, a sum of more than n terms shows its
        first n - 1, then \\dots, then its last (a_{11} + \\dots + a_{22})."""
        terms = list(expr.args)
        if self.elide is None or len(terms) <= self.elide:
            return self._print_terms(terms)
        head = sp.Add(*terms[: self.elide - 1], evaluate=False)
        last = terms[-1]
        if last.could_extract_minus_sign():
            return rf"{self._print(head)} + \dots - {self._print(-last)}"
        return rf"{self._print(head)} + \dots + {self._print(last)}"

    def _print_terms(self, terms) -> str:
        """SymPy's sum printing, but a sum inside a sum in plain parentheses unless
        it is tall (SymPy writes \\left(, which no line break may enter)."""
        tex = ""
        for number, term in enumerate(terms):
            if number and term.could_extract_minus_sign():
                tex += " - "
                term = -term
            elif number:
                tex += " + "
            term_tex = self._print(term)
            if self._needs_add_brackets(term):
                term_tex = self._add_parens(term_tex)
            tex += term_tex
        return tex

    def _add_parens(self, s) -> str:
        return rf"\left({s}\right)" if TALL.search(s) else f"({s})"

    def _add_parens_lspace(self, s) -> str:
        return rf"\left({s}\right)" if TALL.search(s) else f"({s})"

    def _print_Symbol(self, expr, style="plain"):
        name = self.names.get(expr)
        if isinstance(name, Name):
            return math_name(name)
        return name.latex if name else super()._print_Symbol(expr, style)

    def _print_Mul(self, expr):
        """Factors in their order, sums in plain parentheses; SymPy's own printer for
        fractions (it writes \\frac) and its hard-coded \\left( otherwise. A fraction
        coefficient of a function call or a sum (is_breakable) is
        written in front, \\frac{3}{10} f(...), not \\frac{3 f(...)}{10}: the
        fraction stays the weight, and a line may break inside f(...)."""
        if not expr.is_Mul:  # SymPy's _print_Pow hands 1/x here: \frac{1}{x}
            return super()._print_Mul(expr)
        factors = list(expr.args)
        coefficient = factors[0].is_Rational and is_breakable(factors[1:])
        rest = factors[1:] if coefficient else factors
        if self.decimals is None and any(is_fraction(f) for f in rest):
            return super()._print_Mul(expr)
        sign = ""
        if factors[0].is_Number and factors[0] < 0:
            sign, factors[0] = "- ", -factors[0]
            if factors[0] == 1:
                factors = factors[1:]
        separator = self._settings["mul_symbol_latex"]
        parts = [self.parenthesize(f, PRECEDENCE["Mul"], strict=True) for f in factors]
        return sign + separator.join(parts)

    def _print_Function(self, expr, exp=None):
        """Our nonlinearities and a generic f: name(arguments), lecture style."""
        name = FUNCTION_NAMES.get(expr.func)
        if name is None and isinstance(expr, AppliedUndef):
            name = expr.func.__name__
        if name is None:
            return super()._print_Function(expr, exp)
        # Extra arguments (leaky ReLU's slope) are parameters, not inputs.
        shown = expr.args[:1] if expr.func in FIRST_ARGUMENT_ONLY else expr.args
        call = name + self._add_parens(", ".join(self._print(a) for a in shown))
        # SymPy's Pow hands a function's power here: tanh(x)^{2}, not a lost square.
        return call if exp is None else f"{call}^{{{exp}}}"

    _print_ReLU = _print_LeakyReLU = _print_Sigmoid = _print_tanh = _print_Function
    _print_PoolMax = _print_PoolMin = _print_Function
    _print_ReLUStep = _print_LeakyReLUStep = _print_Function

    def _print_MaxWinner(self, expr, exp=None):
        """\\operatorname{firstmax}_{2}(x_1, x_2, x_3): the cell's place from 1."""
        position, *cells = expr.args
        name = rf"\operatorname{{{WINNER_NAMES[expr.func]}}}_{{{int(position) + 1}}}"
        call = name + self._add_parens(", ".join(self._print(c) for c in cells))
        return call if exp is None else f"{call}^{{{exp}}}"

    _print_MinWinner = _print_MaxWinner


class LectureTextPrinter(DecimalNumbers, StrPrinter):
    """The same form as plain text: `a_{11} = p_{11} w_{1} + p_{12} w_{2}`, `f(...)`."""

    def __init__(
        self,
        names: dict[sp.Symbol, Name],
        decimals: int | None = None,
        elide: int | None = None,
    ):
        super().__init__({"order": "none"})
        self.names = names
        self.decimals = check_decimals(decimals, "decimals")
        self.elide = check_elide(elide, "elide")

    def doprint(self, expr) -> str:
        return print_within_limits(super().doprint, expr, self.elide)

    def _print_Add(self, expr, order=None):
        """SymPy's sum; with `elide` = n, a sum of more than n terms as its first
        n - 1, then ..., then its last (a_{11} + ... + a_{22}), as LaTeX's \\dots."""
        terms = list(expr.args)
        if self.elide is None or len(terms) <= self.elide:
            return super()._print_Add(expr, order)
        head = self._print(sp.Add(*terms[: self.elide - 1], evaluate=False))
        last = terms[-1]
        if last.could_extract_minus_sign():
            return f"{head} + ... - {self._print(-last)}"
        return f"{head} + ... + {self._print(last)}"

    def _print_Symbol(self, expr):
        name = self.names.get(expr)
        return name.latex if name else expr.name

    def _print_Mul(self, expr):
        factors = list(expr.args)
        sign = ""
        if factors[0].is_Number and factors[0] < 0:
            sign, factors[0] = "-", -factors[0]
            if factors[0] == 1 and len(factors) > 1:
                factors = factors[1:]
        return sign + " ".join(
            self.parenthesize(f, PRECEDENCE["Mul"], strict=True) for f in factors
        )

    def _print_Pow(self, expr, rational=False):
        base = self.parenthesize(expr.base, PRECEDENCE["Pow"], strict=True)
        return f"{base}^{self._print(expr.exp)}"

    def _print_Function(self, expr):
        name = TEXT_FUNCTION_NAMES.get(expr.func)
        if name is None and isinstance(expr, AppliedUndef):
            name = expr.func.__name__
        if name is None:
            return super()._print_Function(expr)
        shown = expr.args[:1] if expr.func in FIRST_ARGUMENT_ONLY else expr.args
        return f"{name}({', '.join(self._print(a) for a in shown)})"

    _print_ReLU = _print_LeakyReLU = _print_Sigmoid = _print_tanh = _print_Function
    _print_PoolMax = _print_PoolMin = _print_Function
    _print_ReLUStep = _print_LeakyReLUStep = _print_Function

    def _print_MaxWinner(self, expr):
        position, *cells = expr.args
        name = f"{WINNER_NAMES[expr.func]}_{int(position) + 1}"
        return f"{name}({', '.join(self._print(c) for c in cells)})"

    _print_MinWinner = _print_MaxWinner


def make_printer(
    names: dict[sp.Symbol, Name],
    fmt: str,
    *,
    mul_symbol: str | None = None,
    elide: int | None = None,
    decimals: int | None = None,
):
    """The printer for `fmt` ("latex" or "text"); `mul_symbol="dot"` writes \\cdot,
    `elide` shortens long sums with \\dots (... in text), `decimals` writes
    non-whole numbers as decimals of that many significant digits."""
    if fmt == "latex":
        return LecturePrinter(
            names, mul_symbol=mul_symbol, elide=elide, decimals=decimals
        )
    return LectureTextPrinter(names, decimals=decimals, elide=elide)
