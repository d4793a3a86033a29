"""The options of `verify` besides what it reads: which lines, letter case, the
annotated copy, and the digits derive printed."""

from __future__ import annotations


def add_verify_options(verify) -> None:
    """verify --lines, --same-letter-case, --annotate, --force, --decimals."""
    verify.add_argument(
        "--lines",
        metavar="A-B",
        help="only the formulas that start on lines A to B of FILE",
    )
    verify.add_argument(
        "--same-letter-case",
        action="store_true",
        help="W and w are the same letter (as the lecture mixes them)",
    )
    verify.add_argument(
        "--annotate",
        metavar="OUT",
        help="write FILE with the wrong terms underlined and notes",
    )
    verify.add_argument("--force", action="store_true", help="overwrite OUT")
    verify.add_argument(
        "--decimals",
        type=int,
        metavar="N",
        help="the formulas were printed by derive --decimals N: a number written with "
        "at most N significant digits is right when it is the exact one rounded to N "
        "digits; without it every number must be exact, but for weights from a .pt "
        "file (derive prints them rounded: as derive --decimals 7)",
    )
