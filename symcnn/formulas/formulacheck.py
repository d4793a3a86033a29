"""Checking formulas a lecturer typed against the derived ones (the L1 slip finder).

Each equation `lhs = rhs (= rhs ...)` whose left side names something the network
defines (a_{12}, a, F_{NN}(P), L(w)) is parsed (texparse.py, never evaluated) and every
right side compared with the derived formula: equal when both expand to the same terms
(expand and compare, no random points); otherwise the difference is located term by
term, descending into f(...): "in term 2, inside f(...), term 3: p_{23} W_{21} should
be p_{22} W_{21}". Named values on the right (a_{11}) are fine: both sides are compared
with them substituted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from types import SimpleNamespace

import sympy as sp

from ..model.activations import ReLU, Sigmoid
from ..model.data import Dataset, binary_images, image_text
from ..model.names import normalize
from ..model.pooling import PoolMax, PoolMin
from ..symbolic.terms import substitute
from ..symbolic.trace import Trace
from ..typeset.latex import make_printer
from .texparse import ParseError, Parser

OUTPUT = sp.Symbol("_F_NN")
LOSS = sp.Symbol("_L")


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


def plain(text: str) -> str:
    """\\text{NN} -> NN and \\begin{split} -> spaces, padded to the same length so
    that character positions still point into the original text."""

    def pad(match: re.Match, keep: str) -> str:
        return keep + " " * (len(match.group(0)) - len(keep))

    text = re.sub(
        r"\\(?:text|mathrm|operatorname)\{([^{}]*)\}",
        lambda m: pad(m, m.group(1)),
        text,
    )
    return re.sub(r"\\(?:begin|end)\{[a-z*]+\}", lambda m: pad(m, ""), text)


@dataclass
class Checker:
    """Formulas against one network (and its data and weights, for the loss and the
    substituted forms). `same_letter_case` treats W and w as the same letter."""

    trace: Trace
    data: Dataset | None = None
    weights: tuple | None = None
    same_letter_case: bool = False
    names: dict = field(init=False)
    wrong_terms: list = field(init=False, default_factory=list)

    def __post_init__(self):
        self.names = {}
        for symbol, name in self.trace.names.items():
            self.names[self.key(normalize(name.latex))] = symbol
        shown = dict(self.trace.names)
        samples = len(self.data.samples) if self.data is not None else 0
        for k in range(1, samples + 1):  # F_NN(P_k) in the loss
            shown[sp.Symbol(f"_F_P{k}")] = SimpleNamespace(latex=f"F_{{NN}}(P_{{{k}}})")
        self.show = make_printer(shown, "latex").doprint

    def key(self, name: str) -> str:
        return name.lower() if self.same_letter_case else name

    # -- parsing -------------------------------------------------------------------
    def functions(self) -> dict:
        activations = [
            layer.activation
            for layer in self.trace.network.layers
            if getattr(layer, "activation", None) is not None
            and not layer.activation.is_identity
        ]
        f = activations[0] if activations else (lambda x: x)
        return {
            "f": f,
            "relu": ReLU,
            "sigma": Sigmoid,
            "tanh": sp.tanh,
            "max": lambda *a: ReLU(a[1]) if len(a) == 2 and a[0] == 0 else PoolMax(*a),
            "min": PoolMin,
        }

    def resolve(self, letter: str, index: str, parser: Parser, token) -> sp.Expr:
        """A name of the network; F_{NN}(P), F_{NN}(P_k) and L(w) as special forms."""
        if letter == "F" and index == "NN":
            parser.take("(")
            sample = parser.take()
            if parser.peek() is not None and parser.peek().kind == "number":
                sample_number = parser.take().text
            else:
                sample_number = sample.text.partition("_")[2].strip("{}")
            parser.take(")")
            if sample_number:
                return sp.Symbol(f"_F_P{sample_number}")
            if parser.at("_"):  # F_{NN}(P)_{k}: output k of several
                parser.take("_")
                k = parser.group() if parser.at("{") else parser.number()
                return sp.Symbol(f"_F_NN_{k}")
            return OUTPUT
        if letter == "L" and not index and parser.at("("):
            parser.take("(")
            parser.take()
            parser.take(")")
            return LOSS
        name = self.key(normalize(f"{letter}_{index}" if index else letter))
        if name not in self.names:
            raise ParseError(
                f"{letter}{'_{' + index + '}' if index else ''} is not a "
                "name of this network"
            )
        return self.names[name]

    def parse(self, text: str) -> Parser:
        """The parsed chain (parser.result) with the source spans of its terms."""
        parser = Parser(plain(text), self.resolve, self.functions())
        parser.result = parser.chain()
        return parser

    # -- the derived side ------------------------------------------------------------
    def derived(self, lhs: sp.Expr, written: sp.Expr) -> sp.Expr:
        """The derived formula for `lhs` at the level the writer chose: named values
        kept if the written side uses them, weights put in if it has none."""
        keep_named = bool(written.free_symbols & self.named_symbols())
        if lhs in self.outputs():
            target = self.trace.outputs[self.outputs()[lhs]]
        elif lhs == LOSS:
            return self.loss()
        else:
            target = self.definition(lhs)
        expr = self.trace.inline(target, keep_named=keep_named)
        parameters = set(self.trace.parameters)
        if self.weights is not None and not written.free_symbols & parameters:
            expr = substitute(expr, dict(zip(self.trace.parameters, self.weights)))
        return expr

    def outputs(self) -> dict:
        """F_{NN}(P) (the first output) and F_{NN}(P)_{k} -> the output's position."""
        count = len(self.trace.outputs)
        return {
            OUTPUT: 0,
            **{sp.Symbol(f"_F_NN_{k}"): k - 1 for k in range(1, count + 1)},
        }

    def definition(self, symbol: sp.Symbol) -> sp.Expr:
        return self.trace.definitions[symbol]

    def named_symbols(self) -> set:
        return {row.symbol for row in self.trace.equations()}

    def loss(self) -> sp.Expr:
        if self.data is None or not self.data.has_targets:
            raise ParseError("L(w) needs the spec's samples with targets")
        return sp.Add(
            *(
                sp.Pow(
                    sp.Add(
                        sp.Symbol(f"_F_P{number}"), -sample.target[0], evaluate=False
                    ),
                    2,
                    evaluate=False,
                )
                for number, sample in enumerate(self.data.samples, start=1)
            ),
            evaluate=False,
        )

    # -- comparing -------------------------------------------------------------------
    def canonical(self, expr: sp.Expr) -> sp.Expr:
        """A side with every value of the trace substituted (down to pixels and
        weights), expanded inside functions too."""
        return sp.expand(self.trace.inline(expr, keep_named=False), deep=True)

    def same(self, a: sp.Expr, b: sp.Expr) -> bool:
        return sp.expand(self.canonical(a) - self.canonical(b), deep=True) == 0

    def differences(self, written: sp.Expr, derived: sp.Expr, path=()) -> list[str]:
        """Where `written` and `derived` differ, term by term, descending into f(...);
        `path` is where we are ("term 2", "f(...)", ...)."""
        if self.same(written, derived):
            return []
        if written.is_Add and derived.is_Add:
            return self.sum_differences(list(written.args), list(derived.args), path)
        if written.is_Mul and derived.is_Mul:
            inner = self.product_differences(written, derived, path)
            if inner is not None:
                return inner
        if (
            written.is_Function
            and written.func == derived.func
            and len(written.args) == len(derived.args)
        ):
            found = []
            for w, d in zip(written.args, derived.args):
                found += self.differences(w, d, (*path, f"{self.head(written)}(...)"))
            if found:
                return found
        prefix = f"{' > '.join(path)}: " if path else ""
        self.wrong_terms.append(written)
        return [f"{prefix}{self.show(written)} should be {self.show(derived)}"]

    def head(self, expr: sp.Expr) -> str:
        return self.show(expr).split("(")[0]

    def sum_differences(self, written: list, derived: list, path) -> list[str]:
        left = list(range(len(derived)))
        unmatched = []
        for position, term in enumerate(written, start=1):
            match = next((j for j in left if self.same(term, derived[j])), None)
            if match is None:
                unmatched.append((position, term))
            else:
                left.remove(match)
        missing = [derived[j] for j in left]
        if len(unmatched) == len(missing):
            found = []
            for (position, term), should in zip(unmatched, missing):
                found += self.differences(term, should, (*path, f"term {position}"))
            return found
        prefix = f"{' > '.join(path)} > " if path else ""
        self.wrong_terms += [term for _, term in unmatched]
        found = [
            f"{prefix}term {p}: {self.show(t)} is not in the derived formula"
            for p, t in unmatched
        ]
        found += [f"{prefix}missing term: {self.show(t)}" for t in missing]
        return found

    def product_differences(self, written: sp.Expr, derived: sp.Expr, path):
        """One differing factor that is itself a formula (an f(...)) is described
        inside; None when the factors do not pair up that way."""
        w, d = list(written.args), list(derived.args)
        if len(w) != len(d):
            return None
        for factor in list(w):
            match = next((g for g in d if self.same(factor, g)), None)
            if match is not None:
                w.remove(factor)
                d.remove(match)
        if len(w) == 1 and not w[0].is_Atom:
            return self.differences(w[0], d[0], path)
        return None

    # -- verdicts --------------------------------------------------------------------
    def check(self, text: str, line: int | None = None) -> list[Verdict]:
        """Verdicts for every link of the chain in `text` (lhs = rhs = rhs ...)."""
        try:
            parser = self.parse(text)
            parts = parser.result
        except ParseError as error:
            return [Verdict("?", text, "not understood", reason=str(error), line=line)]
        if len(parts) < 2:
            return [
                Verdict("?", text, "not understood", reason="no `=` in it", line=line)
            ]
        lhs, rights = parts[0], parts[1:]
        if (
            lhs not in self.outputs()
            and lhs != LOSS
            and lhs not in self.named_symbols()
        ):
            return [
                Verdict(
                    self.show(lhs),
                    text,
                    "not understood",
                    line=line,
                    reason="its left side is not a value the network names",
                )
            ]
        lhs_text = (
            "L(w)"
            if lhs == LOSS
            else "F_{NN}(P)"
            if lhs == OUTPUT
            else f"F_{{NN}}(P)_{{{self.outputs()[lhs] + 1}}}"
            if lhs in self.outputs()
            else self.show(lhs)
        )
        verdicts = []
        for right in rights:
            try:
                expected = self.derived(lhs, right)
            except ParseError as error:
                verdicts.append(
                    Verdict(
                        lhs_text, text, "not understood", reason=str(error), line=line
                    )
                )
                continue
            self.wrong_terms = []
            found = self.differences(right, expected)
            image = self.image_where_equal(right, expected) if found else None
            if image is not None:  # a value on one image, as slide L4 computes them
                verdicts.append(
                    Verdict(
                        lhs_text,
                        text,
                        "correct",
                        line=line,
                        reason=f"on the image {image}",
                    )
                )
                continue
            status = "wrong" if found else "correct"
            marks = spans_of(self.wrong_terms, parser.spans)
            verdicts.append(
                Verdict(lhs_text, text, status, tuple(found), line=line, marks=marks)
            )
        return verdicts

    def image_where_equal(self, written: sp.Expr, derived: sp.Expr) -> str | None:
        """When `written` is a value (no symbols at all, as slide L4's f(-1) + ... = 0)
        and `derived` depends on the pixels, the first binary image ("000/000") on
        which they agree, trying up to 2^12 images; else None."""
        pixels = set(self.trace.pixels.flat)
        target = self.canonical(written)
        if target.free_symbols or not self.canonical(derived).free_symbols & pixels:
            return None
        if self.trace.pixels.size > 12:
            return None
        general = self.canonical(derived)
        for image in binary_images(self.trace.pixels.shape):
            value = general.xreplace(dict(zip(self.trace.pixels.flat, image.flat)))
            if sp.expand(value - target, deep=True) == 0:
                return image_text(image)
        return None


def spans_of(terms, spans: dict) -> tuple[tuple[int, int], ...]:
    """The source spans of the wrong written terms (each occurrence used once)."""
    left = {term: list(places) for term, places in spans.items()}
    found = []
    for term in terms:
        places = left.get(term)
        if places:
            found.append(places.pop(0))
    return tuple(sorted(found))


MATH = re.compile(
    r"\$\$(.+?)\$\$|\\\[(.+?)\\\]|\$(.+?)\$"
    r"|\\begin\{(?:equation|align|gather)\*?\}(.+?)\\end\{(?:equation|align|gather)\*?\}",
    re.DOTALL,
)


@dataclass
class Block:
    """One formula of a file: its first line, its text, where each piece of the text
    lies in the file ((offset in text, offset in file, length)) and where it ends."""

    line: int
    body: str
    pieces: list
    end: int

    def file_position(self, offset: int) -> int:
        for start, file_start, length in self.pieces:
            if start <= offset <= start + length:
                return file_start + offset - start
        raise ValueError(offset)


def continues(previous: str, following: str) -> bool:
    """Whether a math block goes on with the next one: the first ends with = + or -,
    and the second starts with an operator or (after "=") holds no "=" of its own."""
    end = previous.rstrip()
    if not end.endswith(("=", "+", "-")):
        return False
    return following.startswith(("=", "+", "-")) or (
        end.endswith("=") and "=" not in following
    )


def equations_in(tex: str) -> list[Block]:
    """Every math block with an `=`; blocks that continue one another (see
    continues) are joined, as lecture notes split long chains."""
    blocks: list[Block] = []
    for match in MATH.finditer(tex):
        group = next(i for i, g in enumerate(match.groups(), start=1) if g is not None)
        body, start = match.group(group), match.start(group)
        body = body.rstrip().rstrip(".,;")  # a sentence's punctuation inside $...$
        line = tex.count("\n", 0, match.start()) + 1
        stripped = body.strip()
        if not stripped:
            continue
        lead = body.index(stripped[0])
        previous = blocks[-1] if blocks else None
        if previous and continues(previous.body, stripped):
            if previous.body.rstrip().endswith("=") and stripped.startswith("="):
                lead += 1  # one "=" for the two halves of "... = $$ $$ = ..."
            piece = body[lead:]
            offset = len(previous.body) + 1
            previous.body += " " + piece
            previous.pieces.append((offset, start + lead, len(piece)))
            previous.end = match.end()
        else:
            blocks.append(Block(line, body, [(0, start, len(body))], match.end()))
    return [block for block in blocks if "=" in block.body]


def check_tex(checker: Checker, tex: str, lines: tuple[int, int] | None = None):
    """(block, verdicts) for every equation of a .tex (or Markdown) text whose left
    side the network names (others are not about this network); `lines` keeps the
    blocks that start in that range."""
    results = []
    for block in equations_in(tex):
        if lines and not lines[0] <= block.line <= lines[1]:
            continue
        verdicts = checker.check(block.body, block.line)
        relevant = [v for v in verdicts if not v.reason.startswith("its left side")]
        if relevant and not (
            relevant[0].lhs == "?" and not names_network(checker, block.body)
        ):
            results.append((block, relevant))
    return results


def names_network(checker: Checker, body: str) -> bool:
    """Whether the text before the first `=` is a value of the network: then a
    formula that fails to parse is reported as not understood, not skipped."""
    left = body.split("=", 1)[0]
    try:
        (lhs,) = checker.parse(left).result
    except (ParseError, ValueError):
        return False
    return lhs in checker.outputs() or lhs == LOSS or lhs in checker.named_symbols()


def annotate(tex: str, results) -> str:
    """The text with every wrong written term wrapped in \\underline{} and a
    `% symcnn:` comment after each wrong formula's line."""
    edits = []  # (file position, text to insert), applied from the end
    for block, verdicts in results:
        wrong = [v for v in verdicts if v.status == "wrong"]
        for verdict in wrong:
            for start, end in verdict.marks:
                edits.append((block.file_position(start), "\\underline{"))
                edits.append((block.file_position(end), "}"))
        if wrong:
            line_end = tex.find("\n", block.end)
            line_end = len(tex) if line_end < 0 else line_end
            notes = "".join(
                f"\n% symcnn: {v.lhs} is wrong: " + "; ".join(v.differences)
                for v in wrong
            )
            edits.append((line_end, notes))
    for position, text in sorted(edits, key=lambda edit: edit[0], reverse=True):
        tex = tex[:position] + text + tex[position:]
    return tex
