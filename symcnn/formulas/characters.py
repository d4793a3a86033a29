"""The parse error of formulas, and characters a formula must not hold unnoticed
(attack report C17)."""

from __future__ import annotations

import unicodedata

from ..errors import SymcnnError


class ParseError(SymcnnError):
    """Formula text that is not understood, with where."""


def odd_characters(text: str) -> None:
    """A ParseError naming an invisible character (a zero-width space) or a lookalike
    of an ASCII one (fullwidth digits): inside p_{1 2} or w_{２} it would read as a
    name the network seems to lack, with nothing visibly wrong."""
    for position, char in enumerate(text):
        if char.isascii():
            continue
        lookalike = unicodedata.normalize("NFKC", char)
        invisible = unicodedata.category(char) == "Cf"
        if invisible or (lookalike != char and lookalike.isascii()):
            name = unicodedata.name(char, "unnamed")
            what = "an invisible character" if invisible else (
                f"a lookalike of {lookalike!r}")  # fmt: skip
            raise ParseError(
                f"character {position + 1} is U+{ord(char):04X} ({name}), {what}; "
                "retype it (or delete it)"
            )
