"""How wide a formula prints: Computer Modern glyph widths, summed the way TeX sets
math, so that line breaking (linebreak.py) measures what the reader sees and not
LaTeX source characters (`w_{11,1}` is 8 source characters and 1.6 digits wide).

Widths are in *digits*: the width of `0` in the formula's font (half an em; every CM
digit is 0.5 em), so `--width 56` means "as wide as 56 digits" whatever the font
size. Glyphs come from TeX Live 2022's cmmi10/cmr10 (text size) and cmmi7/cmr7
(subscripts and superscripts) .tfm files, read once with a 20-line TFM reader; a
letter's italic correction is added to its width (TeX adds it in math). Script sizes
are Beamer's 11pt ones (8 pt and 6 pt under 10.95 pt text: ratios 0.731 and 0.548),
a little larger than the article's 7/10, so a formula measured here never prints
wider in either class. Spacing is TeX's natural math glue: 4 mu around a binary
`+`, 5 mu around a relation `=`, 3 mu after a comma and an operator name (18 mu =
1 em); none in script sizes. A command not in the tables counts 1 em.
"""

from __future__ import annotations

import re

#: cmr10 and cmr7 widths (em of their size) of upright characters.
ROMAN = {
    "(": (0.38889, 0.44643), ")": (0.38889, 0.44643), "[": (0.27778, 0.32341),
    "]": (0.27778, 0.32341), "+": (0.77778, 0.87699), "=": (0.77778, 0.87699),
    ",": (0.27778, 0.32341), ".": (0.27778, 0.32341), ":": (0.27778, 0.32341),
    ";": (0.27778, 0.32341), "!": (0.27778, 0.32341), "/": (0.5, 0.56945),
    "'": (0.27778, 0.32341), "|": (0.27778, 0.32341),
}  # fmt: skip
ROMAN.update({digit: (0.5, 0.56945) for digit in "0123456789"})
#: Lower-case roman letters of cmr10 (for \max, \log, \operatorname{LReLU}...).
ROMAN_LETTERS = dict(
    zip(
        "abcdefghijklmnopqrstuvwxyz",
        (0.5, 0.556, 0.444, 0.556, 0.444, 0.306, 0.5, 0.556, 0.278, 0.306, 0.528,
         0.278, 0.833, 0.556, 0.5, 0.556, 0.528, 0.392, 0.394, 0.389, 0.556, 0.528,
         0.722, 0.528, 0.528, 0.444),
    )
)  # fmt: skip
ROMAN_LETTERS.update(
    zip(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        (0.75, 0.708, 0.722, 0.764, 0.681, 0.653, 0.785, 0.75, 0.361, 0.514, 0.778,
         0.625, 0.917, 0.75, 0.778, 0.681, 0.778, 0.736, 0.556, 0.722, 0.75, 0.75,
         1.028, 0.75, 0.75, 0.611),
    )
)  # fmt: skip
#: cmmi10 and cmmi7 width + italic correction (em of their size) of math letters.
ITALIC = dict(
    zip(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
        zip(
            (0.529, 0.429, 0.433, 0.520, 0.466, 0.597, 0.513, 0.576, 0.345, 0.469,
             0.552, 0.318, 0.878, 0.600, 0.485, 0.503, 0.482, 0.479, 0.469, 0.361,
             0.572, 0.521, 0.743, 0.572, 0.526, 0.509, 0.75, 0.809, 0.786, 0.856,
             0.796, 0.782, 0.786, 0.913, 0.518, 0.651, 0.921, 0.681, 1.079, 0.912,
             0.791, 0.781, 0.791, 0.767, 0.671, 0.723, 0.792, 0.806, 1.083, 0.907,
             0.803, 0.754),
            (0.620, 0.502, 0.511, 0.595, 0.542, 0.669, 0.593, 0.669, 0.404, 0.531,
             0.631, 0.367, 1.014, 0.706, 0.564, 0.589, 0.559, 0.561, 0.539, 0.432,
             0.675, 0.607, 0.853, 0.648, 0.615, 0.587, 0.859, 0.912, 0.889, 0.965,
             0.894, 0.878, 0.889, 1.012, 0.584, 0.726, 1.030, 0.784, 1.197, 1.012,
             0.900, 0.881, 0.900, 0.866, 0.756, 0.829, 0.885, 0.921, 1.228, 1.015,
             0.918, 0.848),
        ),
    )
)  # fmt: skip
#: Greek letters of cmmi10 / cmmi7 (width + italic correction).
GREEK = {
    "alpha": (0.643, 0.743), "beta": (0.618, 0.699), "gamma": (0.573, 0.662),
    "delta": (0.482, 0.556), "epsilon": (0.406, 0.476), "eta": (0.532, 0.624),
    "theta": (0.497, 0.575), "lambda": (0.583, 0.678), "mu": (0.603, 0.695),
    "pi": (0.606, 0.704), "rho": (0.517, 0.593), "sigma": (0.607, 0.698),
    "tau": (0.550, 0.642), "phi": (0.596, 0.687), "psi": (0.687, 0.792),
    "omega": (0.658, 0.756), "xi": (0.484, 0.554), "nu": (0.558, 0.639),
}  # fmt: skip
#: Em of the text font per em of each script level (Beamer 11pt: 8/10.95, 6/10.95).
SCALE = (1.0, 0.731, 0.548)
MU = 1 / 18
#: What \left( or \right) adds to its parenthesis: a delimiter grown around a
#: display \frac is wider (\bigg( 0.53 em, ( 0.39), and a line broken inside gets a
#: \right. or \left. (\nulldelimiterspace, 1.2 pt = 0.11 em) for each.
LEFT_RIGHT = 0.25
#: Commands and their width in em of their size, spacing included.
SYMBOLS = {
    "cdot": 0.278 + 8 * MU, "times": 0.778 + 8 * MU, "approx": 0.778 + 10 * MU,
    "leq": 0.778 + 10 * MU, "geq": 0.778 + 10 * MU, "neq": 0.778 + 10 * MU,
    "to": 1.0 + 10 * MU, "in": 0.667 + 10 * MU, "dots": 1.172, "ldots": 1.172,
    "cdots": 1.172, "quad": 1.0, "qquad": 2.0, ",": 3 * MU, ";": 5 * MU,
    ":": 4 * MU, "!": 0.0, "left": LEFT_RIGHT, "right": LEFT_RIGHT, "mathopen": 0.0,
    "mathclose": 0.0, "partial": 0.566, "infty": 1.0, "sum": 1.444, "prod": 1.278,
    "ell": 0.417, "nabla": 0.833, "prime": 0.275, "{": 0.5, "}": 0.5,
}  # fmt: skip
#: Operator names set in roman with a thin space after (\max(x) has none before '(',
#: counted anyway: an overestimate by 3 mu never makes a line too wide).
OPERATORS = {"max", "min", "log", "exp", "tanh", "sin", "cos", "ln", "det", "sup"}
#: Commands whose braced argument prints as roman text.
ROMAN_GROUPS = {"operatorname", "text", "mathrm", "textrm", "mathit", "mathbf"}
TOKEN = re.compile(r"\\([a-zA-Z]+|.)|\s+|.", re.S)


def group_end(latex: str, start: int) -> int:
    """The index after the `}` closing the `{` at `start` (the end when unclosed)."""
    depth = 0
    for index in range(start, len(latex)):
        if latex[index] == "{":
            depth += 1
        elif latex[index] == "}":
            depth -= 1
            if depth == 0:
                return index + 1
    return len(latex)


def argument_end(latex: str, start: int) -> int:
    """The end of the argument that starts at `start`: a group, a command, a char."""
    while start < len(latex) and latex[start] == " ":
        start += 1
    if start >= len(latex):
        return start
    if latex[start] == "{":
        return group_end(latex, start)
    return TOKEN.match(latex, start).end()


def roman_width(text: str, level: int) -> float:
    return sum(ROMAN_LETTERS.get(char, 0.5) for char in text) * SCALE[level]


def token_widths(latex: str, level: int = 0) -> list[tuple[int, int, float]]:
    """(start, end, width in em) of each top-level piece of `latex`: a character, a
    command with its arguments, a braced group, a sub/superscript pair."""
    pieces, index = [], 0
    while index < len(latex):
        start = index
        char = latex[index]
        if char in "_^":
            index, width = scripts(latex, index, level)
        elif char == "{":
            index = group_end(latex, index)
            width = formula_width(latex[start + 1 : index - 1], level)
        elif char == "\\":
            index, width = command(latex, index, level)
        else:
            index += 1
            width = character(char, level)
        pieces.append((start, index, width))
    return pieces


def scripts(latex: str, index: int, level: int) -> tuple[int, float]:
    """A subscript and/or superscript at `index`: the wider of the two, one level
    smaller, and TeX's \\scriptspace (0.5 pt)."""
    widths, inner = [], min(level + 1, 2)
    while index < len(latex) and latex[index] in "_^":
        end = argument_end(latex, index + 1)
        argument = latex[index + 1 : end].strip()
        if argument.startswith("{"):
            argument = argument[1:-1]
        widths.append(formula_width(argument, inner))
        index = end
    return index, max(widths) + 0.05


def command(latex: str, index: int, level: int) -> tuple[int, float]:
    match = TOKEN.match(latex, index)
    name, end = match.group(1), match.end()
    scale = SCALE[level]
    if name in ("left", "right") and latex.startswith(".", end):
        # \left. and \right. (a broken line's): counted with their partner \left(
        # or \right) (LEFT_RIGHT), so a line measures as when it was broken.
        return end + 1, 0.0
    if name == "frac":
        numerator_end = argument_end(latex, end)
        denominator_end = argument_end(latex, numerator_end)
        parts = (latex[end:numerator_end], latex[numerator_end:denominator_end])
        inner = level if level else 0  # display style: the parts at text size
        widths = [formula_width(part.strip()[1:-1], inner) for part in parts]
        return denominator_end, max(widths) + 0.24 * scale
    if name == "sqrt":
        argument_stop = argument_end(latex, end)
        inside = latex[end:argument_stop].strip()[1:-1]
        return argument_stop, formula_width(inside, level) + 0.833 * scale
    if name in ROMAN_GROUPS:
        argument_stop = argument_end(latex, end)
        text = latex[end:argument_stop].strip().strip("{}")
        return argument_stop, roman_width(text, level) + 3 * MU * scale
    if name in OPERATORS:
        return end, roman_width(name, level) + 3 * MU * scale
    if name in GREEK:
        return end, GREEK[name][min(level, 1)] * scale
    return end, SYMBOLS.get(name, 1.0) * scale


def character(char: str, level: int) -> float:
    scale = SCALE[level]
    script = min(level, 1)
    spacing = 0.0 if level else 1.0
    if char in "+-":
        return (0.778 + 8 * MU * spacing) * scale
    if char in "=<>":
        return (0.778 + 10 * MU * spacing) * scale
    if char == ",":
        return (ROMAN[","][script] + 3 * MU * spacing) * scale
    if char in ROMAN:
        return ROMAN[char][script] * scale
    if char in ITALIC:
        return ITALIC[char][script] * scale
    if char.isspace() or char in "&~":
        return 0.0
    return 1.0 * scale


def formula_width(latex: str, level: int = 0) -> float:
    """The printed width of math-mode `latex` in em of the text font."""
    return sum(width for _, _, width in token_widths(latex, level))


def digit_widths(latex: str) -> list[float]:
    """The printed width of `latex` spread over its source characters, in digits:
    each top-level piece's width at its first character, nothing at the others (a
    line is only ever cut between top-level pieces)."""
    weights = [0.0] * len(latex)
    for start, _, width in token_widths(latex):
        weights[start] = 2 * width
    return weights


def digits(latex: str) -> float:
    """The printed width of math-mode `latex` in digits (see the module docstring)."""
    return 2 * formula_width(latex)
