"""LeNet-5 (1x28x28, 6@5x5, pool, 16@5x5, pool, 120, 84, 10; 44,426 parameters,
286,904 trace terms) with symcnn's vectorized C backend against PyTorch 2.13 (CPU,
float64): derive + compile in a fresh process with an empty compiler cache, then
the loss and gradient of 64 images, one thread each and with PyTorch's default
threads (symcnn as many), timed in turns so that both see the same machine load.

    lenet5_lossgrad_ratio_vs_torch   symcnn / PyTorch per loss+gradient (goal <= 1)
    lenet5_derive_compile_s          trace (no rows built) + tables (c_layers.py)
                                     + C source + compiler (goal <= 45), with
                                     lenet5_compiler_peak_mb (the C compiler's
                                     peak memory, goal <= 1 GB) and lenet5_peak_mb
                                     (the Python process's)

    python benchmarks/lenet5.py [--json]
"""

from __future__ import annotations

import argparse
import json

import scaling

LENET5 = scaling.NETWORKS.index((28, 6, 16, 120, 84))


def run(limit_s: float = 900) -> dict:
    """The keys above, and the whole measurement under "lenet5"."""
    (row,) = scaling.table(limit_s, only=[LENET5])
    if "stopped" in row:
        return {"lenet5": row}
    ratios = {"threads_1": row["lossgrad_ms"] / row["torch_lossgrad_ms"]}
    for key in row:  # lossgrad_ms_N_threads: PyTorch's default N threads
        if key.startswith("lossgrad_ms_") and key.endswith("_threads"):
            count = key.removeprefix("lossgrad_ms_").removesuffix("_threads")
            ratios[f"threads_{count}"] = row[key] / row["torch_" + key]
    return {
        "lenet5_lossgrad_ratio_vs_torch": ratios,
        "lenet5_derive_compile_s": row["derive_compile_s"],
        "lenet5_compiler_peak_mb": row["compiler_peak_mb"],
        "lenet5_peak_mb": row["peak_mb"],
        "lenet5": row,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = run()
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        for key, value in results.items():
            print(key, value)


if __name__ == "__main__":
    main()
