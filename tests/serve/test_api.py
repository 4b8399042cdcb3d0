"""The read endpoints, keys and errors, through TestClient inside `with` (so the lifespan runs)."""

from __future__ import annotations

import pandas as pd
import pytest
from serve_helpers import client, headers, make_app, world  # noqa: F401 - fixtures


@pytest.fixture(scope="module")
def store(world):  # noqa: F811
    from shortage_radar.store import open_store

    return open_store(world.store_url)


def test_health_needs_no_key_and_names_models_and_last_run(client, world, store):  # noqa: F811
    body = client.get("/health").json()
    assert body["status"] == "ok"
    assert body["last_run_month"] == str(world.months[1])
    assert body["last_run_id"] == store.current_run().run_id
    assert set(body["model_versions"]) == {"shortage-variety", "shortage-enterprise"}


@pytest.mark.parametrize("path", ["/v1/watchlist", "/v1/model", "/v1/varieties/V0001/risk"])
def test_no_key_or_a_bad_key_is_401(client, path):  # noqa: F811
    assert client.get(path).status_code == 401
    assert client.get(path, headers={"X-API-Key": "sr_00000000_nope"}).status_code == 401


def test_a_key_without_the_scope_is_403(client, world):  # noqa: F811
    assert client.get("/v1/watchlist", headers=headers(world, "score")).status_code == 403
    denied = client.post("/v1/score", headers=headers(world, "read"), json={"month": str(world.months[1])})
    assert denied.status_code == 403 and "score" in denied.json()["detail"]
    assert client.post("/v1/admin/reload", headers=headers(world, "read")).status_code == 403


def test_variety_risk_is_the_stored_row(client, world, store):  # noqa: F811
    for month in world.months:
        stored = store.watchlist(month, entity="variety").iloc[3]
        got = client.get(f"/v1/varieties/{stored['variety_id']}/risk", params={"month": str(month)},
                         headers=headers(world)).json()
        assert got["risk"] == pytest.approx(stored["risk"]) and got["rank"] == stored["rank"]
        assert got["warning_level"] == stored["warning_level"] and got["month"] == str(month)
        assert got["drivers"] == [d.strip() for d in stored["drivers"].split(";") if d.strip()]
    latest = client.get(f"/v1/varieties/{stored['variety_id']}/risk", headers=headers(world)).json()
    assert latest["month"] == str(world.months[1])


def test_enterprise_risk_is_its_most_at_risk_pair(client, world, store):  # noqa: F811
    rows = store.watchlist(world.months[1], entity="enterprise")
    enterprise = rows.iloc[0]["enterprise_id"]
    got = client.get(f"/v1/enterprises/{enterprise}/risk", headers=headers(world)).json()
    mine = rows[rows["enterprise_id"] == enterprise]
    assert got["risk"] == pytest.approx(mine["risk"].max())
    assert len(got["varieties"]) == len(mine)
    assert [v["variety_id"] for v in got["varieties"]] == list(mine.sort_values("rank")["variety_id"])


@pytest.mark.parametrize("path,params,status", [
    ("/v1/varieties/NOPE/risk", {}, 404),
    ("/v1/enterprises/NOPE/risk", {}, 404),
    ("/v1/varieties/NOPE/history", {}, 404),
    ("/v1/varieties/V0001/risk", {"month": "1999-01"}, 404),
    ("/v1/varieties/V0001/risk", {"month": "2022-13"}, 422),
    ("/v1/varieties/V0001/risk", {"month": "June"}, 422),
    ("/v1/varieties/V0001/risk", {"month": "0000-01"}, 422),
    ("/v1/watchlist", {"monht": "2022-12"}, 422),
    ("/v1/watchlist", {"limit": 0}, 422),
    ("/v1/watchlist", {"limit": 10**6}, 422),
    ("/v1/watchlist", {"entity": "hospital"}, 422),
    ("/v1/watchlist", {"max_level": "red"}, 422),
])
def test_bad_input_is_a_4xx_with_a_message(client, world, path, params, status):  # noqa: F811
    response = client.get(path, params=params, headers=headers(world))
    assert response.status_code == status
    assert isinstance(response.json()["detail"], str) and response.json()["detail"]


def test_an_unknown_query_parameter_names_the_ones_the_endpoint_takes(client, world):  # noqa: F811
    detail = client.get("/v1/watchlist", params={"monht": "2022-12"}, headers=headers(world)).json()["detail"]
    assert "'monht'" in detail and "month" in detail and "limit" in detail


def test_a_year_pandas_cannot_hold_is_a_422_not_a_500(client, world):  # noqa: F811
    response = client.post("/v1/score", headers=headers(world, "score"), json={"month": "0000-01"})
    assert response.status_code == 422 and "month" in response.json()["detail"]


def test_watchlist_pages_filters_and_ranks(client, world, store):  # noqa: F811
    stored = store.watchlist(world.months[0])
    page = client.get("/v1/watchlist", params={"month": str(world.months[0]), "entity": "variety", "limit": 7,
                                               "offset": 5}, headers=headers(world)).json()
    varieties = stored[stored["entity"] == "variety"].sort_values("rank")
    assert page["total"] == len(varieties)
    assert [r["variety_id"] for r in page["items"]] == list(varieties["variety_id"].iloc[5:12])
    severe = client.get("/v1/watchlist", params={"max_level": 2, "limit": 1000}, headers=headers(world)).json()
    latest = store.watchlist(world.months[1])
    assert severe["total"] == int(latest["warning_level"].between(1, 2).sum())
    assert all(1 <= r["warning_level"] <= 2 for r in severe["items"])


def test_watchlist_province_filter_follows_the_panel(client, world, store):  # noqa: F811
    from shortage_radar.contract.panel import read_panel

    panel = read_panel(world.panel_dir)
    ent = panel["enterprises"]
    province = str(ent["province"].iloc[0])
    in_province = set(ent.loc[ent["province"] == province, "enterprise_id"].astype(str))
    page = client.get("/v1/watchlist", params={"province": province, "entity": "enterprise", "limit": 1000},
                      headers=headers(world)).json()
    rows = store.watchlist(world.months[1], entity="enterprise")
    assert page["total"] == int(rows["enterprise_id"].isin(in_province).sum()) > 0
    reports = panel["monthly_reports"]
    makers = set(reports.loc[reports["enterprise_id"].isin(in_province), "variety_id"].astype(str))
    varieties = client.get("/v1/watchlist", params={"province": province, "entity": "variety", "limit": 1000},
                           headers=headers(world)).json()
    scored = set(store.watchlist(entity="variety")["variety_id"])
    assert {r["variety_id"] for r in varieties["items"]} == makers & scored


def test_history_lists_every_month_run(client, world, store):  # noqa: F811
    variety = store.watchlist(entity="variety").iloc[0]["variety_id"]
    body = client.get(f"/v1/varieties/{variety}/history", headers=headers(world)).json()
    assert [p["month"] for p in body["points"]] == [str(m) for m in world.months]
    expected = store.variety_history(variety)
    assert [p["risk"] for p in body["points"]] == pytest.approx(list(expected["risk"]))


def test_model_shows_champions_and_backtest_metrics(client, world):  # noqa: F811
    from mlflow import MlflowClient

    from shortage_radar.models.registry import use_tracking

    body = client.get("/v1/model", headers=headers(world)).json()
    use_tracking(world.tracking_uri)
    for model in body["models"]:
        assert model["version"] == str(MlflowClient().get_model_version_by_alias(model["name"], "champion").version)
        assert 0 <= model["backtest"]["pr_auc"] <= 1
        assert {r["level"] for r in model["policy"]["levels"]} == {1, 2, 3, 4}
        blend = model["blend"]
        best = max(v for k, v in blend.items() if k.startswith("baseline_"))
        assert blend["winner"] and (blend["chosen"] >= best - 1e-9 or blend["winner"] == "fallback")
        assert blend["chosen"] >= blend["model"] or blend.get("for_warnings")


def test_reload_keeps_the_last_good_model_when_loading_fails(client, world):  # noqa: F811
    holder = client.app.state.service.models
    before = holder.versions
    holder.uri = f"sqlite:///{world.folder / 'empty-registry.db'}"  # a registry with no champion
    failed = client.post("/v1/admin/reload", headers=headers(world, "admin")).json()
    assert failed["reloaded"] is False and "still serving" in failed["error"]
    assert failed["model_versions"] == before
    assert client.get("/health").json()["status"] == "ok"
    assert client.get("/v1/model", headers=headers(world)).json()["last_reload_error"]
    holder.uri = world.tracking_uri  # the module's client is shared: leave it as found
    ok = client.post("/v1/admin/reload", headers=headers(world, "admin")).json()
    assert ok == {"reloaded": True, "model_versions": before, "error": None}


def test_a_revoked_key_stops_working(world, tmp_path):  # noqa: F811
    from fastapi.testclient import TestClient

    from shortage_radar.serve.keys import create_key, revoke_key
    from shortage_radar.store import open_store

    engine = open_store(world.store_url).engine
    key_id, key = create_key(engine, "to-revoke", ["read"])
    with TestClient(make_app(world, tmp_path)) as c:
        assert c.get("/v1/watchlist", headers={"X-API-Key": key}).status_code == 200
        assert revoke_key(engine, key_id)
        assert c.get("/v1/watchlist", headers={"X-API-Key": key}).status_code == 401


def test_oversized_and_malformed_bodies_are_4xx(world, tmp_path):  # noqa: F811
    from fastapi.testclient import TestClient

    with TestClient(make_app(world, tmp_path, max_body_bytes=1000)) as c:
        body = {"month": "2022-12", "variety_ids": ["V"] * 500}
        big = c.post("/v1/score", headers=headers(world, "score"), json=body)
        assert big.status_code == 413 and "limit" in big.json()["detail"]
        garbage = c.post("/v1/score", headers={**headers(world, "score"), "content-type": "application/json"},
                         content=b"{not json")
        assert garbage.status_code == 422
        typed = c.post("/v1/score", headers=headers(world, "score"), json={"month": 202212, "monthly_reports": 5})
        assert typed.status_code == 422 and typed.json()["errors"]


def test_ui_serves_the_latest_report_or_says_why_not(client, world, monkeypatch):  # noqa: F811
    import sys

    page = client.get("/ui", params={"api_key": world.keys["read"]})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert str(world.months[1]) in page.text
    assert '"policy":{"fitted_on"' in page.text  # the served models scored the run: their policy is shown
    assert '"criticality":[' in page.text  # and the single points of failure, computed from them
    assert client.get("/ui").status_code == 401
    reports = client.app.state.service.reports
    monkeypatch.setattr(reports, "folder", reports.folder / "fresh")
    monkeypatch.setitem(sys.modules, "shortage_radar.report", None)  # as if the report package were absent
    missing = client.get("/ui", headers=headers(world))
    assert missing.status_code == 503 and "report" in missing.json()["detail"]


def test_a_new_run_is_picked_up_without_restart(world, tmp_path):  # noqa: F811
    from fastapi.testclient import TestClient

    from shortage_radar.store import open_store

    url = f"sqlite:///{tmp_path / 'own.db'}"
    store = open_store(url)
    rows = open_store(world.store_url).watchlist(world.months[1])
    first = store.begin_run(world.months[1], data_path=str(world.panel_dir), fingerprint="f", model_versions={},
                            config_hash="c")
    store.finish_run(first, rows, pd.DataFrame())
    from shortage_radar.serve.keys import create_key

    key = create_key(store.engine, "own", ["read"])[1]
    with TestClient(make_app(world.__class__(**{**world.__dict__, "store_url": url}), tmp_path)) as c:
        svc = c.app.state.service
        assert c.get("/health").json()["last_run_id"] == first
        nxt = store.begin_run(world.months[1] + 1, data_path=str(world.panel_dir), fingerprint="f",
                              model_versions={}, config_hash="c")
        store.finish_run(nxt, rows.assign(month=str(world.months[1] + 1)), pd.DataFrame())
        svc.refresh()  # what the background thread does every refresh_seconds
        assert c.get("/health").json()["last_run_id"] == nxt
        assert c.get("/v1/watchlist", headers={"X-API-Key": key}).json()["run_id"] == nxt
