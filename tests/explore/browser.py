"""A headless Chromium for the explorer page's tests: the system's chromium and
chromedriver (Debian packages), driven by selenium; nothing is downloaded (the driver
is given, so Selenium Manager never runs). Without them the browser tests skip,
unless SYMCNN_REQUIRE_BROWSER=1 (CI) makes that a failure."""

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def missing_browser() -> str | None:
    """Why no browser test can run here, or None."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if not Path(path).exists():
            return f"{path} is not installed (apt-get install chromium chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install 'symcnn[test]')"
    return None


def refuse_selenium_manager(*args, **kwargs):
    raise AssertionError("Selenium Manager ran: it would download a driver")


@contextmanager
def chromium():
    """A fresh headless Chromium with its own profile, closed afterwards."""
    reason = missing_browser()
    if reason:
        if os.environ.get("SYMCNN_REQUIRE_BROWSER") == "1":
            pytest.fail(f"SYMCNN_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.selenium_manager import SeleniumManager

    profile = tempfile.mkdtemp(prefix="symcnn-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # Selenium Manager (which downloads drivers) must never run: any call fails here
    with mock.patch.object(SeleniumManager, "binary_paths", refuse_selenium_manager):
        driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def open_page(driver, path: Path) -> None:
    """Load the page and wait until its script says it is ready; a console error
    (a CSP violation, an exception) fails the test."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get_log("browser")  # drop what earlier pages logged
    driver.get(path.resolve().as_uri())
    WebDriverWait(driver, 10).until(
        lambda d: d.execute_script("return document.body.dataset.ready") == "1"
    )
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors
