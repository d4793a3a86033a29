"""The user's text on the page (titles, file and sample names) made visible as it is:
control characters and the bidirectional overrides and isolates (U+202E turns
"txt.exe" into "exe.txt" on screen) are written as [U+202E], so nothing given is
lost and nothing reorders or hides what follows. HTML escaping is page.py's."""

from __future__ import annotations

import unicodedata

#: Unicode's bidirectional formatting characters (UAX #9): marks, embeddings,
#: overrides and isolates.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def visible(text: str) -> str:
    """text with every control character (Cc), bidi control and line or paragraph
    separator written as [U+XXXX]; tabs and line breaks as spaces."""
    out = []
    for char in text:
        if char in "\t\n\r":
            out.append(" ")
        elif char in BIDI_CONTROLS or unicodedata.category(char) in ("Cc", "Zl", "Zp"):
            out.append(f"[U+{ord(char):04X}]")
        else:
            out.append(char)
    return "".join(out)
