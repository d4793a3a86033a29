"""Reading a user's TOML file, with errors that name the file."""

from __future__ import annotations

import tomllib
from pathlib import Path

from .errors import SpecError


def read_toml(path: str | Path, what: str) -> dict:
    """The parsed document; a SpecError naming `what` ("spec file", "weight file") and
    the path when it is missing, unreadable or not TOML (with TOML's line number)."""
    label = f"{what} {str(path)!r}"
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SpecError(f"{label} does not exist") from None
    except (OSError, UnicodeDecodeError) as error:
        raise SpecError(f"{label} cannot be read: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise SpecError(f"{label} is not valid TOML: {error}") from None
