"""The report in a real headless Chromium (the Debian package, driven by Playwright): loads offline, no errors,
the table has the watchlist's rows, sorting and filters work, a variety opens with its chart.

Skips when /usr/bin/chromium is missing, except under CI (env CI set), where it fails: `.ci/run` installs it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from report_helpers import Case, build_case

CHROMIUM = Path(os.environ.get("SHORTAGE_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def _need(what: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing: CI must run the browser test (.ci/run installs chromium)")
    pytest.skip(f"{what} not available (CI installs it)")


@pytest.fixture(scope="module")
def case(demo_panel, tmp_path_factory) -> Case:
    # Some varieties without chart; fewer rows per page than varieties, so "show more" is exercised.
    return build_case(demo_panel, tmp_path_factory.mktemp("report"), detail_top=5, page_rows=25)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.is_file():
        _need(str(CHROMIUM))
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need("the playwright package")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, case):
    """The report opened from file://; every console error, page error and non-file request is recorded."""
    page = browser.new_page(viewport={"width": 1500, "height": 950})
    page.problems, page.requests = [], []
    page.on("console", lambda m: page.problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: page.problems.append(f"page error: {e}"))

    def route(r):
        if r.request.url.startswith("file://"):
            return r.continue_()
        page.requests.append(r.request.url)
        return r.abort()

    page.route("**/*", route)
    page.goto(case.path.as_uri())
    page.wait_for_selector("#watchlist tbody tr")
    yield page
    page.close()


def _ids(page, attr: str = "data-variety") -> list[str]:
    """The ids of the rows shown, after drawing every page."""
    while page.is_visible("#more"):
        page.click("#more")
    return page.eval_on_selector_all("#watchlist tbody tr", f"rows => rows.map(r => r.getAttribute('{attr}'))")


def _varieties(case: Case):
    return case.current[case.current["entity"] == "variety"].sort_values("rank")


def test_loads_offline_with_the_watchlist_rows(page, case):
    varieties = _varieties(case)
    assert page.locator("#watchlist tbody tr").count() == 25  # the first page
    assert page.inner_text("#shown") == f"showing 25 of {len(varieties)}"
    assert _ids(page) == varieties["variety_id"].tolist()  # count, order, and the top-ranked one first
    assert page.inner_text("#shown") == f"showing {len(varieties)} of {len(varieties)}"
    assert page.problems == [] and page.requests == []


def test_sorting_and_filters(page, case):
    varieties = _varieties(case)
    page.click('#watchlist th[data-key="risk"]')  # risk: highest first
    assert _ids(page) == varieties.sort_values("risk", ascending=False, kind="stable")["variety_id"].tolist()
    page.click('#watchlist th[data-key="risk"]')
    assert _ids(page)[0] == varieties.loc[varieties["risk"].idxmin(), "variety_id"]
    page.click('#watchlist th[data-key="variety_id"]')
    assert _ids(page) == sorted(varieties["variety_id"])

    page.select_option("#level", "1")
    assert sorted(_ids(page)) == sorted(varieties.loc[varieties["warning_level"] == 1, "variety_id"])
    page.select_option("#level", "warned")
    assert len(_ids(page)) == int((varieties["warning_level"] > 0).sum())
    page.select_option("#level", "all")

    target = varieties["variety_id"].iloc[-1]
    page.fill("#filter", target)
    assert _ids(page) == [target]
    page.fill("#filter", "")

    page.check("#entity-enterprise")
    pairs = case.current[case.current["entity"] == "enterprise"].sort_values("rank")
    assert _ids(page, "data-enterprise") == pairs["enterprise_id"].tolist()
    page.select_option("#change", "new")
    shown = len(_ids(page))
    assert 0 < shown < len(pairs)
    assert page.problems == []


def test_opening_a_variety_draws_its_chart(page, case):
    top = _varieties(case)["variety_id"].iloc[0]
    page.click(f'#watchlist a.open[data-open="variety"][data-id="{top}"]')
    page.wait_for_selector(f'#chart.js-plotly-plot[data-variety="{top}"]')
    traces = page.evaluate("document.getElementById('chart').data.length")
    assert traces >= 3
    assert page.locator("#chart .scatterlayer .trace").count() >= 3
    assert top in page.inner_text("#detail-head")
    assert "Drivers" in page.inner_text("#detail-body")
    shot = os.environ.get("SHORTAGE_REPORT_SCREENSHOT")
    if shot:  # docs/report.md: how docs/report.png was made
        page.screenshot(path=shot)
    assert page.problems == [] and page.requests == []


def test_a_variety_without_chart_and_an_enterprise_view(page, case):
    varieties = _varieties(case)
    last = varieties["variety_id"].iloc[-1]
    _ids(page)  # the last variety is on the second page
    page.click(f'#watchlist a.open[data-open="variety"][data-id="{last}"]')
    assert "No chart in this file" in page.inner_text("#chart")

    pairs = case.current[case.current["entity"] == "enterprise"]
    enterprise = pairs.sort_values("rank")["enterprise_id"].iloc[0]
    page.check("#entity-enterprise")
    page.click(f'#watchlist a.open[data-open="enterprise"][data-id="{enterprise}"]')
    rows = page.locator("#detail-body tbody tr").count()
    assert rows == int((pairs["enterprise_id"] == enterprise).sum())
    assert page.locator("#chart .js-plotly-plot, #chart.js-plotly-plot svg").count() == 0
    assert page.problems == [] and page.requests == []
