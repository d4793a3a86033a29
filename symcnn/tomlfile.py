"""Reading a user's TOML file, with errors that name the file."""

from __future__ import annotations

import tomllib
from pathlib import Path

from .errors import SpecError

#: Larger files are refused before reading: a spec or weight file of the lecture's
#: kind is a few kilobytes (the L8 weights as arrays are about 20 kB).
MAX_BYTES = 1_000_000


def read_toml(path: str | Path, what: str) -> dict:
    """The parsed document; a SpecError naming `what` ("spec file", "weight file") and
    the path when it is missing, too large, unreadable or not TOML (with TOML's line
    number)."""
    label = f"{what} {str(path)!r}"
    try:
        size = Path(path).stat().st_size
        if size > MAX_BYTES:
            raise SpecError(
                f"{label} is {size / 1e6:.1f} MB; {what}s are limited to "
                f"{MAX_BYTES / 1e6:.0f} MB"
            )
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SpecError(f"{label} does not exist") from None
    except (OSError, UnicodeDecodeError) as error:
        raise SpecError(f"{label} cannot be read: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise SpecError(f"{label} is not valid TOML: {error}") from None
