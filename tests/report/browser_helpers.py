"""Playwright over Debian's /usr/bin/chromium (never `playwright install`): the browser, a recorded page, screenshots.

Skips when /usr/bin/chromium is missing, except under CI (env CI set), where it fails: `.ci/run` installs it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("SHORTAGE_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def need(what: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing: CI must run the browser test (.ci/run installs chromium)")
    pytest.skip(f"{what} not available (CI installs it)")


def screenshot(page, name: str) -> None:
    """Save ``docs/report-<name>.png`` when SHORTAGE_REPORT_SCREENSHOTS names the folder (docs/report.md)."""
    folder = os.environ.get("SHORTAGE_REPORT_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"report-{name}.png"))


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.is_file():
        need(str(CHROMIUM))
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need("the playwright package")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield chromium
        chromium.close()


def open_page(browser, url: str, width: int = 1500, height: int = 950, offline: bool = True, locale: str = "en-US"):
    """A page at ``url``; every console error and page error is recorded, and (offline) every non-file request."""
    page = browser.new_page(viewport={"width": width, "height": height}, accept_downloads=True, locale=locale)
    page.problems, page.requests = [], []
    page.on("console", lambda m: page.problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: page.problems.append(f"page error: {e}"))

    def route(r):
        if r.request.url.startswith("file://"):
            return r.continue_()
        page.requests.append(r.request.url)
        return r.abort()

    if offline:
        page.route("**/*", route)
    page.goto(url)
    page.wait_for_selector("#watchlist tbody tr")
    return page


