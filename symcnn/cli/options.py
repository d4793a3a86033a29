"""The option groups several subcommands share: the size limit, LaTeX layout,
weights, and training."""

from __future__ import annotations

import argparse

from ..limits import ELIDE_ABOVE_TERMS, ELIDED_SUM_TERMS
from ..model.shapes import DEFAULT_MAX_TERMS
from ..numeric.backend_names import BACKENDS
from ..numeric.optimizers import OPTIMIZERS
from ..typeset.widths import FLOAT_DECIMALS


def add_size_limit(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--max-terms",
        type=positive_int,
        default=DEFAULT_MAX_TERMS,
        metavar="N",
        help=f"refuse networks with more than N terms (default {DEFAULT_MAX_TERMS:,})",
    )


def positive_int(text: str) -> int:
    """A whole number >= 1 in ASCII digits (int() would take '١٠' and '-5')."""
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number >= 1")
    return int(text)


def add_latex_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--width",
        type=int,
        metavar="N",
        help="break formulas wider than N at + and -: N digits as printed in "
        "LaTeX (the width of a 0, glyph by glyph), N characters in text",
    )
    elision = parser.add_mutually_exclusive_group()
    elision.add_argument(
        "--elide",
        type=int,
        metavar="N",
        help="write sums of more than N terms as their first N - 1, ... (\\dots in "
        f"LaTeX) and the last (default: N = {ELIDED_SUM_TERMS} for networks of more "
        f"than {ELIDE_ABOVE_TERMS:,} terms, else every term)",
    )
    elision.add_argument(
        "--no-elide",
        action="store_true",
        help=f"write every term of every sum, even over {ELIDE_ABOVE_TERMS:,} terms",
    )
    parser.add_argument("--cdot", action="store_true", help="products with \\cdot")
    parser.add_argument(
        "--decimals",
        type=int,
        metavar="N",
        help="numbers as decimals of N significant digits, not exact fractions "
        f"(default for weights from a .pt file: {FLOAT_DECIMALS})",
    )


def add_weight_options(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument(
        "--weights",
        metavar="FILE",
        required=required,
        help="a weight file: TOML keyed by printed names, or a PyTorch state_dict "
        "(.pt, .pth) in to_torch's keys",
    )
    parser.add_argument(
        "--missing",
        choices=("error", "zero"),
        default=None,
        help="'zero': parameters the file does not list are 0",
    )


def add_train_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--optimizer", choices=tuple(OPTIMIZERS))
    parser.add_argument("--lr", type=float, help="learning rate")
    parser.add_argument("--steps", type=int, help="most updates per attempt")
    parser.add_argument("--seed", type=int, help="random seed of the initial weights")
    parser.add_argument(
        "--restarts", type=int, help="random starts at most (default 4)"
    )
    parser.add_argument("--tol", type=float, help="stop when the loss is this low")
    parser.add_argument(
        "--batch-size", type=int, help="mini-batches of this many samples"
    )
    parser.add_argument(
        "--save",
        metavar="FILE",
        help="write the learned weights here (.toml, or .pt: a PyTorch state_dict)",
    )
    parser.add_argument(
        "--plot", metavar="FILE", help="write the loss curve (PNG, SVG, PDF)"
    )
    parser.add_argument(
        "--compare", metavar="FILE", help="weights to compare the learned function with"
    )
    parser.add_argument(
        "--force", action="store_true", help="overwrite the --save and --plot files"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument(
        "--backend",
        choices=BACKENDS,
        help="how the loss is computed: python floats, numpy, c (vectorized generated "
        "C, needs a C compiler), c-scalar (C, one sample at a time), or llvm "
        "(symcnn[fast]); auto picks python when terms x samples is at most 1,000 "
        "(count-11), else c when a compiler is found, else numpy",
    )


# The subcommands in the order `symcnn --help` lists them.
