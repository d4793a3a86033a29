"""How often training solves count-11 (slide L3) from a random start: 20 seeds.

For each optimizer with its default learning rate, counts the seeds whose first
random start reaches loss < 1e-8, and those reached with the default restarts
(the default `symcnn train` command). Prints one line per optimizer.

    python benchmarks/count11_seeds.py
"""

from __future__ import annotations

import time
from pathlib import Path

import symcnn as sc

SPEC = Path(__file__).resolve().parent.parent / "derivations" / "count11.toml"
SEEDS = range(20)


def main() -> None:
    spec = sc.read_spec(SPEC)
    trace = sc.build_trace(spec.network)
    print(f"count-11: {len(SEEDS)} seeds, loss < 1e-8 counts as solved")
    for optimizer in ("gd", "momentum", "adam"):
        start = time.perf_counter()
        first = with_restarts = 0
        for seed in SEEDS:
            single = sc.train_trace(
                trace, spec.data, optimizer=optimizer, seed=seed, restarts=1
            )
            first += single.final_loss < 1e-8
            full = sc.train_trace(trace, spec.data, optimizer=optimizer, seed=seed)
            with_restarts += full.final_loss < 1e-8
        seconds = time.perf_counter() - start
        print(
            f"  {optimizer:9s} first start {first:2d}/{len(SEEDS)}, with default "
            f"restarts {with_restarts:2d}/{len(SEEDS)}  ({seconds:.1f} s)"
        )


if __name__ == "__main__":
    main()
