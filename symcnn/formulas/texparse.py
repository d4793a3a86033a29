"""A parser for the LaTeX a lecturer types for network formulas, into SymPy: a real
tokenizer and recursive-descent grammar (nothing is evaluated).

    expression := term (("+" | "-") term)*
    term       := ["+" | "-"] power (["\\cdot" | "\\times" | "*"] power | power)*
    power      := atom ["^" (group | digit)]
    atom       := number | name | function "(" expression ("," expression)* ")"
                | "(" expression ")" | "{" expression "}" | "\\frac" group group

The lecture's dialect: juxtaposed products (p_{11}w_{11}), \\left( \\right), \\cdot,
line breaks and alignment marks (\\\\, &), f(...) / ReLU(...) / \\max(0, x) for the
activation, subscripts like w_{11,1} and p_{10,1}. Names are resolved by the caller's
`resolve(letter, index) -> SymPy object`, so only names the network defines parse.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from .characters import ParseError, odd_characters
from ..limits import (
    MAX_FORMULA_CHARS,
    MAX_FORMULA_DEPTH,
    MAX_FORMULA_EXPONENT,
    MAX_NUMBER_DIGITS,
)


TOKEN = re.compile(
    r"""(?P<skip>\s+|\\left\.|\\right\.|\\left|\\right|\\[,;!:]|\\quad|\\qquad|&|\\\\|\\displaystyle|\{\}
      |\\underline|\\(?:label|tag\*?)\{[^{}]*\}|\\nonumber|\\notag)
    |(?P<number>\d+(?:\.\d+)?(?:e[-+]?\d+)?)
    |(?P<name>(?:\\mathrm\{[A-Za-z]+\}|[A-Za-z])(?:\^\{\(\d+\)\})?
      (?:_\{[^{}]*\}|_[A-Za-z0-9])?)
    |(?P<command>\\[A-Za-z]+)
    |(?P<symbol>[-+*/^(){},=|\[\]_])
    """,
    re.VERBOSE,
)
#: What stands for terms left out (derive --elide writes \dots).
ELISIONS = {r"\dots", r"\ldots", r"\cdots"}
#: A name of letters, as derive prints a layer named "hidden": \mathrm{hidden}_{11}.
WORD_NAME = re.compile(r"\\mathrm\{([A-Za-z]+)\}")
FUNCTION_WORDS = {
    "lrelu": "lrelu",
    "softmax": "softmax",
    "sigmoid": "sigma",
    "log": "log",
    "exp": "exp",
    "relu": "relu",
    "max": "max",
    "min": "min",
    "sigma": "sigma",
    "tanh": "tanh",
}


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    position: int


def tokenize(text: str) -> list[Token]:
    """The tokens of `text`; a ParseError for a character outside the dialect, and
    for text over MAX_FORMULA_CHARS or brackets nested over MAX_FORMULA_DEPTH, found
    here in one loop, since the grammar (and SymPy after it) recurses once per level."""
    if len(text) > MAX_FORMULA_CHARS:
        raise ParseError(
            f"the formula is {len(text):,} characters long, over the limit of "
            f"{MAX_FORMULA_CHARS:,} (symcnn.limits.MAX_FORMULA_CHARS); check it in "
            "parts, one equation at a time"
        )
    odd_characters(text)
    tokens, position, depth = [], 0, 0
    while position < len(text):
        match = TOKEN.match(text, position)
        if not match:
            piece = text[position : position + 12]
            raise ParseError(f"cannot read {piece!r} at character {position + 1}")
        kind = match.lastgroup
        if match.group() in ELISIONS:
            raise ParseError(
                f"{match.group()} at character {position + 1}: a sum written with "
                "its middle left out (derive --elide) cannot be compared; write every "
                "term (derive --no-elide)"
            )
        if kind != "skip":
            tokens.append(Token(kind, match.group(), position))
            depth += (match.group() in "({") - (match.group() in ")}")
            if depth > MAX_FORMULA_DEPTH:
                raise ParseError(
                    f"brackets nest over {MAX_FORMULA_DEPTH} deep at character "
                    f"{position + 1} (symcnn.limits.MAX_FORMULA_DEPTH); write the "
                    "inner part as a named value"
                )
        position = match.end()
    return tokens


class Parser:
    """One formula's right side (or a whole `a = b = c` chain) into SymPy."""

    def __init__(self, text: str, resolve: Callable, functions: dict):
        self.text = text
        self.tokens = merge_words(tokenize(text))
        self.index = 0
        self.resolve = resolve
        self.functions = functions
        #: Where each parsed term stands in `text`: term -> [(start, end), ...].
        self.spans: dict[sp.Expr, list[tuple[int, int]]] = {}
        #: The most significant digits of a decimal written (0.3333: 4), 0 if none:
        #: derive --decimals N writes its numbers rounded to N digits.
        self.decimals = 0

    # -- token helpers -------------------------------------------------------------
    def peek(self, offset: int = 0) -> Token | None:
        index = self.index + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def take(self, text: str | None = None) -> Token:
        token = self.peek()
        if token is None or (text is not None and token.text != text):
            where = (
                "the end"
                if token is None
                else f"{token.text!r} at character {token.position + 1}"
            )
            raise ParseError(f"expected {text!r}, found {where}")
        self.index += 1
        return token

    def at(self, *texts: str) -> bool:
        token = self.peek()
        return token is not None and token.text in texts

    # -- grammar -------------------------------------------------------------------
    def chain(self) -> list[sp.Expr]:
        """a = b = c -> [a, b, c]; `approximate` holds the positions of the parts
        written after \\approx (a value rounded: 1.38629), `written` each part's
        text."""
        self.approximate: set[int] = set()
        self.written: list[str] = []
        #: Each part's most significant digits of a decimal (self.decimals).
        self.part_decimals: list[int] = []
        first = self.index
        parts = [self.expression()]
        self.written.append(self.source(first))
        self.part_decimals.append(self.decimals)
        while self.at("=", r"\approx"):
            if self.take().text == r"\approx":
                self.approximate.add(len(parts))
            first, self.decimals = self.index, 0
            parts.append(self.expression())
            self.written.append(self.source(first))
            self.part_decimals.append(self.decimals)
        if self.peek() is not None:
            token = self.peek()
            raise ParseError(
                f"unexpected {token.text!r} at character {token.position + 1}"
            )
        return parts

    def expression(self) -> sp.Expr:
        terms = [self.term()]
        while self.at("+", "-"):
            operator = self.take()
            term = self.term()
            if operator.text == "-":  # "- p w" is the written term, sign included
                term = negate(term)
                last = self.tokens[self.index - 1]
                span = (operator.position, last.position + len(last.text))
                self.spans.setdefault(term, []).append(span)
            terms.append(term)
        return terms[0] if len(terms) == 1 else sp.Add(*terms, evaluate=False)

    def term(self) -> sp.Expr:
        first = self.index
        result = self.signed_product()
        last = self.tokens[self.index - 1]
        start = self.tokens[first].position
        self.spans.setdefault(result, []).append(
            (start, last.position + len(last.text))
        )
        return result

    def signed_product(self) -> sp.Expr:
        sign = 1
        while self.at("+", "-"):
            if self.take().text == "-":
                sign = -sign
        factors = [self.power()]
        while True:
            if self.at(r"\cdot", r"\times", "*"):
                self.take()
                factors.append(self.power())
            elif self.starts_atom():
                factors.append(self.power())
            else:
                break
        product = factors[0] if len(factors) == 1 else sp.Mul(*factors, evaluate=False)
        return product if sign == 1 else negate(product)

    def starts_atom(self) -> bool:
        token = self.peek()
        if token is None:
            return False
        return token.kind in ("number", "name", "word") or token.text in (
            "(",
            "{",
            r"\frac",
            r"\max",
            r"\min",
            r"\sigma",
            r"\tanh",
            r"\operatorname",
            r"\log",
            r"\exp",
        )

    def power(self) -> sp.Expr:
        base = self.atom()
        if self.at("^"):
            self.take("^")
            first = self.index
            exponent = self.group() if self.at("{") else self.number()
            checked_exponent(exponent, self.source(first))
            return sp.Pow(base, exponent, evaluate=False)
        return base

    def source(self, first: int) -> str:
        """The text of the tokens from `first` to the last one taken."""
        last = self.tokens[self.index - 1]
        return self.text[self.tokens[first].position : last.position + len(last.text)]

    def number(self) -> sp.Expr:
        token = self.take()
        if token.kind != "number":
            raise ParseError(f"expected a number at character {token.position + 1}")
        if len(token.text) > MAX_NUMBER_DIGITS:
            raise ParseError(
                f"the number at character {token.position + 1} has "
                f"{len(token.text):,} digits, over the limit of {MAX_NUMBER_DIGITS:,} "
                "(symcnn.limits.MAX_NUMBER_DIGITS); round it"
            )
        mantissa = token.text.partition("e")[0]
        if mantissa != token.text or "." in mantissa:
            digits = mantissa.replace(".", "").lstrip("0")
            self.decimals = max(self.decimals, len(digits))
        return sp.Rational(token.text)

    def group(self) -> sp.Expr:
        self.take("{")
        inner = self.expression()
        self.take("}")
        return inner

    def atom(self) -> sp.Expr:
        token = self.peek()
        if token is None:
            raise ParseError("the formula ends too early")
        if token.kind == "number":
            return self.number()
        if token.text == "(":
            self.take("(")
            inner = self.expression()
            self.take(")")
            return inner
        if token.text == "{":
            return self.group()
        if token.text == r"\frac":
            self.take()
            numerator, denominator = self.group(), self.group()
            return sp.Mul(
                numerator, sp.Pow(denominator, -1, evaluate=False), evaluate=False
            )
        if token.text == r"\operatorname":
            self.take()
            self.take("{")
            word = self.take().text
            self.take("}")
            return self.call(word.lower(), token)
        if token.kind == "word" or token.text in (
            r"\max",
            r"\min",
            r"\sigma",
            r"\tanh",
            r"\log",
            r"\exp",
        ):
            self.take()
            name = FUNCTION_WORDS[token.text.lstrip("\\").lower()]
            if name in ("log", "exp") and not self.at("("):
                return self.functions[name](self.power())  # \log \sigma(x)
            return self.call(name, token)
        if token.kind == "name":
            self.take()
            letter, _, index = token.text.partition("_")
            letter = WORD_NAME.sub(r"\1", letter)  # \mathrm{hidden}: hidden
            index = index.strip("{}").replace(" ", "")
            if self.at("(") and not index and letter in self.functions:
                return self.call(letter, token)
            if letter == "e" and not index and "e" in self.functions:
                if not self.at("^"):  # e and e^{x}, when the network names no e
                    return self.functions["e"](sp.S.One)
                self.take("^")
                exponent = self.group() if self.at("{") else self.number()
                return self.functions["e"](exponent)
            return self.resolve(letter, index, self, token)
        raise ParseError(f"unexpected {token.text!r} at character {token.position + 1}")

    def call(self, name: str, token: Token) -> sp.Expr:
        self.take("(")
        arguments = [self.expression()]
        while self.at(","):
            self.take(",")
            arguments.append(self.expression())
        self.take(")")
        function = self.functions.get(name)
        if function is None:
            raise ParseError(
                f"unknown function {token.text!r} at character {token.position + 1}"
            )
        if name == "softmax":  # softmax(F_{NN}(P_{1}))_{2}: an output's share
            if not self.at("_"):
                raise ParseError(
                    f"softmax at character {token.position + 1} has no output "
                    "number; write \\operatorname{softmax}(F_{NN}(P_{1}))_{2}"
                )
            self.take("_")
            return function(*arguments, index=self.group() if self.at("{") else
                            self.number())  # fmt: skip
        if all(a.is_Number for a in arguments):  # f(2) kept as written: values.py
            with sp.evaluate(False):
                return function(*arguments)
        return function(*arguments)


#: Function names written as letters, longest first (LReLU before ReLU).
WORDS = sorted(FUNCTION_WORDS, key=len, reverse=True)


def merge_words(tokens: list[Token]) -> list[Token]:
    """Relu(...), ReLU(...) and max(...) written as letters: one word token."""
    merged, index = [], 0
    while index < len(tokens):
        for word in WORDS:
            size = len(word)
            window = tokens[index : index + size]
            if (
                len(window) == size
                and all(t.kind == "name" and len(t.text) == 1 for t in window)
                and "".join(t.text for t in window).lower() == word
                and index + size < len(tokens)
                and tokens[index + size].text == "("
            ):
                merged.append(
                    Token("word", "".join(t.text for t in window), window[0].position)
                )
                index += size
                break
        else:
            token = tokens[index]
            word = WORD_NAME.fullmatch(token.text)  # \mathrm{ReLU}(x)
            if word and word[1].lower() in FUNCTION_WORDS and index + 1 < len(
                tokens
            ) and tokens[index + 1].text == "(":
                token = Token("word", word[1], token.position)
            merged.append(token)
            index += 1
    return merged


def checked_exponent(exponent: sp.Expr, written: str) -> None:
    """A ParseError unless the exponent is a whole number within MAX_FORMULA_EXPONENT:
    anything else (9^{9^{9}}, p^{w}) would have SymPy compute huge numbers, or is a
    formula no network of symcnn's computes."""
    limit = MAX_FORMULA_EXPONENT
    if exponent.is_Integer and abs(exponent) <= limit:
        return
    problem = "too large" if exponent.is_Integer else "not a whole number written out"
    raise ParseError(
        f"exponent {problem}: ^{written}; an exponent must be a whole number written "
        f"out, from -{limit} to {limit} (symcnn.limits.MAX_FORMULA_EXPONENT)"
    )


def negate(expr: sp.Expr) -> sp.Expr:
    if expr.is_Number:
        return -expr
    return sp.Mul(sp.S.NegativeOne, expr, evaluate=False)
