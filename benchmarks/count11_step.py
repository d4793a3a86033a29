"""One training step on the count-11 network (slide L3): symcnn vs PyTorch, one run.

A step is loss + gradient + gradient-descent update. PyTorch runs on the CPU with one
thread in float64 (the same arithmetic as symcnn). Prints both times and the ratio;
the goal is symcnn >= 4x faster. Also times the whole `symcnn train` command (goal:
under 1.5 s).

    python benchmarks/count11_step.py
"""

from __future__ import annotations

import subprocess
import sys
import time
import timeit
from pathlib import Path

import numpy as np
import torch

import symcnn as sc

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "derivations" / "count11.toml"
LR = 0.05


def best_of(function, number: int, repeat: int = 7) -> float:
    """Seconds per call: the best of `repeat` runs of `number` calls."""
    return min(timeit.repeat(function, number=number, repeat=repeat)) / number


def symcnn_step(spec):
    objective = sc.compile_objective(sc.build_trace(spec.network), spec.data)
    theta = sc.initial_weights(spec.network, 0)

    def step():
        nonlocal theta
        _, gradient = objective(theta)
        theta = theta - LR * gradient

    return step, objective.backend


def torch_step(spec):
    """The same step in PyTorch float64 (threads as the caller set them)."""
    images = torch.tensor(spec.data.pixel_arrays())
    targets = torch.tensor(spec.data.target_arrays())
    model = torch.nn.Sequential(
        torch.nn.Conv2d(1, 1, (1, 2), bias=False),
        torch.nn.Flatten(),
        torch.nn.Linear(4, 4),
        torch.nn.ReLU(),
        torch.nn.Linear(4, 1),
    ).double()
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)

    def step():
        optimizer.zero_grad()
        loss = ((model(images) - targets) ** 2).sum()
        loss.backward()
        optimizer.step()

    return step


def command_seconds() -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "symcnn", "train", str(SPEC)],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def main() -> None:
    spec = sc.read_spec(SPEC)
    torch.set_num_threads(1)
    ours, backend = symcnn_step(spec)
    theirs = torch_step(spec)
    ours(), theirs()  # warm up
    ours_s, theirs_s = best_of(ours, 2000), best_of(theirs, 500)
    print(f"count-11 training step ({len(spec.data)} samples, 27 parameters, float64)")
    print(f"  symcnn ({backend} backend): {ours_s * 1e6:8.1f} us")
    print(f"  PyTorch {torch.__version__} (1 thread): {theirs_s * 1e6:8.1f} us")
    print(f"  ratio PyTorch / symcnn: {theirs_s / ours_s:.1f}x  (goal >= 4x)")
    seconds = min(command_seconds() for _ in range(3))
    print(f"`symcnn train derivations/count11.toml`: {seconds:.2f} s  (goal < 1.5 s)")


if __name__ == "__main__":
    np.seterr(all="raise")
    main()
