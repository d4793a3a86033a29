"""One-slip mutations of what `symcnn derive` prints, for verify's tests: each must be
judged wrong on the line altered and only there."""

import re


def mutations(printed: str, *, numbers: bool = False):
    """(line, altered text) for each equation line of `printed`: its first `+` made
    a `-`, its first pixel renamed; with `numbers`, the loss's value `= n` made
    `= n + 1` (the generic lines only otherwise: with the weights put in, a term may
    be 0 and f(-1) = f(0) for ReLU)."""
    rows = printed.splitlines()
    for number, row in enumerate(rows, start=1):
        if "&=" not in row or "where" in row or row.startswith("&"):
            continue
        rhs_at = row.index("&=")
        altered = []
        if numbers:
            value = re.search(r"= (\d+)\s*(\\\\)?$", row)
            if row.startswith("L(w)") and value:
                bumped = str(int(value.group(1)) + 1)
                altered.append(row[: value.start(1)] + bumped + row[value.end(1) :])
        else:
            plus = row.find(" + ", rhs_at)
            if plus > 0:
                altered.append(row[:plus] + " - " + row[plus + 3 :])
            pixel = re.search(r"p_\{(\d+)\}", row[rhs_at:])
            if pixel:
                other = "p_{12}" if pixel.group(1) != "12" else "p_{11}"
                start = rhs_at + pixel.start()
                altered.append(row[:start] + other + row[rhs_at + pixel.end() :])
        for text in altered:
            yield number, "\n".join(rows[: number - 1] + [text] + rows[number:])
