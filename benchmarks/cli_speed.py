"""How quick the command line is, from the shell to the answer: best of several runs
of the `symcnn` command, wall clock and the CPU time it used.

    cli_version_s          `symcnn --version` (goal <= 0.2)
    cli_train_count11_s    `symcnn train derivations/count11.toml` (goal <= 1.0)
    cli_summary_s          `symcnn summary derivations/count11.toml` (imports no
                           SymPy: tests/cli/test_summary_no_sympy.py)
    ..._cpu_s              the same runs' CPU seconds (user + system): what the
                           command costs when other processes share the machine

The command is the console script pip put beside this Python when it runs this
checkout (an editable install); when it runs another copy (`pip install .` of an
older tree), the same entry point is run from this checkout instead, and "command"
says which. The first run of each warms the OS's file cache and is not counted.

    python benchmarks/cli_speed.py [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COUNT11 = str(ROOT / "derivations" / "count11.toml")
#: The console script's own lines (pip's template), for a checkout it does not run.
ENTRY = "import sys; from symcnn.cli.main import entry; sys.argv[0] = 'symcnn'; entry()"
COMMANDS = {
    "cli_version_s": ("--version",),
    "cli_summary_s": ("summary", COUNT11),
    "cli_train_count11_s": ("train", COUNT11),
}


def installed_script() -> Path | None:
    """The `symcnn` console script beside this Python, if it runs this checkout."""
    script = Path(sysconfig.get_path("scripts")) / "symcnn"
    if not script.exists():
        return None
    where = subprocess.run(
        [sys.executable, "-c", "import symcnn; print(symcnn.__file__)"],
        cwd=tempfile.gettempdir(),  # not this folder: what the script would import
        capture_output=True,
        text=True,
    ).stdout.strip()
    return script if where and Path(where).parent.parent == ROOT else None


def command() -> tuple[list[str], dict, str]:
    """(argv prefix, environment, description) of the command to time."""
    script = installed_script()
    if script is not None:
        return [str(script)], dict(os.environ), str(script)
    environment = dict(os.environ, PYTHONPATH=str(ROOT))
    return [sys.executable, "-c", ENTRY], environment, "entry point of this checkout"


def timed(argv: list[str], environment: dict) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run, which must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        argv, env=environment, cwd=ROOT, check=True, stdout=subprocess.DEVNULL
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def measure(runs: int = 7) -> dict:
    prefix, environment, description = command()
    results: dict = {"command": description}
    for key, argv in COMMANDS.items():
        timed(prefix + list(argv), environment)  # warms the file cache
        times = [timed(prefix + list(argv), environment) for _ in range(runs)]
        results[key] = min(wall for wall, _ in times)
        results[key.removesuffix("_s") + "_cpu_s"] = min(cpu for _, cpu in times)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    results = measure(args.runs)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        for key, value in results.items():
            print(key, value if isinstance(value, str) else f"{value:.3f}")


if __name__ == "__main__":
    main()
