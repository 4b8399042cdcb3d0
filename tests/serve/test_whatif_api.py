"""POST /v1/whatif answers what the library computes, in the user's language; bad scenarios are one-line 422s."""

from __future__ import annotations

import pandas as pd
import pytest
from serve_helpers import client, headers, world  # noqa: F401 - fixtures

from shortage_radar.contract.panel import read_panel
from shortage_radar.models.policy import warning_policy
from shortage_radar.models.registry import load_champion, mlflow_config, use_tracking
from shortage_radar.models.settings import model_config
from shortage_radar.models.whatif import Scenario, what_if


def _enterprise(world) -> str:  # noqa: F811
    reports = read_panel(world.panel_dir)["monthly_reports"]
    return str(reports["enterprise_id"].value_counts().index[0])


def test_whatif_answers_the_library_result(client, world):  # noqa: F811
    month, e = world.months[1], _enterprise(world)
    body = {"month": str(month), "suspend": e, "months": 3}
    got = client.post("/v1/whatif", json=body, headers=headers(world, "score"))
    assert got.status_code == 200, got.text
    answer = got.json()
    assert answer["scenario"] == {"suspend": e, "months": 3} and answer["month"] == str(month)
    use_tracking(world.tracking_uri)
    model, _ = load_champion(mlflow_config().variety_model)
    expected = what_if(read_panel(world.panel_dir), month, model, warning_policy(), model_config(),
                       Scenario("suspend", e, 3))
    assert [i["variety_id"] for i in answer["items"]] == list(expected["variety_id"])
    assert [i["risk_after"] for i in answer["items"]] == pytest.approx(list(expected["risk_after"]))
    item = answer["items"][0]
    assert {"variety_id", "generic_name", "risk_before", "risk_after", "level_before", "level_after",
            "drivers_after"} <= set(item)
    chinese = client.post("/v1/whatif", json=body, params={"lang": "zh"}, headers=headers(world, "score")).json()
    said = [i["drivers_after"] for i in chinese["items"] if i["drivers_after"]]
    assert said and all(any("\u4e00" <= ch <= "\u9fff" for ch in d) for ds in said for d in ds)


@pytest.mark.parametrize("body", [
    {"month": "2024-01"},
    {"month": "2024-01", "suspend": "E1", "api_shortage": "x"},
    {"month": "2024-01", "api_shortage": "x", "months": 2},
    {"month": "2024-01", "demand_surge": {"variety_id": "V1", "pct": -100}},
])
def test_a_request_without_exactly_one_scenario_is_422(client, world, body):  # noqa: F811
    got = client.post("/v1/whatif", json=body, headers=headers(world, "score"))
    assert got.status_code == 422 and got.json()["detail"]


def test_unknown_target_and_later_month_are_one_line_422s(client, world):  # noqa: F811
    month = world.months[1]
    unknown = client.post("/v1/whatif", json={"month": str(month), "suspend": "E_NOPE"},
                          headers=headers(world, "score"))
    assert unknown.status_code == 422 and "E_NOPE" in unknown.json()["detail"]
    later = client.post("/v1/whatif", json={"month": str(month + 1), "suspend": _enterprise(world)},
                        headers=headers(world, "score"))
    assert later.status_code == 422
    assert client.post("/v1/whatif", json={"month": str(month), "suspend": "E1"},
                       headers=headers(world, "read")).status_code == 403
    assert pd.Period(str(month), freq="M") == month
