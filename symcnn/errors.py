"""The exceptions symcnn raises for bad input: each names where, what and a fix."""

from __future__ import annotations

import difflib
import re


class SymcnnError(ValueError):
    """Bad input from the user: a layer, a spec file, an image, a weight file."""


class ShapeError(SymcnnError):
    """Layers that do not fit together (a kernel larger than its input, ...)."""


class SpecError(SymcnnError):
    """A spec or weight file that is not what symcnn expects."""


class DataError(SymcnnError):
    """An image or a target that does not fit the network."""


class WeightsError(SymcnnError):
    """Weights that name no parameter, or parameters left without a value."""


class NotNumericError(SymcnnError):
    """A network with a generic symbolic activation asked for numbers."""


CODE_MARKS = ("(", ")", "__", ";", "import", "lambda", "eval", "exec")


def did_you_mean(word: str, choices) -> str:
    """ " (did you mean 'relu'?)" for a near miss, "" otherwise; and a plain statement
    when the word looks like code, since nothing a user writes is ever run."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=5)
    close = [choice for choice in close if plausible(str(word), choice)]
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    if isinstance(word, str) and any(mark in word for mark in CODE_MARKS):
        hint += " (spec values are names, never code: nothing was run)"
    return hint


INDEXED = re.compile(r"([A-Za-z]+)_\{?([0-9,]+)\}?")


def plausible(word: str, choice: str) -> bool:
    """Whether `choice` is a sensible correction of `word`. For indexed names
    (w_1, w_{11,2}) difflib's ratio says w_1 is near w_2,21, which is no help: the
    letters must agree and the indices either extend one another by a group (w_3:
    w_3,0) or, of equal length, differ in one character (w_11,5: w_11,1)."""
    a, b = INDEXED.fullmatch(word), INDEXED.fullmatch(choice)
    if a is None or b is None:
        return True
    if a[1] != b[1]:
        return False
    x, y = a[2], b[2]
    if x.startswith(y + ",") or y.startswith(x + ","):
        return True
    return len(x) == len(y) and sum(p != q for p, q in zip(x, y)) == 1
