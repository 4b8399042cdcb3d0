"""The report served by a live service at /ui, in Chromium: ``?month=`` serves each stored month, the month picker
moves between them, and the what-if form posts to ``POST /v1/whatif`` with the page's key and shows the answer.

The service runs in uvicorn on 127.0.0.1 in a thread (a browser needs a real socket). While ``POST /v1/whatif`` is
not in the app (it comes with the what-if branch), a test-only stand-in with its documented request and response
shape is mounted; once the real route exists the same test runs against it.
"""

from __future__ import annotations

import socket
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from fastapi import Request
from browser_helpers import browser, open_page, screenshot  # noqa: F401 - fixture

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "serve"))
from serve_helpers import make_app, world  # noqa: E402, F401 - fixture


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def mount_test_whatif(app, calls: list[dict]) -> bool:
    """TEST-ONLY stand-in for ``POST /v1/whatif`` (score scope): risk +0.25 for the varieties the scenario touches.
    Mounted only when the app has no such route; True when mounted."""
    from shortage_radar.serve.auth import scoped

    present = "/v1/whatif" in app.openapi()["paths"]  # routers are included lazily: ask the schema, not app.routes
    app.openapi_schema = None
    if present:
        return False

    @app.post("/v1/whatif", dependencies=[scoped("score")])
    async def whatif(request: Request) -> dict:
        body = await request.json()
        calls.append(body)
        svc = request.app.state.service
        index = svc.index.latest
        if "suspend" in body:
            touched = {r["variety_id"] for r in index.enterprise.get(body["suspend"], ())}
        else:
            touched = {body["demand_surge"]["variety_id"]} if "demand_surge" in body else set()
        names = svc.panel["varieties"].set_index("variety_id")["generic_name"]
        items = []
        for vid in sorted(touched):
            row = index.variety[vid]
            after = min(1.0, row["risk"] + 0.25)
            items.append({"variety_id": vid, "generic_name": str(names.get(vid, "")), "risk_before": row["risk"],
                          "risk_after": after, "level_before": row["warning_level"],
                          "level_after": 2 if after >= 0.5 else row["warning_level"],
                          "drivers_after": ["test-only what-if stand-in"]})
        return {"month": body["month"], "scenario": body, "items": items}

    return True


@contextmanager
def serving(app):
    """The app in uvicorn on a free 127.0.0.1 port, in a thread; stopped on exit."""
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.1)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@pytest.fixture(scope="module")
def live(world, tmp_path_factory):  # noqa: F811
    calls: list[dict] = []
    app = make_app(world, tmp_path_factory.mktemp("served"))
    stand_in = mount_test_whatif(app, calls)
    with serving(app) as base:
        yield base, calls, stand_in


def test_ui_serves_any_stored_month(live, world):  # noqa: F811
    base, _, _ = live
    key = {"api_key": world.keys["read"]}
    for month in world.months:
        page = httpx.get(f"{base}/ui", params={**key, "month": str(month)}, timeout=120)
        assert page.status_code == 200 and f"<title>Drug shortage watchlist 药品短缺预警 {month}</title>" in page.text
    missing = httpx.get(f"{base}/ui", params={**key, "month": "1999-01"}, timeout=30)
    assert missing.status_code == 404 and "1999-01" in missing.json()["detail"]
    assert httpx.get(f"{base}/ui", params={**key, "month": "1999-13"}, timeout=30).status_code == 422


def test_month_picker_loads_the_stored_month(live, world, browser):  # noqa: F811
    from shortage_radar.store import open_store

    base, _, _ = live
    first, last = (str(m) for m in world.months)
    page = open_page(browser, f"{base}/ui?api_key={world.keys['read']}", offline=False)
    try:
        assert page.inner_text("#month") == last
        assert page.eval_on_selector_all("#month-pick option", "o => o.map(x => x.value)") == [last, first]
        stored = open_store(world.store_url).watchlist(world.months[1], entity="variety")
        page.click('#views button[data-view="shortage"]')
        shown = page.eval_on_selector_all("#shortage-table tbody tr", "rows => rows.map(r => r.dataset.variety)")
        assert shown == stored.loc[stored["ongoing"], "variety_id"].tolist()  # the scorer's ongoing rows
        if not shown:
            assert "no variety in shortage" in page.inner_text("#view-shortage")
        with page.expect_navigation():
            page.select_option("#month-pick", first)
        page.wait_for_selector("#watchlist tbody tr")
        assert page.inner_text("#month") == first and f"month={first}" in page.url
        assert "api_key=" in page.url  # the key stays with the page
        page.click('#views button[data-view="compare"]')
        assert page.eval_on_selector_all("#cmp-b option", "o => o.map(x => x.value)") == [first]  # not later runs
        assert page.problems == []
    finally:
        page.close()


def _run_whatif(page, expected_request: dict) -> dict:
    with page.expect_response(lambda r: r.url.endswith("/v1/whatif")) as answer:
        page.click("#wi-run")
    response = answer.value
    assert response.request.post_data_json == expected_request, response.text()
    page.wait_for_selector("#wi-table, #wi-result .error, #wi-result p:not(.muted)")
    return {"status": response.status, "body": response.json()}


def test_whatif_form_posts_the_scenario_and_shows_the_answer(live, world, browser):  # noqa: F811
    base, calls, stand_in = live
    from shortage_radar.store import open_store

    month = str(world.months[1])
    pairs = open_store(world.store_url).watchlist(world.months[1], entity="enterprise")
    enterprise = pairs["enterprise_id"].value_counts().index[0]  # the enterprise making the most varieties
    page = open_page(browser, f"{base}/ui?api_key={world.keys['all']}#enterprise/{enterprise}", offline=False)
    try:
        page.wait_for_selector("#whatif:not([hidden])")
        assert page.is_hidden("#wi-key")  # the page's own key is used
        assert page.eval_on_selector_all("#wi-kind option", "o => o.map(x => x.value)") == ["suspend"]
        page.fill("#wi-months", "3")
        answer = _run_whatif(page, {"month": month, "suspend": enterprise, "months": 3})
        assert answer["status"] == 200, answer["body"]
        items = answer["body"]["items"]
        made = set(pairs.loc[pairs["enterprise_id"] == enterprise, "variety_id"])
        assert made and made <= {i["variety_id"] for i in items}  # every variety it makes (the real route may add
        # those it reported earlier)
        shown = page.eval_on_selector_all("#wi-table tbody tr", "rows => rows.map(r => r.dataset.variety)")
        by_delta = sorted(items, key=lambda i: -(i["risk_after"] - i["risk_before"]))
        assert shown == [i["variety_id"] for i in by_delta]
        first = by_delta[0]
        cells = page.inner_text(f'#wi-table tbody tr[data-variety="{first["variety_id"]}"]')
        assert f"{first['risk_before']:.3f} → {first['risk_after']:.3f}" in cells
        raised = sum(1 for i in items if (5 - i["level_after"]) % 5 > (5 - i["level_before"]) % 5)
        assert f"{len(items)} varieties affected, {raised} with a higher level" in page.inner_text("#wi-result")
        screenshot(page, "whatif")

        variety = items[0]["variety_id"]
        page.click(f'#wi-table a.open[data-id="{variety}"]')  # the variety view has its own scenarios
        page.wait_for_selector(f'#detail-head:has-text("{variety}")')
        page.select_option("#wi-kind", "demand_surge")
        page.fill("#wi-pct", "50")
        answer = _run_whatif(page, {"month": month, "demand_surge": {"variety_id": variety, "pct": 50}})
        assert answer["status"] == 200
        assert variety in {i["variety_id"] for i in answer["body"]["items"]}
        if stand_in:
            assert [c.get("suspend") for c in calls[:1]] == [enterprise]
        assert page.problems == []
    finally:
        page.close()


def test_whatif_without_the_score_scope_says_why(live, world, browser):  # noqa: F811
    base, _, _ = live
    top = open_page(browser, f"{base}/ui?api_key={world.keys['read']}", offline=False)
    try:
        variety = top.get_attribute("#watchlist tbody tr:first-child", "data-variety")
        top.click(f'#watchlist a.open[data-id="{variety}"]')
        top.select_option("#wi-kind", "demand_surge")
        answer = _run_whatif(top, {"month": str(world.months[1]), "demand_surge": {"variety_id": variety, "pct": 50}})
        assert answer["status"] == 403
        assert "what-if failed (403)" in top.inner_text("#wi-result") and "score" in top.inner_text("#wi-result")
    finally:
        top.close()
