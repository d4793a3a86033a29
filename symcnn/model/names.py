"""Printed names of pixels, parameters and named values: the one place deciding them.

A name is a letter and groups of 1-based indices. Within a group the indices are
concatenated while every index is below 10 (``p_{11}``) and comma separated otherwise
(``p_{10,1}``); groups are comma separated (``w_{11,1}``). Three spellings:

- ``latex``: ``w_{11,1}``, what slides show;
- ``text``:  ``w_11,1``, what a terminal shows;
- ``ascii``: ``w_1_1__1``, a Python identifier for SymPy symbols and ``lambdify``
  (LaTeX-style symbol names make ``lambdify`` rebuild every expression: NUMERICS.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import SymcnnError

LETTER = re.compile(r"[A-Za-z][A-Za-z]*\Z")


def check_letter(letter: object, where: str) -> str:
    """The letter itself, or a SymcnnError naming `where` if it is not ASCII letters."""
    if not isinstance(letter, str) or not LETTER.match(letter):
        why = why_not_letters(letter) or "; use for example 'w', 'W' or 'v'"
        raise SymcnnError(
            f"{where}: letter {letter!r} is not a name made of ASCII letters{why}"
        )
    return letter


def why_not_letters(letter: object) -> str:
    """What in `letter` is not a letter: an underscore or digits would print as
    the name's indices (hidden_layer as hidden_{layer})."""
    if not isinstance(letter, str):
        return ""
    if "_" in letter:
        joined = letter.replace("_", "")
        return (
            f": the underscore is the problem (LaTeX reads it as a subscript); "
            f"write {joined!r}"
        )
    if any(char.isdigit() for char in letter):
        return ": digits are not letters (symcnn writes the indices); use letters only"
    return ""


def format_group(group: tuple[int, ...]) -> str:
    """(1, 1) -> '11'; (10, 1) -> '10,1'."""
    if all(index < 10 for index in group):
        return "".join(str(index) for index in group)
    return ",".join(str(index) for index in group)


@dataclass(frozen=True)
class Name:
    """letter_{group,group,...}, 1-based indices; no groups prints the bare letter."""

    letter: str
    groups: tuple[tuple[int, ...], ...] = ()
    layer: int | None = None  # the superscript (l) of w^{(l)}, when letters would clash

    @property
    def index_text(self) -> str:
        return ",".join(format_group(group) for group in self.groups)

    @property
    def latex(self) -> str:
        head = (
            self.letter if self.layer is None else f"{self.letter}^{{({self.layer})}}"
        )
        return f"{head}_{{{self.index_text}}}" if self.groups else head

    @property
    def text(self) -> str:
        head = self.letter if self.layer is None else f"{self.letter}^({self.layer})"
        return f"{head}_{self.index_text}" if self.groups else head

    @property
    def ascii(self) -> str:
        head = self.letter if self.layer is None else f"{self.letter}_L{self.layer}"
        if not self.groups:
            return head
        groups = "__".join("_".join(str(i) for i in group) for group in self.groups)
        return f"{head}_{groups}"


def make_name(letter: str, *groups: tuple[int, ...], layer: int | None = None) -> Name:
    """Name with empty groups left out (a layer with one filter has no filter index)."""
    return Name(letter, tuple(group for group in groups if group), layer)


def normalize(user_name: str) -> str:
    """A user's name in one spelling: 'w_{11, 1}' and 'w_11,1' -> 'w_11,1'."""
    return re.sub(r"[{}\s]", "", user_name)
