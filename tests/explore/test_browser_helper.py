"""The browser tests' helper: without Chromium they skip, except under
SYMCNN_REQUIRE_BROWSER=1 (CI), where that is a failure."""

import browser
import pytest


def test_missing_browser_skips_or_fails_when_required(monkeypatch):
    monkeypatch.setattr(browser, "CHROMIUM", "/nonexistent/chromium")
    monkeypatch.delenv("SYMCNN_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="/nonexistent/chromium"):
        with browser.chromium():
            pass
    monkeypatch.setenv("SYMCNN_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="SYMCNN_REQUIRE_BROWSER=1 but"):
        with browser.chromium():
            pass
