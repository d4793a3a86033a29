"""Reading a user's TOML file, with errors that name the file."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from ..errors import SpecError
from ..limits import MAX_FILE_BYTES as MAX_BYTES


def read_text(path: str | Path, what: str) -> str:
    """The file's text; a SpecError naming `what` and the path when it is missing,
    too large or unreadable."""
    label = f"{what} {str(path)!r}"
    try:
        size = Path(path).stat().st_size
        if size > MAX_BYTES:
            raise SpecError(
                f"{label} is {size / 1e6:.1f} MB; {what}s are limited to "
                f"{MAX_BYTES / 1e6:.0f} MB"
            )
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SpecError(f"{label} does not exist") from None
    except (OSError, UnicodeDecodeError) as error:
        raise SpecError(f"{label} cannot be read: {error}") from None


def parse(text: str, label: str) -> dict:
    """The TOML document in `text`; a SpecError with TOML's line number otherwise."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SpecError(f"{label} is not valid TOML: {error}") from None


def read_toml(path: str | Path, what: str) -> dict:
    """The parsed document of a user's TOML file (see read_text and parse)."""
    return parse(read_text(path, what), f"{what} {str(path)!r}")


def header_lines(text: str) -> dict[str, int]:
    """1-based line numbers of table headers: "[input]" -> 1, and "layers[0]",
    "layers[1]", ... for each [[layers]] in order."""
    lines: dict[str, int] = {}
    arrays: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        array = re.match(r"\s*\[\[\s*([A-Za-z_]+)\s*\]\]", line)
        table = re.match(r"\s*\[\s*([A-Za-z_]+)\s*\]", line)
        if array:
            name = array.group(1)
            lines[f"{name}[{arrays.get(name, 0)}]"] = number
            arrays[name] = arrays.get(name, 0) + 1
        elif table:
            lines.setdefault(f"[{table.group(1)}]", number)
    return lines
