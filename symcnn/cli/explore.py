"""`symcnn explore SPEC -o page.html`: the explorer page of a spec (explore/page.py),
one self-contained HTML file that opens offline."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import SymcnnError
from ..explore.page import explorer_page
from ..files.spec import read_spec
from ..numeric.optimizers import DEFAULT_LR
from ..numeric.training import initial_weights
from ..typeset.document import spec_title
from .files import check_output, default_weight_file, load_weights, write_new_file


def check_options(args) -> None:
    """--weights and --seed exclude each other (the usage's `|`); a title has text."""
    if args.weights and args.seed is not None:
        raise SymcnnError(
            f"--weights {args.weights} and --seed {args.seed} both choose the starting "
            "weights; give one of them"
        )
    if args.seed is not None and not 0 <= args.seed < 2**63:
        raise SymcnnError(f"--seed {args.seed} is not a whole number 0 to 2^63-1")
    if args.title is not None and not args.title.strip():
        raise SymcnnError(
            f"--title {args.title!r} has no text; give a title, or leave --title out "
            "for the spec's (its first comment, else its file name)"
        )


def starting_weights(spec, args) -> tuple[list, str]:
    """(weights, what they are): --weights FILE, --seed S (random, even when a
    weight file is beside the spec: the user asked for it), else
    <name>-weights.toml beside the spec, else random weights of seed 0."""
    beside = default_weight_file(args.spec)
    path = args.weights or (beside if args.seed is None else None)
    if path:
        return load_weights(spec, path, args.missing), f"weights from {path}"
    seed = 0 if args.seed is None else args.seed
    start = f"random weights (seed {seed}"
    if beside:
        start += f"; {beside} is not used"
    return initial_weights(spec.network, seed), start + ")"


def cmd_explore(args) -> int:
    check_output(args.output, force=args.force)  # before any work
    check_options(args)
    spec = read_spec(args.spec, max_terms=args.max_terms)
    weights, start = starting_weights(spec, args)
    lr = spec.train.get("lr", DEFAULT_LR["gd"])
    title = args.title if args.title is not None else spec_title(Path(args.spec))
    page = explorer_page(
        spec.network,
        spec.data,
        np.asarray(weights).flat,
        target=spec.target,
        loss=spec.loss,
        title=title,
        lr=float(lr),
        source=Path(args.spec).name,
        alphabet=spec.alphabet,
    )
    write_new_file(args.output, page, force=args.force)
    size = len(page.encode("utf-8"))
    print(f"Wrote {args.output} ({size / 1000:.0f} kB, starting from {start})")
    return 0
