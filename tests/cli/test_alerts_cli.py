"""``shortage alerts`` after two consecutive monthly runs: exactly the varieties newly orange or red are POSTed
to a local webhook, once per run; retries, failures and filters."""

from __future__ import annotations

import json
import sqlite3
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "serve"))
from serve_helpers import world  # noqa: E402, F401 - fixture

from shortage_radar.cli import app  # noqa: E402
from shortage_radar.report.alerts import Subscription, alerts_config, post, send_alerts  # noqa: E402
from shortage_radar.store import open_store  # noqa: E402
from shortage_radar.store.alerts import sent  # noqa: E402

REQUIRED = {"variety_id", "generic_name", "warning_level", "previous_level", "risk", "level_reason", "drivers"}


class Webhook:
    """A local HTTP server that records every POSTed JSON body (and answers with the given statuses first)."""

    def __init__(self, statuses: list[int] | None = None) -> None:
        self.bodies: list[dict] = []
        self.statuses = list(statuses or [])
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status = hook.statuses.pop(0) if hook.statuses else 200
                if status == 200:
                    hook.bodies.append(json.loads(body))
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def fixed_policy():
    """The configured levels as written (fit.mode fixed): on a 40-variety panel the fitted policy opens
    no orange or red level (too few onsets to judge), and these tests need some to alert about."""
    from shortage_radar.models.policy import warning_policy

    policy = warning_policy()
    return policy.model_copy(update={"fit": policy.fit.model_copy(update={"mode": "fixed"})})


@pytest.fixture(scope="module")
def scored_store(world, tmp_path_factory):  # noqa: F811
    """The world's two consecutive months scored with the fixed levels into a store of this module."""
    from dataclasses import replace

    import shortage_radar as sr
    from shortage_radar.contract.panel import read_panel

    url = f"sqlite:///{tmp_path_factory.mktemp('alerts') / 'store.db'}"
    panel, models = read_panel(world.panel_dir), replace(sr.champions(world.tracking_uri), policy=fixed_policy())
    for month in world.months:
        sr.monthly_run(panel, month, models, url)
    return url


@pytest.fixture
def store_url(scored_store, tmp_path):
    """A copy of the scored store, so alerts recorded here stay here."""
    source = sqlite3.connect(scored_store.removeprefix("sqlite:///"))
    target = sqlite3.connect(tmp_path / "store.db")
    source.backup(target)
    source.close()
    target.close()
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture
def hook():
    server = Webhook()
    yield server
    server.close()


def _run(*args: str) -> int:
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code


def _newly_severe(store, month: pd.Period) -> set[str]:
    now = store.watchlist(month, entity="variety").set_index("variety_id")["warning_level"]
    before = store.watchlist(month - 1, entity="variety").set_index("variety_id")["warning_level"]
    before = before.reindex(now.index)
    return set(now.index[now.isin([1, 2]) & ~before.isin([1, 2])])


def test_alerts_deliver_exactly_the_newly_orange_or_red_once(world, store_url, hook):  # noqa: F811
    month = world.months[1]
    assert _run("alerts", "--month", str(month), "--webhook", hook.url, "--store", store_url) == 0
    assert len(hook.bodies) == 1
    body = hook.bodies[0]
    store = open_store(store_url)
    expected = _newly_severe(store, month)
    assert expected, "the world should have varieties newly at orange or red"
    new = {i["variety_id"] for i in body["items"] if i["change"] == "new"}
    assert new == expected
    assert all(REQUIRED <= set(i) and i["level_reason"] and i["generic_name"] for i in body["items"])
    for item in body["items"]:  # the rest are the other moves in or out of orange/red, each said as such
        was, now = item["previous_level"] in (1, 2), item["warning_level"] in (1, 2)
        assert item["change"] == ("new" if now and not was else "escalated" if now and item["warning_level"] <
                                  item["previous_level"] else "down" if now or item["warning_level"] else "resolved")
    assert body["month"] == str(month) and body["previous_month"] == str(month - 1)
    # the same run again: nothing new is sent, and the store says what was sent once
    assert _run("alerts", "--month", str(month), "--webhook", hook.url, "--store", store_url) == 0
    assert len(hook.bodies) == 1
    records = sent(store.engine)
    assert [(r.status, r.items) for r in records] == [("delivered", len(body["items"]))]


def test_a_failed_delivery_is_recorded_and_retried_by_the_next_call(world, store_url):  # noqa: F811
    month = world.months[1]
    cfg = alerts_config().model_copy(update={"retries": 1, "backoff_seconds": 0.0})
    down = Webhook(statuses=[503, 503])
    try:
        store = open_store(store_url)
        first = send_alerts(store, month, [Subscription(name="ops", url=down.url)], cfg=cfg)
        assert [(d.status, d.attempts) for d in first] == [("failed", 2)] and not down.bodies
        again = send_alerts(store, month, [Subscription(name="ops", url=down.url)], cfg=cfg)
        assert [d.status for d in again] == ["delivered"] and len(down.bodies) == 1
        assert [r.status for r in sent(store.engine)] == ["delivered"]
    finally:
        down.close()


def test_subscription_filters_by_level_and_class(world, store_url, hook):  # noqa: F811
    month = world.months[1]
    store = open_store(store_url)
    subs = [Subscription(name="all", url=hook.url), Subscription(name="orange", url=hook.url, levels=(2,)),
            Subscription(name="nothing", url=hook.url, classes=("no such class",))]
    by_name = {d.subscription: d for d in send_alerts(store, month, subs)}
    assert by_name["nothing"].status == "empty" and by_name["nothing"].items == 0
    bodies = {b["subscription"]: b["items"] for b in hook.bodies}
    wanted = [i for i in bodies["all"] if 2 in (i["warning_level"], i["previous_level"])]
    assert wanted and bodies.get("orange", []) == wanted


def test_post_retries_with_backoff_then_gives_up_on_a_client_error():
    calls, waits = [], []

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response([503, 429, 200][len(calls) - 1] if len(calls) <= 3 else 200)

    cfg = alerts_config().model_copy(update={"retries": 3, "backoff_seconds": 0.5, "backoff_factor": 2.0})
    with httpx.Client(transport=httpx.MockTransport(answer)) as client:
        assert post(client, "http://x/", b"{}", cfg, sleep=waits.append) == (True, 3, None)
    assert waits == [0.5, 1.0]
    with httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(404))) as client:
        assert post(client, "http://x/", b"{}", cfg, sleep=waits.append) == (False, 1, "HTTP 404")


def test_score_with_alerts_sends_them_after_the_run(world, store_url, hook, tmp_path, monkeypatch):  # noqa: F811
    from shortage_radar.models import policy as policy_module

    fixed = fixed_policy()  # the levels the stored runs were scored with (see fixed_policy)
    monkeypatch.setattr(policy_module, "warning_policy", lambda *args, **kwargs: fixed)
    month = world.months[1]
    code = _run("score", "--data", str(world.panel_dir), "--month", str(month), "--out", str(tmp_path / "w.csv"),
                "--tracking-uri", world.tracking_uri, "--store", store_url, "--no-report", "--alerts",
                "--webhook", hook.url)
    assert code == 0
    store = open_store(store_url)
    run = store.current_run(month)
    assert [(r.run_id, r.status) for r in sent(store.engine)] == [(run.run_id, "delivered")]
    assert len(hook.bodies) == 1 and hook.bodies[0]["run_id"] == run.run_id
    assert {i["variety_id"] for i in hook.bodies[0]["items"] if i["change"] == "new"} == _newly_severe(store, month)
