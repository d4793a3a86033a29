"""How deriving and compiling scale: seconds per stage and peak memory against the
size of the trace, up to a LeNet-5-sized network (1x28x28, 6@5x5, pool, 16@5x5, pool,
120, 84, 10). Each network is measured in a fresh process (its own peak memory, an
empty compiler cache), with a time limit; a network that fails or runs out of time
is reported with the reason.

Stages of the "c" backend, as compile_objective runs them: trace (build_trace, which
builds no rows until they are read), tables (c_layers.build: the table of products
and the loops' index tables from the network's connections, NumPy), source (the C
source, c_soa.py), compiler (the C compiler), then loss+gradient on 64 random images
against PyTorch, with one thread each and with PyTorch's default threads (symcnn as
many). peak_mb is the Python process's peak resident memory.

    python benchmarks/scaling.py [--json] [--plot scaling.png] [--limit 900]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import timeit
from pathlib import Path

import numpy as np

#: (input size, conv filters, conv filters, dense, dense): LeNet-5 shapes, growing
NETWORKS = [
    (16, 2, 4, 32, 16),
    (16, 6, 16, 120, 84),
    (20, 6, 16, 120, 84),
    (24, 6, 16, 120, 84),
    (28, 6, 16, 120, 84),  # LeNet-5
]
BATCH = 64
ROOT = Path(__file__).resolve().parent.parent


def lenet_like(size, filters1, filters2, dense1, dense2):
    import symcnn as sc

    return sc.Network(
        sc.Input(channels=1, height=size, width=size),
        sc.Conv2D(filters1, (5, 5), activation="relu", bias=True),
        sc.MaxPool2D(2),
        sc.Conv2D(filters2, (5, 5), activation="relu", bias=True),
        sc.MaxPool2D(2, floor=True),
        sc.Dense(dense1, activation="relu"),
        sc.Dense(dense2, activation="relu"),
        sc.Dense(10),
    )


def torch_lenet_like(size, filters1, filters2, dense1, dense2):
    import torch

    after = ((size - 4) // 2 - 4) // 2
    return torch.nn.Sequential(
        torch.nn.Conv2d(1, filters1, 5),
        torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(filters1, filters2, 5),
        torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Flatten(),
        torch.nn.Linear(filters2 * after * after, dense1),
        torch.nn.ReLU(),
        torch.nn.Linear(dense1, dense2),
        torch.nn.ReLU(),
        torch.nn.Linear(dense2, 10),
    ).double()


def peak_mb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: Linux carries
    ru_maxrss over from the parent that started the process (run.py's 600 MB)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


COMPILER_LOG = Path(tempfile.gettempdir()) / f"symcnn-compiler-{os.getpid()}.log"


def watch_compiler() -> None:
    """Run the C compiler under GNU time, which logs its peak memory (kB): a process
    started from this one inherits this one's ru_maxrss, so RUSAGE_CHILDREN can't."""
    from symcnn.numeric.c_backend import compiler

    timer = shutil.which("time")
    if timer:
        command = shlex.join(compiler())
        os.environ["CC"] = f"{timer} -a -o {COMPILER_LOG} -f %M {command}"


def compiler_peak_mb() -> float | None:
    if not COMPILER_LOG.exists():
        return None
    lines = COMPILER_LOG.read_text().split()
    COMPILER_LOG.unlink()
    return max(int(kb) for kb in lines if kb.isdigit()) / 1024


def measure(index: int) -> dict:
    """One network, in this process: each stage's seconds and the peak memory."""
    import torch

    import symcnn as sc
    from symcnn.numeric.c_build import load_library
    from symcnn.numeric.c_layers import build, program_sources
    from symcnn.numeric.c_soa import soa_program

    threads = torch.get_num_threads()
    watch_compiler()
    shape = NETWORKS[index]
    network = lenet_like(*shape)
    row = {"network": "x".join(map(str, shape)), "parameters": len(network.parameters)}
    clock = time.perf_counter()

    def stage(name):
        nonlocal clock
        now = time.perf_counter()
        row[f"{name}_s"] = now - clock
        clock = now

    trace = sc.build_trace(network)  # its rows are built only when read: never here
    row["terms"] = trace.terms
    stage("trace")
    program = build(network, trace.loss_kind)
    row["rows"] = program.table.rows
    stage("tables")
    sources, table, sizes = program_sources(program, trace.loss_kind)
    row["source_mb"] = sum(map(len, sources)) / 1e6
    row["table_mb"] = table.nbytes / 1e6
    stage("source")
    library = load_library(sources, native=True)
    compiled = soa_program(library, sizes, 1, table, sums=True)  # as compile_network
    stage("compiler")
    row["derive_compile_s"] = sum(
        row[f"{name}_s"] for name in ("trace", "tables", "source", "compiler")
    )
    row["peak_mb"] = peak_mb()
    row["compiler_peak_mb"] = compiler_peak_mb()
    rng = np.random.default_rng(0)
    theta = sc.initial_weights(network, 0)
    images = rng.random((BATCH, *network.shapes[0]))
    targets = np.eye(10)[rng.integers(0, 10, BATCH)]
    rows = np.hstack([images.reshape(BATCH, -1), targets])
    model = torch_lenet_like(*shape)
    x, y = torch.tensor(images), torch.tensor(targets)

    def theirs():
        model.zero_grad()
        ((model(x) - y) ** 2).sum().backward()

    def ours():
        compiled(theta, rows).sum(axis=0)

    for count in sorted({1, threads}):  # in turns: both see the same machine load
        suffix = "" if count == 1 else f"_{count}_threads"
        compiled.threads = count
        torch.set_num_threads(count)
        row["lossgrad_ms" + suffix] = milliseconds(ours)
        row["torch_lossgrad_ms" + suffix] = milliseconds(theirs)
    return row


def milliseconds(function) -> float:
    """The best of 5 runs of 3 calls, per call."""
    return 1e3 * min(timeit.repeat(function, number=3, repeat=5)) / 3


def table(limit_s: float, only: list[int] | None = None) -> list[dict]:
    """Every network (or those numbered `only`) in its own process, with an empty
    compiler cache."""
    rows = []
    for index, shape in enumerate(NETWORKS):
        if only is not None and index not in only:
            continue
        name = "x".join(map(str, shape))
        with tempfile.TemporaryDirectory() as cache:
            environment = {
                **os.environ,
                "SYMCNN_CACHE_DIR": cache,
                # this checkout's symcnn, not an installed copy (as cli_speed.py)
                "PYTHONPATH": os.pathsep.join(
                    [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
                ),
            }
            try:
                done = subprocess.run(
                    [sys.executable, __file__, "--one", str(index)],
                    capture_output=True,
                    text=True,
                    timeout=limit_s,
                    env=environment,
                )
            except subprocess.TimeoutExpired:
                rows.append({"network": name, "stopped": f"over {limit_s:.0f} s"})
                break
        if done.returncode != 0:
            reason = (done.stderr.strip().splitlines() or ["killed"])[-1]
            rows.append({"network": name, "stopped": reason})
            break
        rows.append(json.loads(done.stdout))
    return rows


COLUMNS = [
    ("network", "{}"), ("parameters", "{:,}"), ("terms", "{:,}"), ("rows", "{:,}"),
    ("trace_s", "{:.2f}"), ("tables_s", "{:.2f}"), ("source_s", "{:.2f}"),
    ("compiler_s", "{:.2f}"), ("derive_compile_s", "{:.2f}"), ("peak_mb", "{:,.0f}"),
    ("compiler_peak_mb", "{:,.0f}"),
    ("lossgrad_ms", "{:.2f}"), ("torch_lossgrad_ms", "{:.2f}"),
]  # fmt: skip


def markdown(rows: list[dict]) -> str:
    lines = [
        "| " + " | ".join(name for name, _ in COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
    ]
    for row in rows:
        if "stopped" in row:
            lines.append(f"| {row['network']} | stopped: {row['stopped']} |")
            continue
        cells = [
            "-" if row.get(name) is None else form.format(row[name])
            for name, form in COLUMNS
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    done = [row for row in rows if "stopped" not in row]
    terms = [row["terms"] for row in done]
    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    for name in ("tables_s", "source_s", "compiler_s", "derive_compile_s"):
        left.plot(terms, [row[name] for row in done], "o-", label=name[:-2])
    left.set(xscale="log", yscale="log", xlabel="trace terms", ylabel="seconds")
    left.set_title("derive + compile (C backend)")
    left.legend()
    right.plot(terms, [row["peak_mb"] for row in done], "o-")
    right.set(xscale="log", yscale="log", xlabel="trace terms", ylabel="peak MB")
    right.set_title("peak memory")
    for axes in (left, right):
        axes.grid(True, which="both", alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=100)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--plot", type=Path)
    parser.add_argument("--limit", type=float, default=900, help="seconds per network")
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(measure(args.one)))
        return
    rows = table(args.limit)
    print(json.dumps(rows, indent=2) if args.json else markdown(rows))
    if args.plot:
        plot(rows, args.plot)


if __name__ == "__main__":
    main()
