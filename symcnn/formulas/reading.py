"""Reading typed formulas in a network's names: `a_{12}`, `F_{NN}(P)`, `F_{NN}(P_2)`,
`L(w)` and the activation letters become the trace's symbols (texparse.py parses,
nothing is evaluated); a name the network does not have is a parse error."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from types import SimpleNamespace

import sympy as sp

from ..model.activations import ReLU, Sigmoid, activation
from ..model.losses import Softmax
from ..model.names import normalize
from ..model.pooling import PoolMax, PoolMin
from ..symbolic.trace import Trace
from ..typeset.latex import make_printer
from .compare import canonical
from .losses import output_symbol, sample_outputs
from .texparse import ParseError, Parser


class OutsideNetwork(ParseError):
    """A name with a letter of the network but an index it does not have (p_{32} in
    a 2x3 image): a wrong formula, not one symcnn cannot read; `span` is where the
    name stands in the text."""

    def __init__(self, message: str, span: tuple[int, int], value: bool):
        super().__init__(message)
        self.span = span
        #: Whether the letter is one of the network's named values (a_{33}), which
        #: a left side may be; a pixel's or a weight's is not a formula to check.
        self.value = value


OUTPUT = sp.Symbol("_F_NN")
#: F_{NN}(P_{s}) and F_{NN}(P_{s})_{k} as losses.output_symbol names them.
SAMPLE = re.compile(r"_F_P(\d+)(?:_(\d+))?")
LOSS = sp.Symbol("_L")


#: Characters a PDF viewer's copy gives for plain ASCII ones, one for one (so that
#: positions still point into the text): the minus sign and dashes, no-break and
#: thin spaces, multiplication dots.
PDF_CHARACTERS = str.maketrans(
    {
        "\u2212": "-",  # minus sign
        "\u2013": "-",  # en dash
        "\u2012": "-",  # figure dash
        "\u2010": "-",  # hyphen
        "\u00a0": " ",  # no-break space
        "\u2007": " ",  # figure space
        "\u2009": " ",  # thin space
        "\u200a": " ",  # hair space
        "\u202f": " ",  # narrow no-break space
        "\u00b7": "*",  # middle dot
        "\u22c5": "*",  # dot operator
        "\u00d7": "*",  # multiplication sign
        "\u2217": "*",  # asterisk operator
    }
)


def plain(text: str) -> str:
    """\\text{NN} -> NN and \\begin{split} -> spaces, and the characters a PDF copy
    gives (PDF_CHARACTERS: U+2212 minus, no-break spaces) as ASCII, each padded or
    mapped to the same length so that character positions still point into the
    original text."""
    text = text.translate(PDF_CHARACTERS)

    def pad(match: re.Match, keep: str) -> str:
        return keep + " " * (len(match.group(0)) - len(keep))

    text = re.sub(  # padded before: \text{hidden}_{1} stays one name, hidden_{1}
        r"\\(?:text|operatorname)\{([A-Za-z]+)\}(?=_)",
        lambda m: " " * (len(m.group(0)) - len(m.group(1))) + m.group(1),
        text,
    )
    text = re.sub(
        r"\\(?:text|operatorname)\{([^{}]*)\}",  # \mathrm{hidden}_{11}: a name
        lambda m: pad(m, m.group(1)),
        text,
    )
    return re.sub(r"\\(?:begin|end)\{[a-z*]+\}", lambda m: pad(m, ""), text)


@dataclass
class FormulaReader:
    """Typed LaTeX -> SymPy over one network's names; `samples` numbers the
    F_{NN}(P_k) a loss may use; `same_letter_case` treats W and w as one letter."""

    trace: Trace
    samples: int = 0
    same_letter_case: bool = False
    names: dict = field(init=False)

    def __post_init__(self):
        self.names = {}
        for symbol, name in self.trace.names.items():
            self.names[self.key(normalize(name.latex))] = symbol
        shown = dict(self.trace.names)
        for k in range(1, self.samples + 1):  # F_NN(P_k) in the loss
            shown[output_symbol(k)] = SimpleNamespace(latex=f"F_{{NN}}(P_{{{k}}})")
            for j in range(1, len(self.trace.outputs) + 1):
                shown[output_symbol(k, j)] = SimpleNamespace(
                    latex=f"F_{{NN}}(P_{{{k}}})_{{{j}}}"
                )
        self.show = make_printer(shown, "latex").doprint
        self.terms_of: dict[sp.Symbol, int] = {}
        self.named = {row.symbol for row in self.trace.equations()}

    def key(self, name: str) -> str:
        return name.lower() if self.same_letter_case else name

    def functions(self) -> dict:
        activations = [
            layer.activation
            for layer in self.trace.network.layers
            if getattr(layer, "activation", None) is not None
            and not layer.activation.is_identity
        ]
        # derive prints ReLU and the generic f as f(...); the others by their names
        printed_f = [a for a in activations if a.kind in ("relu", "f")]
        f = (printed_f or activations or [lambda x: x])[0]
        leaky = [a for a in activations if a.kind == "leaky_relu"]
        functions = {
            "f": f,
            "lrelu": leaky[0] if leaky else activation("leaky_relu"),
            "log": sp.log,
            "exp": sp.exp,
            "softmax": self.softmax,
            "relu": ReLU,
            "sigma": Sigmoid,
            "tanh": sp.tanh,
            "max": lambda *a: ReLU(a[1]) if len(a) == 2 and a[0] == 0 else PoolMax(*a),
            "min": PoolMin,
        }
        if self.key("e") not in self.names:  # e^{x}, unless the network names e
            functions["e"] = sp.exp
        return functions

    def softmax(self, *arguments, index: sp.Expr) -> sp.Expr:
        """softmax(F_{NN}(P_{s}))_{k}: F_{NN}(P_{s}) stands for its outputs."""
        values = []
        for argument in arguments:
            sample = SAMPLE.fullmatch(str(argument))
            if sample and len(self.trace.outputs) > 1 and not sample.group(2):
                values += sample_outputs(self.trace, int(sample.group(1)))
            else:
                values.append(argument)
        if not (index.is_Integer and 1 <= index <= len(values)):
            raise ParseError(
                f"softmax(...)_{{{index}}}: the output number is 1 to {len(values)}"
            )
        return Softmax(index - 1, *values)

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
            k = None
            if parser.at("_"):  # F_{NN}(P)_{k}: output k of several
                parser.take("_")
                k = parser.group() if parser.at("{") else parser.number()
            if sample_number:
                return self.sample_output(sample_number, k, token)
            return OUTPUT if k is None else sp.Symbol(f"_F_NN_{k}")
        if letter == "L" and not index and parser.at("("):
            parser.take("(")
            parser.take()
            parser.take(")")
            return LOSS
        name = self.key(normalize(f"{letter}_{index}" if index else letter))
        if name not in self.names and not index:
            word = self.word(letter, parser, token)
            if word is not None:
                return word
        unbraced(self, letter, index, parser, token)
        if name not in self.names:
            written = f"{letter}_{{{index}}}" if index else letter
            why = self.outside(written, letter)
            if why is None:
                raise ParseError(f"{written} is not a name of this network")
            span = (token.position, token.position + len(token.text))
            value = any(kind == "values" for _, kind in self.families(letter))
            raise OutsideNetwork(why, span, value)
        return self.names[name]

    def word(self, letter: str, parser: Parser, token) -> sp.Symbol | None:
        """hidden_{11} typed without \\mathrm: the letters written together (one
        token each) that spell a name of the network, taken; None if none do."""
        letters, end, found = letter, token.position + len(token.text), None
        for ahead in range(parser.index, len(parser.tokens)):
            following = parser.tokens[ahead]
            if following.kind != "name" or following.position != end:
                break
            head, _, index = following.text.partition("_")
            if len(head) != 1:
                break
            letters += head
            end += len(following.text)
            spelled = f"{letters}_{index}" if index else letters
            if self.key(normalize(spelled)) in self.names:
                found = (ahead, self.names[self.key(normalize(spelled))])
            if index:
                break
        if found is None:
            return None
        parser.index = found[0] + 1
        return found[1]

    def sample_output(self, sample: str, k, token) -> sp.Symbol:
        """F_{NN}(P_{sample}) (its k-th output): a sample of the spec's data."""
        if not (sample.isdigit() and 1 <= int(sample) <= self.samples):
            have = (
                f"the spec has {self.samples} samples, P_{{1}} to P_{{{self.samples}}}"
                if self.samples
                else "the spec has no samples ([data])"
            )
            raise ParseError(f"F_{{NN}}(P_{{{sample}}}) at character "
                             f"{token.position + 1}: {have}")  # fmt: skip
        count = len(self.trace.outputs)
        if k is None or (count == 1 and k == 1):
            return output_symbol(int(sample))
        if not (k.is_Integer and 1 <= k <= count):
            raise ParseError(
                f"F_{{NN}}(P_{{{sample}}})_{{{k}}}: the network has {count} "
                f"output(s), F_{{NN}}(P_{{{sample}}})_{{1}} to _{{{count}}}"
            )
        return output_symbol(int(sample), int(k))

    def outside(self, written: str, letter: str) -> str | None:
        """Why `written` is not in the network when the network uses its letter
        (the image's size, or which layer has which names of that letter); None for
        a letter the network does not use."""
        pixels = [self.trace.names[s] for s in self.trace.pixels.flat]
        if self.key(pixels[0].letter) == self.key(letter):
            c, h, w = self.trace.pixels.shape
            image = f"{h}x{w} image" + (f" of {c} channels" if c > 1 else "")
            first, last = pixels[0].latex, pixels[-1].latex
            return f"{written} is outside the {image} ({first} to {last})"
        families = self.families(letter.partition("^")[0])  # w^{(2)}: w
        if not families:
            return None
        layers = self.trace.network.layers
        return f"{written} is not in this network: " + "; ".join(
            f"layer {number} ({type(layers[number - 1]).__name__}) has the {kind} "
            + listing(names)
            for (number, kind), names in families.items()
        )

    def families(self, letter: str) -> dict[tuple[int, str], list]:
        """(layer, "weights" | "biases" | "values") -> the names with `letter`."""
        found: dict[tuple[int, str], list] = {}
        kinds = {"weight": "weights", "bias": "biases"}
        named = [(row.layer, "values", row.symbol) for row in self.trace.equations()]
        for number, kind, symbol in named + [
            (p.layer, kinds.get(p.role, p.role), p.symbol)
            for p in self.trace.network.parameters
        ]:
            name = self.trace.names[symbol]
            if self.key(name.letter) == self.key(letter):
                found.setdefault((number, kind), []).append(name)
        return found

    def symbol_terms(self, symbol: sp.Symbol) -> int:
        """How many terms `symbol` stands for, expanded down to pixels and weights
        (a named value's formula; 1 for the rest)."""
        if symbol not in self.named:
            return 1
        if symbol not in self.terms_of:
            expanded = canonical(self.trace, symbol)
            self.terms_of[symbol] = len(sp.Add.make_args(expanded))
        return self.terms_of[symbol]

    def parse(self, text: str) -> Parser:
        """The parsed chain (parser.result) with the source spans of its terms."""
        parser = Parser(plain(text), self.resolve, self.functions())
        parser.result = parser.chain()
        return parser

    def outputs(self) -> dict:
        """F_{NN}(P) (the first output) and F_{NN}(P)_{k} -> the output's position."""
        count = len(self.trace.outputs)
        return {
            OUTPUT: 0,
            **{sp.Symbol(f"_F_NN_{k}"): k - 1 for k in range(1, count + 1)},
        }

    def named_symbols(self) -> set:
        return self.named

    def names_value(self, lhs: sp.Expr) -> bool:
        """Whether `lhs` is something the network defines: an output, the loss or a
        named value."""
        return (
            lhs in self.outputs()
            or lhs == LOSS
            or lhs in self.named_symbols()
            or self.is_sample_output(lhs)
        )

    def is_sample_output(self, expr: sp.Expr) -> bool:
        """Whether `expr` is F_{NN}(P_{s}) or F_{NN}(P_{s})_{k} (one output)."""
        return expr.is_Symbol and SAMPLE.fullmatch(expr.name) is not None

    def lhs_text(self, lhs: sp.Expr) -> str:
        """How a verdict names a left side: L(w), F_{NN}(P), F_{NN}(P)_{k} or a_{12}."""
        if lhs == LOSS:
            return "L(w)"
        if lhs == OUTPUT:
            return "F_{NN}(P)"
        if lhs in self.outputs():
            return f"F_{{NN}}(P)_{{{self.outputs()[lhs] + 1}}}"
        return self.show(lhs)


def unbraced(reader: FormulaReader, letter, index, parser: Parser, token) -> None:
    """A ParseError for p11 or w_11 when p_{11} or w_{11} is a name of the network:
    TeX reads them as p times 11 and w_1 times 1, which is never what was meant."""
    following = parser.peek()
    if following is None or following.kind != "number":
        return
    if following.position != token.position + len(token.text):
        return
    if index and token.text.endswith("}"):
        return
    meant = f"{letter}_{{{index}{following.text}}}"
    if reader.key(normalize(meant)) in reader.names:
        raise ParseError(
            f"{token.text}{following.text} at character {token.position + 1} reads "
            f"as {token.text} times {following.text}, as TeX sets it; write {meant}"
        )


def listing(names: list, shown: int = 4) -> str:
    """p_{11}, p_{12}, p_{13}; or p_{11}, p_{12}, ..., p_{33} (9) when long."""
    texts = [name.latex for name in names]
    if len(texts) <= shown:
        return ", ".join(texts)
    return f"{texts[0]}, {texts[1]}, ..., {texts[-1]} ({len(texts)})"
