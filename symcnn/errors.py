"""The exceptions symcnn raises for bad input: each names where, what and a fix."""

from __future__ import annotations

import difflib


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
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    if isinstance(word, str) and any(mark in word for mark in CODE_MARKS):
        hint += " (spec values are names, never code: nothing was run)"
    return hint
