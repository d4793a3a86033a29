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

from .activations import ReLU, Sigmoid
from .data import Dataset
from .latex import make_printer
from .names import normalize
from .pooling import PoolMax, PoolMin
from .terms import substitute
from .texparse import ParseError, Parser
from .trace import Trace

OUTPUT = sp.Symbol("_F_NN")
LOSS = sp.Symbol("_L")


@dataclass(frozen=True)
class Verdict:
    """One link of an equation chain: correct, wrong (with the differences) or not
    understood (with why); `line` in the file when read from one."""

    lhs: str
    formula: str
    status: str
    differences: tuple[str, ...] = ()
    reason: str = ""
    line: int | None = None


@dataclass
class Checker:
    """Formulas against one network (and its data and weights, for the loss and the
    substituted forms). `same_letter_case` treats W and w as the same letter."""

    trace: Trace
    data: Dataset | None = None
    weights: tuple | None = None
    same_letter_case: bool = False
    names: dict = field(init=False)

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

    def parse(self, text: str) -> list[sp.Expr]:
        text = re.sub(r"\\(?:text|mathrm|operatorname)\{([^{}]*)\}", r"\1", text)
        text = re.sub(r"\\(?:begin|end)\{[a-z*]+\}", " ", text)
        return Parser(text, self.resolve, self.functions()).chain()

    # -- the derived side ------------------------------------------------------------
    def derived(self, lhs: sp.Expr, written: sp.Expr) -> sp.Expr:
        """The derived formula for `lhs` at the level the writer chose: named values
        kept if the written side uses them, weights put in if it has none."""
        keep_named = bool(written.free_symbols & self.named_symbols())
        if lhs == OUTPUT:
            (target,) = self.trace.outputs[:1]
        elif lhs == LOSS:
            return self.loss()
        else:
            target = self.definition(lhs)
        expr = self.trace.inline(target, keep_named=keep_named)
        parameters = set(self.trace.parameters)
        if self.weights is not None and not written.free_symbols & parameters:
            expr = substitute(expr, dict(zip(self.trace.parameters, self.weights)))
        return expr

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
            parts = self.parse(text)
        except ParseError as error:
            return [Verdict("?", text, "not understood", reason=str(error), line=line)]
        if len(parts) < 2:
            return [
                Verdict("?", text, "not understood", reason="no `=` in it", line=line)
            ]
        lhs, rights = parts[0], parts[1:]
        if lhs not in (OUTPUT, LOSS) and lhs not in self.named_symbols():
            return [
                Verdict(
                    self.show(lhs),
                    text,
                    "not understood",
                    line=line,
                    reason="its left side is not a value the network names",
                )
            ]
        lhs_text = {OUTPUT: "F_{NN}(P)", LOSS: "L(w)"}.get(lhs) or self.show(lhs)
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
            found = self.differences(right, expected)
            status = "wrong" if found else "correct"
            verdicts.append(Verdict(lhs_text, text, status, tuple(found), line=line))
        return verdicts


MATH = re.compile(
    r"\$\$(.+?)\$\$|\\\[(.+?)\\\]|\$(.+?)\$"
    r"|\\begin\{(?:equation|align|gather)\*?\}(.+?)\\end\{(?:equation|align|gather)\*?\}",
    re.DOTALL,
)


def equations_in(tex: str) -> list[tuple[int, str]]:
    """(line, formula) for every math block; blocks that continue one another (one
    ends or the next starts with = or +) are joined, as lecture notes split chains."""
    blocks = []
    for match in MATH.finditer(tex):
        body = next(group for group in match.groups() if group is not None).strip()
        line = tex.count("\n", 0, match.start()) + 1
        if blocks and (
            blocks[-1][1].rstrip().endswith(("=", "+", "-"))
            or body.startswith(("=", "+"))
        ):
            previous_line, previous = blocks.pop()
            if previous.rstrip().endswith("=") and body.startswith("="):
                body = body[1:]
            blocks.append((previous_line, previous + " " + body))
        else:
            blocks.append((line, body))
    return [(line, body) for line, body in blocks if "=" in body]


def check_tex(checker: Checker, tex: str) -> list[Verdict]:
    """Verdicts for every equation in a .tex (or Markdown) text whose left side the
    network names; other equations are left out."""
    verdicts = []
    for line, body in equations_in(tex):
        for verdict in checker.check(body, line):
            if verdict.status != "not understood" or verdict.lhs != "?":
                verdicts.append(verdict)
    return [v for v in verdicts if not v.reason.startswith("its left side")]
