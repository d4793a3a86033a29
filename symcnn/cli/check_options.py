"""The options of `check --exhaustive`: how F is judged and how many images."""

from __future__ import annotations

from .options import positive_int


def add_exhaustive_options(checker) -> None:
    """check --exhaustive: how F is judged (exact by default) and how many images."""
    verdicts = checker.add_mutually_exclusive_group()
    verdicts.add_argument(
        "--tol",
        metavar="X",
        help="--exhaustive: right when |F - target| <= X (exact, X as written: 0.1 "
        "is 1/10), for learned weights",
    )
    verdicts.add_argument(
        "--threshold",
        metavar="T",
        help="--exhaustive: a binary output read as 1 when F >= T, else 0",
    )
    verdicts.add_argument(
        "--argmax",
        action="store_true",
        help="--exhaustive: the class is the largest output (the target a class "
        "index or one-hot); a tie for the largest is wrong",
    )
    checker.add_argument(
        "--max-images",
        type=positive_int,
        metavar="N",
        help="--exhaustive: refuse when the input has more than N images (default: "
        "check all up to 2^30, sample above)",
    )
    checker.add_argument(
        "--decimals",
        type=positive_int,
        metavar="N",
        help="outputs of --exhaustive as decimals of N significant digits (default: "
        "exact when short, else 7 digits)",
    )
