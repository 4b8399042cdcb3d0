"""POST /v1/score: posted rows validated by the contract, merged into the latest run's panel, scored live."""

from __future__ import annotations

import pytest
from serve_helpers import client, headers, world  # noqa: F401 - fixtures


def _post(client, world, body):  # noqa: F811
    return client.post("/v1/score", headers=headers(world, "score"), json=body)


@pytest.fixture(scope="module")
def stored(world):  # noqa: F811
    from shortage_radar.store import open_store

    return open_store(world.store_url)


def test_no_new_rows_gives_the_stored_scores(client, world, stored):  # noqa: F811
    month = world.months[1]
    rows = stored.watchlist(month, entity="variety").head(3)
    body = _post(client, world, {"month": str(month), "variety_ids": list(rows["variety_id"])}).json()
    live = {r["variety_id"]: r for r in body["items"] if r["entity"] == "variety"}
    assert set(live) == set(rows["variety_id"])
    for row in rows.itertuples():
        assert live[row.variety_id]["risk"] == pytest.approx(row.risk, abs=1e-6)
        assert live[row.variety_id]["warning_level"] == row.warning_level
    assert body["based_on_run"] == stored.current_run().run_id


def _pair(world):  # noqa: F811
    from shortage_radar.contract.panel import read_panel

    panel = read_panel(world.panel_dir)
    reports = panel["monthly_reports"]
    last = reports[reports["month"] == world.months[1]]
    suspended = set(zip(panel["suspensions"]["enterprise_id"], panel["suspensions"]["variety_id"], strict=True))
    for e, v in zip(last["enterprise_id"], last["variety_id"], strict=True):
        if (e, v) not in suspended:
            return str(e), str(v), last[(last["enterprise_id"] == e) & (last["variety_id"] == v)].iloc[0]
    raise AssertionError("no unsuspended pair in the demo panel")


def test_a_posted_suspension_raises_the_pair_risk_and_writes_nothing(client, world, stored):  # noqa: F811
    enterprise, variety, report = _pair(world)
    month = str(world.months[1] + 1)
    runs_before = [(r.run_id, r.rows) for r in stored.runs()]
    normal = {"enterprise_id": enterprise, "variety_id": variety, "month": month,
              "production": float(report["production"]), "sales": float(report["sales"]),
              "inventory": float(report["inventory"])}
    base = _post(client, world, {"month": month, "monthly_reports": [normal]})
    assert base.status_code == 200, base.text
    stopped = _post(client, world, {
        "month": month, "monthly_reports": [{**normal, "production": 0, "inventory": 0}],
        "suspensions": [{"enterprise_id": enterprise, "variety_id": variety, "start_month": month,
                         "reported_month": month, "reason": "api_shortage"}]})
    assert stopped.status_code == 200, stopped.text

    def pair_risk(response):
        return next(r["risk"] for r in response.json()["items"]
                    if r["entity"] == "enterprise" and r["enterprise_id"] == enterprise and r["variety_id"] == variety)

    assert pair_risk(stopped) > pair_risk(base)
    assert stopped.json()["rows_merged"] == {"monthly_reports": 1, "suspensions": 1}
    assert {r["variety_id"] for r in stopped.json()["items"]} == {variety}
    assert [(r.run_id, r.rows) for r in stored.runs()] == runs_before


def test_bad_rows_are_422_with_each_reason(client, world):  # noqa: F811
    month = str(world.months[1] + 1)
    body = _post(client, world, {"month": month, "monthly_reports": [
        {"enterprise_id": "NOPE", "variety_id": "V0001", "month": month, "production": 1, "sales": 1, "inventory": 1},
        {"enterprise_id": "E0001", "variety_id": "V0001", "month": month, "production": -5, "sales": 1,
         "inventory": 1},
        {"enterprise_id": "E0001", "variety_id": "V0002", "month": str(world.months[0]), "production": 1,
         "sales": 1, "inventory": 1},
    ]})
    assert body.status_code == 422
    reasons = {r["row"]: r["reason"] for r in body.json()["rejected"]}
    assert reasons == {1: "unknown_enterprise", 2: "negative_value", 3: "wrong_month"}


@pytest.mark.parametrize("payload,fragment", [
    ({"monthly_reports": [{"enterprise_id": "E0001", "variety_id": "V0001", "month": "{m}"}]},
     "monthly_reports.0.production: Field required"),
    ({"procurement": [{"month": "{m}", "province": "x", "variety_id": "V0001", "purchase_volume": 1,
                       "avg_price": 1, "colour": "red"}]}, "procurement.0.colour: Extra inputs are not permitted"),
    ({"variety_ids": ["NOPE"]}, "not in the panel"),
    ({}, "nothing to score"),
])
def test_unusable_requests_say_why(client, world, payload, fragment):  # noqa: F811
    month = str(world.months[1] + 1)
    filled = {k: [{c: (month if v == "{m}" else v) for c, v in row.items()} if isinstance(row, dict) else row
                  for row in rows] for k, rows in payload.items()}
    response = _post(client, world, {"month": month, **filled})
    assert response.status_code == 422 and fragment in response.json()["detail"]


def test_a_month_beyond_reach_is_422(client, world):  # noqa: F811
    response = _post(client, world, {"month": str(world.months[1] + 5), "variety_ids": ["V0001"]})
    assert response.status_code == 422 and "at most" in response.json()["detail"]


def test_a_month_before_the_panel_is_422_naming_the_scorable_months(client, world):  # noqa: F811
    response = _post(client, world, {"month": "1999-01", "variety_ids": ["V0001"]})
    assert response.status_code == 422
    assert "scorable months:" in response.json()["detail"] and str(world.months[1]) in response.json()["detail"]


def test_next_month_without_rows_is_422_saying_to_post_them(client, world):  # noqa: F811
    month = world.months[1] + 1
    response = _post(client, world, {"month": str(month), "variety_ids": ["V0001"]})
    assert response.status_code == 422
    assert f"post rows of {month}" in response.json()["detail"]


def test_a_requested_variety_without_a_score_says_why(client, world):  # noqa: F811
    month = str(world.months[1] + 1)
    row = {"enterprise_id": "E0001", "variety_id": "V0001", "month": month, "production": 10, "sales": 10,
           "inventory": 10}
    body = _post(client, world, {"month": month, "monthly_reports": [row], "variety_ids": ["V0002"]})
    assert body.status_code == 200, body.text
    scored = {i["variety_id"] for i in body.json()["items"]}
    reasons = {n["variety_id"]: n["reason"] for n in body.json()["not_scored"]}
    assert "V0001" in scored
    assert set(reasons) | scored >= {"V0001", "V0002"} and not set(reasons) & scored


def test_503_bodies_show_no_server_paths(client, world):  # noqa: F811
    svc = client.app.state.service
    panel, error = svc.panel, svc.panel_error
    svc.panel, svc.panel_error = None, "/srv/secret/panel/monthly_reports.csv: cannot be read"
    try:
        response = _post(client, world, {"month": str(world.months[1]), "variety_ids": ["V0001"]})
    finally:
        svc.panel, svc.panel_error = panel, error
    assert response.status_code == 503
    assert "/" not in response.json()["detail"] and "secret" not in response.text
