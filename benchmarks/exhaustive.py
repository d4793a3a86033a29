"""The exact exhaustive engine (prove/exhaustive.py) on every binary image, one run.

    exhaustive_4x4_s   the count-"11" detector on 4x4: all 2^16 = 65,536 images,
                       exact (goal <= 1 s; the SymPy-per-image check took 15 s)
    exhaustive_5x5_s   derivations/contains11_5x5.toml, the "contains 1/1" detector:
                       all 2^25 = 33,554,432 images (goal <= 60 s on 2 cores)

Each with its image count, verdict (every image right: "proven") and engine ("c":
the compiled check in threads, used above 2^20 images; "numpy": blocks in processes).
Times include building the integer plan and compiling (or the compiler cache).
--numpy adds exhaustive_5x5_numpy_s, the same 2^25 images in NumPy (about a minute).

    python benchmarks/exhaustive.py [--json] [--no-5x5] [--numpy]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import sympy as sp

import symcnn as sc
from symcnn.files.spec import read_spec
from symcnn.files.weights import read_weight_file
from symcnn.numeric.exhaustive_c import compiled_check
from symcnn.prove.verify import exhaustive_check

ROOT = Path(__file__).resolve().parent.parent
SPEC_5X5 = ROOT / "derivations" / "contains11_5x5.toml"


def count11_4x4():
    """Slide L4's solution on 4x4: a_ij = f(p_ij + p_i,j+1 - 1), F = sum of a_ij,
    the number of "11" fragments (one filter with bias, then a dense sum)."""
    network = sc.Network(
        sc.Input(height=4, width=4),
        sc.Conv2D(1, (1, 2), bias=True, activation="relu", name="a"),
        sc.Dense(1),
    )
    weights = [sp.Integer(1), sp.Integer(1), sp.Integer(-1)]
    weights += [sp.Integer(1)] * 12 + [sp.Integer(0)]
    return network, weights, sc.count_pattern("11")


def timed(network, weights, target, *, numpy_only: bool = False) -> dict:
    """As `check --exhaustive` runs it: compiled C in threads where it applies (and a
    compiler is found), else NumPy; numpy_only=True times the NumPy engine."""
    trace = sc.build_trace(network)
    used = []

    def compiled(*args):
        found = None if numpy_only else compiled_check(*args)
        used.append("c" if found is not None else "numpy")
        return found

    began = time.perf_counter()
    result = exhaustive_check(trace, weights, target, compiled=compiled)
    seconds = time.perf_counter() - began
    verdict = "proven" if result.is_complete and not result.wrong_count else "refuted"
    return {
        "seconds": seconds,
        "images": result.checked,
        "wrong": result.wrong_count,
        "verdict": verdict,
        "engine": used[0] if used else "numpy",
    }


def contains11_5x5():
    spec = read_spec(SPEC_5X5)
    weights_path = SPEC_5X5.with_name("contains11_5x5-weights.toml")
    weights = read_weight_file(weights_path).resolve(spec.network, None)
    return spec.network, weights, spec.target


def measure(*, five: bool = True, numpy_too: bool = False) -> dict:
    """The keys benchmarks/run.py --json adds (numpy_too: also the 5x5 in NumPy)."""
    four = timed(*count11_4x4())
    results = {"exhaustive_4x4_s": four.pop("seconds"), "exhaustive_4x4": four}
    if five:
        big = timed(*contains11_5x5())
        results["exhaustive_5x5_s"] = big.pop("seconds")
        results["exhaustive_5x5"] = big
    if five and numpy_too:
        big = timed(*contains11_5x5(), numpy_only=True)
        results["exhaustive_5x5_numpy_s"] = big.pop("seconds")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-5x5", action="store_true")
    parser.add_argument("--numpy", action="store_true", help="also 5x5 in NumPy")
    args = parser.parse_args()
    results = measure(five=not args.no_5x5, numpy_too=args.numpy)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        for key, value in results.items():
            print(key, value)


if __name__ == "__main__":
    main()
