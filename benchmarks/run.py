"""symcnn against PyTorch 2.13 (CPU) in one run; one JSON object with --json.

    count11_step_speedup_vs_torch   one GD step on the count-11 net (goal >= 4)
    l8_derive_compile_s             trace + reverse mode + lambdify of the L8 net
    l8_batch256_lossgrad_ratio_vs_torch  symcnn time / PyTorch time, 256 images
                                    (numpy backend; _llvm: the symengine backend)
    grad_over_forward               L8: loss+gradient time / forward time (symcnn)

PyTorch runs with one thread and with its default threads; both are reported.

    python benchmarks/run.py [--json]
"""

from __future__ import annotations

import argparse
import json
import time
import timeit
from pathlib import Path

import numpy as np
import torch

import symcnn as sc
from count11_step import symcnn_step, torch_step  # the same step, one definition

ROOT = Path(__file__).resolve().parent.parent
DERIVATIONS = ROOT / "derivations"


def best(function, number: int, repeat: int = 5) -> float:
    return min(timeit.repeat(function, number=number, repeat=repeat)) / number


def count11_step() -> dict:
    spec = sc.read_spec(DERIVATIONS / "count11.toml")
    ours, _ = symcnn_step(spec)
    theirs = torch_step(spec)
    return {"symcnn_us": best(ours, 2000) * 1e6, "torch_us": best(theirs, 300) * 1e6}


def l8() -> dict:
    network = sc.read_spec(DERIVATIONS / "l8_weight_count.toml").network
    start = time.perf_counter()
    trace = sc.build_trace(network)
    rng = np.random.default_rng(0)
    images = rng.integers(0, 2, (256, 3, 10, 10)).astype(float)
    data = sc.Dataset.from_rows([(image.tolist(), 0.5) for image in images])
    objective = sc.compile_objective(trace, data, backend="numpy")
    forward = sc.compile_forward(trace)
    compile_s = time.perf_counter() - start
    theta = sc.initial_weights(network, 0)
    start = time.perf_counter()
    llvm = sc.compile_objective(trace, data, backend="llvm")
    llvm_compile_s = time.perf_counter() - start
    llvm_lossgrad = best(lambda: llvm(theta), 10)
    lossgrad = best(lambda: objective(theta), 5)
    forward_s = best(lambda: forward(theta, images), 5)
    x = torch.tensor(images)
    y = torch.full((256, 1), 0.5, dtype=torch.float64)
    model = torch.nn.Sequential(
        torch.nn.Conv2d(3, 4, 5, bias=False),
        torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(4, 2, 3, bias=False),
        torch.nn.Conv2d(2, 1, 1, bias=False),
        torch.nn.Flatten(),
    ).double()

    def theirs():
        model.zero_grad()
        ((model(x) - y) ** 2).sum().backward()

    return {
        "compile_s": compile_s,
        "lossgrad_s": lossgrad,
        "forward_s": forward_s,
        "llvm_compile_s": llvm_compile_s,
        "llvm_lossgrad_s": llvm_lossgrad,
        "torch_lossgrad_s": best(theirs, 20),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = {"torch_version": torch.__version__}
    for threads in (1, torch.get_num_threads()):
        torch.set_num_threads(threads)
        small = count11_step()
        big = l8()
        results[f"threads_{threads}"] = {
            "count11_step_speedup_vs_torch": small["torch_us"] / small["symcnn_us"],
            "count11_step_us": small,
            "l8_derive_compile_s": big["compile_s"],
            "l8_batch256_lossgrad_ratio_vs_torch": big["lossgrad_s"]
            / big["torch_lossgrad_s"],
            "l8_batch256_lossgrad_ratio_vs_torch_llvm": (
                big["llvm_lossgrad_s"] / big["torch_lossgrad_s"]
            ),
            "l8_llvm_compile_s": big["llvm_compile_s"],
            "grad_over_forward": big["lossgrad_s"] / big["forward_s"],
            "l8_times_s": big,
        }
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        for key, value in results.items():
            print(key, value)


if __name__ == "__main__":
    main()
