"""User text (titles, file names, comments) as LaTeX text that prints it literally."""

from __future__ import annotations

#: Characters that would be LaTeX syntax in text mode, each written as itself. `<`,
#: `>` and `|` are not syntax but print as other glyphs in LaTeX's default font.
TEXT_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "^": r"\textasciicircum{}",
    "_": r"\_",
    "%": r"\%",
    "~": r"\textasciitilde{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}
#: Letters beyond ASCII that pdflatex's default font (OT1, utf8 input) typesets,
#: measured one by one on TeX Live 2022 in U+00A0-U+017F plus common punctuation;
#: any other character stops pdflatex ("not set up for use with LaTeX") and is
#: written as `?`.
TYPESET_NON_ASCII = frozenset(
    "\u00a0¡¢£¤¥¦§¨©ª¬\u00ad®¯°±²³´µ¶·¸¹º¼½¾¿ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖ×ØÙÚÛÜÝß"
    "àáâãäåæçèéêëìíîïñòóôõö÷øùúûüýÿĀāĂăĆćĈĉĊċČčĎďĒēĔĕĖėĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭİı"
    "ĲĳĴĵĶķĹĺĻļĽľŁłŃńŅņŇňŌōŎŏŐőŒœŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŴŵŶŷŸŹźŻżŽž"
    "–—‘’“”…€"
)


def escape_text(text: str) -> str:
    """User text (a title, a file name) as LaTeX text that prints it literally: every
    special character escaped, so no command of the user's can run (`\\input` prints
    as a backslash and letters; `^^5c` as carets), whitespace and line breaks as one
    space (a blank line would end a heading's argument), control characters dropped,
    characters pdflatex cannot typeset as `?`, straight double quotes as TeX's
    opening and closing quotes (``count 11'')."""
    pieces = []
    for char in " ".join(str(text).split()):
        if char == '"':  # "count 11" as ``count 11'', not two closing quotes
            opening = not pieces or pieces[-1][-1:] in " ([{-"
            pieces.append("``" if opening else "''")
        elif char in TEXT_ESCAPES:
            pieces.append(TEXT_ESCAPES[char])
        elif " " <= char <= "~" or char in TYPESET_NON_ASCII:
            pieces.append(char)
        elif char.isprintable():
            pieces.append("?")
    return "".join(pieces)
