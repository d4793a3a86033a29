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


def cmd_explore(args) -> int:
    check_output(args.output, force=args.force)  # before any work
    spec = read_spec(args.spec, max_terms=args.max_terms)
    path = args.weights or default_weight_file(args.spec)
    if path:
        weights = load_weights(spec, path, args.missing)
        start = f"weights from {path}"
    else:
        if not 0 <= args.seed < 2**63:
            raise SymcnnError(f"--seed {args.seed} is not a whole number 0 to 2^63-1")
        weights = initial_weights(spec.network, args.seed)
        start = f"random weights (seed {args.seed})"
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
