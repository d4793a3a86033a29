"""Reading a user's file: bounded, regular files only, with errors that name the file.

Every user file (spec, weights, .tex) is read by read_text. A path is data from the
user: it may name /dev/zero (endless, and its `st_size` is 0), a FIFO (opening it
for reading blocks until a writer comes) or a directory. So the path is stat'ed
before it is opened, opened with O_NONBLOCK (a FIFO that slipped in between does not
block) and fstat'ed again, and at most MAX_FILE_BYTES + 1 bytes are ever read.

A parsed TOML document is then walked once, without recursion, for the limits that
the code after it relies on: nesting depth and the size of integers.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from pathlib import Path

from ..errors import SpecError
from ..limits import MAX_FILE_BYTES as MAX_BYTES
from ..limits import MAX_NESTING, MAX_NUMBER_DIGITS
from ..model.exact import LARGEST, digit_count, too_long

#: Read only; never wait for a FIFO's writer; not inherited by compilers we start
#: (POSIX flags, absent on Windows, where a FIFO cannot be a path anyway).
OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)

#: What stat says a path is, for the message that refuses it.
FILE_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def read_text(path: str | Path, what: str, limit: int | None = None) -> str:
    """The file's text; a SpecError naming `what` and the path when it is missing,
    not a regular file, too large or unreadable. Never blocks, never reads more than
    `limit` (MAX_FILE_BYTES, more for a weight file of a big net) + 1 bytes."""
    limit = MAX_BYTES if limit is None else limit
    label = f"{what} {str(path)!r}"
    try:
        refuse_unless_regular(os.stat(path).st_mode, label, what)
        handle = os.open(path, OPEN_FLAGS)
        with os.fdopen(handle, "rb") as stream:
            info = os.fstat(stream.fileno())
            refuse_unless_regular(info.st_mode, label, what)
            refuse_if_large(info.st_size, label, what, limit=limit)
            data = stream.read(limit + 1)
        # st_size said less
        refuse_if_large(len(data), label, what, over=True, limit=limit)
        return decode(data, label)
    except SpecError:
        raise
    except FileNotFoundError:
        raise SpecError(f"{label} does not exist") from None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise SpecError(f"{label} cannot be read: {error}") from None


def decode(data: bytes, label: str) -> str:
    """The UTF-8 text in `data` (a BOM, which Windows editors write, is not text); a
    SpecError naming the first byte that is not UTF-8, its line and column."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        start = error.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
        line = data.count(b"\n", 0, start) + 1
        column = start - (data.rfind(b"\n", 0, start) + 1) + 1
        raise SpecError(
            f"{label}: line {line}, column {column}: byte 0x{data[start]:02x} (offset "
            f"{start}) is not UTF-8 text; save the file as UTF-8 (iconv -f latin1 -t "
            "utf-8 old.toml > new.toml converts a Latin-1 file)"
        ) from None


def refuse_unless_regular(mode: int, label: str, what: str) -> None:
    if stat.S_ISREG(mode):
        return
    kind = next((name for test, name in FILE_KINDS if test(mode)), "not a file")
    raise SpecError(
        f"{label} cannot be read: it is {kind}, not a regular file; give the path "
        f"of a {what} saved on disk"
    )


def refuse_if_large(
    size: int, label: str, what: str, *, over=False, limit: int | None = None
) -> None:
    """A SpecError for a file of `size` bytes (`over`: at least that) over `limit`."""
    limit = MAX_BYTES if limit is None else limit
    if size > limit:
        allowance = (
            ""
            if limit == MAX_BYTES
            else " + limits.WEIGHT_FILE_BYTES_PER_PARAMETER per parameter"
        )
        raise SpecError(
            f"{label} is {'over ' if over else ''}"
            f"{size_text(limit if over else size, 1)}; "
            f"{what}s are limited to {size_text(limit, int(limit != MAX_BYTES))} "
            f"(limits.MAX_FILE_BYTES{allowance})"
        )


def size_text(size: int, decimals: int) -> str:
    """10.0 MB (with `decimals`), or 1,000 bytes for sizes under 0.1 MB."""
    return f"{size / 1e6:.{decimals}f} MB" if size >= 100_000 else f"{size:,} bytes"


def parse(text: str, label: str) -> dict:
    """The TOML document in `text`; a SpecError with TOML's line number otherwise,
    and for nesting deeper than MAX_NESTING or integers of over MAX_NUMBER_DIGITS
    digits (see check_document)."""
    try:
        document = tomllib.loads(text, parse_float=read_float)
    except tomllib.TOMLDecodeError as error:
        raise SpecError(f"{label} is not valid TOML: {error}") from None
    except RecursionError:  # tomllib recurses once per level of nesting
        raise SpecError(too_deep(label, "", nesting_line(text))) from None
    except ValueError as error:  # Python's 4300-digit limit on int(), in tomllib
        place = long_number_line(text)
        if place is None:
            raise SpecError(f"{label} is not valid TOML: {error}") from None
        raise SpecError(too_many_digits(label, *place)) from None
    check_document(document, label, text)
    return document


def check_document(document: dict, label: str, text: str) -> None:
    """A SpecError naming the key and its line for a value nested deeper than
    MAX_NESTING or an integer of over MAX_NUMBER_DIGITS digits. Iterative: the
    value has not been checked yet, so nothing here may recurse on it."""
    pending: list[tuple[object, str, int]] = [(document, "", 0)]
    while pending:
        value, where, depth = pending.pop()
        if depth > MAX_NESTING:
            line = line_of_key(text, where) or nesting_line(text)
            raise SpecError(too_deep(label, key_name(where), line))
        if type(value) is Underflow:
            line = literal_line(text, value.text) or line_of_key(text, where)
            raise SpecError(too_small(label, line, key_name(where), value.text))
        if isinstance(value, int) and not isinstance(value, bool):
            if abs(value) >= LARGEST:
                shown = f"an integer of {digit_count(value)} digits"
                line = line_of_key(text, where)
                raise SpecError(too_many_digits(label, line, key_name(where), shown))
        elif isinstance(value, dict):
            pending.extend(
                (item, f"{where}.{key}" if where else str(key), depth + 1)
                for key, item in value.items()
            )
        elif isinstance(value, list):
            pending.extend(
                (item, f"{where}[{index}]", depth + 1)
                for index, item in enumerate(value)
            )


class Underflow(float):
    """A TOML float literal that is not zero but is too small for a float (1e-400
    reads as 0.0): kept with its text until check_document refuses it."""

    def __new__(cls, text: str):
        number = super().__new__(cls, 0.0)
        number.text = text
        return number


def read_float(text: str) -> float:
    """tomllib's float of a literal (its text as written, 1_0e-4_00), or an Underflow
    for a nonzero literal that reads as 0.0, which tomllib would turn into a silent 0
    (1e400 reads as inf and is refused where it is read, as not a number)."""
    number = float(text)
    mantissa = text.lower().partition("e")[0]
    if number == 0 and any(digit in mantissa for digit in "123456789"):
        return Underflow(text)
    return number


def literal_line(text: str, literal: str) -> int | None:
    """The line of the first `literal` in `text` standing alone (not inside a longer
    number), or None (written with underscores, which tomllib removed)."""
    found = re.search(r"(?<![\w.+-])%s(?![\w.])" % re.escape(literal), text)
    return None if found is None else text.count("\n", 0, found.start()) + 1


def too_small(label: str, line: int | None, where: str, literal: str) -> str:
    place = ", ".join(part for part in (where, f"line {line}" if line else "") if part)
    return (
        f"{label}: {place}: {literal}: the number is too small for float64 (under "
        "4.9e-324, TOML would read it as 0); write 0 if you mean it, or the exact "
        f"number in quotes ('{literal}')"
    )


def key_name(where: str) -> str:
    """A key's path as messages say it: the [[layers]] entries numbered from 1, as
    every message numbers layers ("layers[0].kernel" -> "layer 1.kernel")."""
    return re.sub(r"^layers\[(\d+)\]", lambda m: f"layer {int(m[1]) + 1}", where)


def too_deep(label: str, where: str, line: int | None) -> str:
    shown = where if len(where) <= 60 else where[:57] + "..."
    place = ", ".join(part for part in (shown, f"line {line}" if line else "") if part)
    return (
        f"{label}{': ' + place if place else ''}: arrays or tables nested more than "
        f"{MAX_NESTING} deep (limits.MAX_NESTING); an image is [channels][rows][cols] "
        "and a weight [filters][channels][rows][cols], so remove the extra brackets"
    )


def too_many_digits(label: str, line: int | None, where: str, shown: str) -> str:
    place = ", ".join(part for part in (where, f"line {line}" if line else "") if part)
    return f"{label}: {too_long(place, shown)}"


def long_number_line(text: str) -> tuple[int, str, str] | None:
    """(line, key, the number's first digits) of the first integer in `text` of over
    MAX_NUMBER_DIGITS digits, or None."""
    found = re.search(r"[0-9][0-9_]{%d,}" % MAX_NUMBER_DIGITS, text)
    if found is None:
        return None
    start = text.rfind("\n", 0, found.start()) + 1
    key = text[start : found.start()].split("=")[0].strip().strip("\"'")[:80]
    return (
        text.count("\n", 0, found.start()) + 1,
        f"`{key}`" if key else "a value",
        f"{found.group()[:20]}...",
    )


def nesting_line(text: str) -> int | None:
    """The first line where [ and { nest deeper than MAX_NESTING, outside strings
    and comments (a locator for the message, after tomllib gave up)."""
    depth, line, quote, index = 0, 1, "", 0
    while index < len(text):
        char = text[index]
        if char == "\n":
            line += 1
        if quote:
            if char == "\\" and quote == '"':
                index += 1
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "#":  # to the end of the line; its newline is counted next
            end = text.find("\n", index)
            index = (len(text) if end < 0 else end) - 1
        elif char in "[{":
            depth += 1
            if depth > MAX_NESTING:
                return line
        elif char in "]}":
            depth -= 1
        index += 1
    return None


def line_of_key(text: str, where: str) -> int | None:
    """The line of the table that holds `where` ("layers[1].kernel" -> the second
    [[layers]]; "data.samples[0]" -> [data]), when the file has that header."""
    match = re.match(r"(\w+)(\[\d+\])?", where)
    if match is None:
        return None
    headers = header_lines(text)
    name, index = match.groups()
    return headers.get(f"{name}{index}" if index else f"[{name}]")


def read_toml(path: str | Path, what: str, limit: int | None = None) -> dict:
    """The parsed document of a user's TOML file (see read_text and parse)."""
    return parse(read_text(path, what, limit), f"{what} {str(path)!r}")


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
