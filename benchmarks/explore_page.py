"""The count-11 explorer page (`symcnn explore`): its size (goal < 300 kB), the seconds
to build it, and how soon it is ready in a headless Chromium (goal < 1 s): the
page's own mark, set when its script has built the grids and computed every value,
in ms after navigation start (best and median of RUNS fresh loads).

Needs Debian's chromium and chromium-driver and selenium (pip install '.[test]').

    python benchmarks/explore_page.py [--json]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from symcnn.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
RUNS = 5
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
)  # fmt: skip


def ready_ms(page: Path, runs: int = RUNS) -> list[float]:
    """The page's data-ready-ms in `runs` loads, each in a fresh browser profile."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait

    times = []
    for _ in range(runs):
        profile = tempfile.mkdtemp(prefix="symcnn-bench-")
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for flag in (*FLAGS, f"--user-data-dir={profile}"):
            options.add_argument(flag)
        service = Service("/usr/bin/chromedriver")
        driver = webdriver.Chrome(options=options, service=service)
        try:
            driver.get(page.as_uri())
            WebDriverWait(driver, 10).until(
                lambda d: d.execute_script("return document.body.dataset.ready") == "1"
            )
            times.append(float(driver.execute_script(
                "return document.body.dataset.readyMs")))
        finally:
            driver.quit()
            shutil.rmtree(profile, ignore_errors=True)
    return times


def measure() -> dict:
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "count11.html"
        started = time.perf_counter()
        spec = str(ROOT / "derivations" / "count11.toml")
        with contextlib.redirect_stdout(io.StringIO()):  # --json prints one object
            assert main(["explore", spec, "-o", str(page)]) == 0
        build = time.perf_counter() - started
        times = ready_ms(page)
        return {
            "explore_count11_bytes": page.stat().st_size,
            "explore_count11_build_s": round(build, 3),
            "explore_count11_ready_ms_best": min(times),
            "explore_count11_ready_ms_median": statistics.median(times),
        }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    result = measure()
    if parser.parse_args().json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:36} {value}")
