"""symcnn against PyTorch 2.13 (CPU) in one run; one JSON object with --json.

    count11_step_speedup_vs_torch        one GD step on the count-11 net (goal >= 4)
    l8_derive_compile_s                  trace + reverse mode + compile of the L8 net's
                                         loss, gradient and forward (auto backend: C;
                                         goal <= 10); _numpy, _llvm: those backends
    l8_batch256_lossgrad_ratio_vs_torch  symcnn time / PyTorch time, 256 images
                                         (goal <= 3); _numpy, _llvm: those backends
    grad_over_forward                    L8: loss+gradient / forward time (goal <= 5)
    digits_epoch_ratio_vs_torch          benchmarks/digits.py: an epoch of the digits
                                         CNN, symcnn / PyTorch (goal <= 2), with both
                                         test accuracies (goal: within 1 point)
    cli_version_s, cli_train_count11_s   benchmarks/cli_speed.py: the `symcnn` command,
                                         best of 7 runs (goals <= 0.2 and <= 1.0 s);
                                         cli_summary_s: `symcnn summary` (no SymPy)
    lenet5_lossgrad_ratio_vs_torch       benchmarks/lenet5.py: LeNet-5's loss+gradient
                                         on 64 images, symcnn / PyTorch (goal <= 1),
                                         in threads_1 and threads_N
    lenet5_derive_compile_s              LeNet-5's "c" program: tables from the
                                         layers, C source and compiler (goal <= 45),
                                         lenet5_compiler_peak_mb
                                         the compiler's peak memory (goal <= 1000)
    exhaustive_4x4_s, exhaustive_5x5_s   benchmarks/exhaustive.py: the exact engine on
                                         all 2^16 images of the 4x4 count-11 net (goal
                                         <= 1) and all 2^25 of contains11_5x5 (goal
                                         <= 60), with image counts and verdicts
    scaling                              benchmarks/scaling.py: derive + compile seconds
                                         and peak memory up to LeNet-5 (--no-scaling
                                         skips these minutes)

PyTorch runs with one thread and with its default threads (threads_1, threads_N), and
symcnn's C backend with as many threads as PyTorch (SYMCNN_THREADS); the NumPy, llvm
and count-11 (plain Python) figures are single-threaded. Every symcnn/PyTorch pair is
timed in turns (in_turns; lenet5.py likewise), once per thread setting. Compiled
programs go to a fresh cache, so compile times include the C compiler.

    python benchmarks/run.py [--json] [--no-scaling]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
import timeit
from pathlib import Path

import cli_speed
import digits
import exhaustive
import lenet5
import numpy as np
import scaling
import torch
from count11_step import symcnn_step, torch_step  # the same step, one definition

import symcnn as sc

ROOT = Path(__file__).resolve().parent.parent
DERIVATIONS = ROOT / "derivations"
L8_IMAGES = 256
DEFAULT_THREADS = torch.get_num_threads()


def best(function, number: int, repeat: int = 5) -> float:
    return min(timeit.repeat(function, number=number, repeat=repeat)) / number


def in_turns(functions: dict, number: int, repeat: int = 7) -> dict:
    """Seconds per call of each function: the best of `repeat` rounds, each round
    timing every function once (`number` calls) in turn, so that all of them see
    the same machine load (timing one side, then the other, let a load change
    flatter either)."""
    times: dict = {name: [] for name in functions}
    for _ in range(repeat):
        for name, function in functions.items():
            times[name].append(timeit.timeit(function, number=number) / number)
    return {name: min(values) for name, values in times.items()}


def l8_symcnn() -> tuple[dict, dict]:
    """Per backend: seconds to derive and compile and the forward time; and the
    loss+gradient callables, timed against PyTorch's in turns (main)."""
    network = sc.read_spec(DERIVATIONS / "l8_weight_count.toml").network
    rng = np.random.default_rng(0)
    images = rng.integers(0, 2, (L8_IMAGES, 3, 10, 10)).astype(float)
    data = sc.Dataset.from_rows([(image.tolist(), 0.5) for image in images])
    theta = sc.initial_weights(network, 0)
    results, calls = {}, {}
    for backend in ("auto", "numpy", "llvm"):
        start = time.perf_counter()
        trace = sc.build_trace(network)
        objective = sc.compile_objective(trace, data, backend=backend)
        forward = None
        if backend != "llvm":  # llvm compiles the objective only
            forward = sc.compile_forward(trace, backend=objective.backend)
        results[backend] = {
            "backend": objective.backend,
            "derive_compile_s": time.perf_counter() - start,
        }
        calls[backend] = (objective, lambda o=objective: o(theta))
        if forward is not None:
            lossgrad = best(lambda o=objective: o(theta), 10)
            results[backend]["forward_s"] = best(lambda: forward(theta, images), 10)
            results[backend]["grad_over_forward"] = (
                lossgrad / results[backend]["forward_s"]
            )
    return results, calls


def l8_torch():
    """PyTorch's loss + gradient of the L8 net on 256 images (threads as set)."""
    rng = np.random.default_rng(0)
    x = torch.tensor(rng.integers(0, 2, (L8_IMAGES, 3, 10, 10)).astype(float))
    y = torch.full((L8_IMAGES, 1), 0.5, dtype=torch.float64)
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

    return theirs


def count11_steps() -> dict:
    """The count-11 step of symcnn and of PyTorch (threads as set), in turns."""
    spec = sc.read_spec(DERIVATIONS / "count11.toml")
    ours, _ = symcnn_step(spec)
    return in_turns({"symcnn": ours, "torch": torch_step(spec)}, 300)


def thread_settings() -> tuple[int, ...]:
    return tuple(sorted({1, DEFAULT_THREADS}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-scaling", action="store_true")
    args = parser.parse_args()
    os.environ["SYMCNN_CACHE_DIR"] = tempfile.mkdtemp(prefix="symcnn-bench-")
    results: dict = {"torch_version": torch.__version__, "cpus": os.cpu_count()}
    results.update(cli_speed.measure())
    results.update(exhaustive.measure())
    l8, calls = l8_symcnn()
    auto, numpy_, llvm = l8["auto"], l8["numpy"], l8["llvm"]
    results["l8_backend"] = auto["backend"]
    results["l8_derive_compile_s"] = auto["derive_compile_s"]
    results["l8_derive_compile_s_numpy"] = numpy_["derive_compile_s"]
    results["l8_derive_compile_s_llvm"] = llvm["derive_compile_s"]
    results["grad_over_forward"] = auto["grad_over_forward"]
    results["grad_over_forward_numpy"] = numpy_["grad_over_forward"]
    for threads in thread_settings():  # every comparison timed in turns, per setting
        torch.set_num_threads(threads)
        os.environ["SYMCNN_THREADS"] = str(threads)  # symcnn's C backend as PyTorch
        objective = calls["auto"][0]
        if objective.backend == "c":
            objective.program.threads = threads
        step = count11_steps()
        l8_s = in_turns(
            {"torch": l8_torch(), **{name: call for name, (_, call) in calls.items()}},
            10,
        )
        run = digits.run()
        ours, l8_theirs = l8_s["auto"], l8_s["torch"]
        results[f"threads_{threads}"] = {
            "count11_step_speedup_vs_torch": step["torch"] / step["symcnn"],
            "count11_step_us": {
                "symcnn": step["symcnn"] * 1e6,
                "torch": step["torch"] * 1e6,
            },
            "l8_batch256_lossgrad_ratio_vs_torch": ours / l8_theirs,
            "l8_batch256_lossgrad_ratio_vs_torch_numpy": l8_s["numpy"] / l8_theirs,
            "l8_batch256_lossgrad_ratio_vs_torch_llvm": l8_s["llvm"] / l8_theirs,
            "l8_lossgrad_ms": {"symcnn": ours * 1e3, "torch": l8_theirs * 1e3},
            "digits_epoch_ratio_vs_torch": run["digits_epoch_ratio_vs_torch"],
            "digits": run,
        }
    torch.set_num_threads(DEFAULT_THREADS)
    del os.environ["SYMCNN_THREADS"]
    lenet = lenet5.run()  # its own process: both thread settings, one machine load
    for name, ratio in lenet.pop("lenet5_lossgrad_ratio_vs_torch", {}).items():
        results.setdefault(name, {})["lenet5_lossgrad_ratio_vs_torch"] = ratio
    results.update(lenet)
    if not args.no_scaling:
        results["scaling"] = scaling.table(limit_s=900)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        for key, value in results.items():
            print(key, value)


if __name__ == "__main__":
    main()
