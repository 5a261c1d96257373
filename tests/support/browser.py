"""Debian's chromium, driven by Playwright (no browser is ever downloaded), for the page tests.

In CI a missing piece is a failure (.ci/run installs it); elsewhere the test is skipped.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def need(available: bool, what: str, test: str) -> None:
    """Fail (in CI) or skip ``test`` when ``what`` is not available."""
    if not available:
        message = f"{what} is needed for {test}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@contextmanager
def chromium(test: str) -> Iterator[Browser]:
    """A headless chromium for ``test`` (the words of the fail/skip message)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - depends on the environment
        need(False, "the playwright package (make setup)", test)
    need(shutil.which("chromium") is not None, "Debian's chromium (apt-get install chromium)", test)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
