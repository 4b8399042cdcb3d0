"""The report's data for its analyst views: risk trend over stored runs, months, the "in shortage now" section,
producer provinces for the filters, extension columns when present, the safety line through the forecast."""

from __future__ import annotations

import pandas as pd
import yaml
from report_helpers import report_data

from shortage_radar.contract.suspension_reasons import SUSPENSION_REASONS, reason_words

MONTH = pd.Period("2022-04", freq="M")


def _watchlist(month: pd.Period, risks: dict[str, float], levels: dict[str, int], **extra) -> pd.DataFrame:
    ids = sorted(risks, key=lambda v: -risks[v])
    frame = pd.DataFrame({"entity": "variety", "variety_id": ids, "enterprise_id": None, "month": str(month),
                          "horizon": 3, "risk": [risks[v] for v in ids], "warning_level": [levels[v] for v in ids],
                          "response_tier": "none", "rank": range(1, len(ids) + 1), "drivers": "d",
                          "ongoing": [v == "V2" for v in ids]})
    return frame.assign(**extra)


def _history(*months: tuple[str, dict[str, tuple[float, int]]]) -> pd.DataFrame:
    rows = [{"variety_id": v, "month": m, "risk": r, "warning_level": lv, "rank": i + 1, "run_id": n}
            for n, (m, points) in enumerate(months) for i, (v, (r, lv)) in enumerate(points.items())]
    return pd.DataFrame(rows)


def test_trend_and_months_come_from_the_store_up_to_the_report_month(small_panel, tmp_path):
    from shortage_radar.report import build_report

    history = _history(("2022-02", {"V1": (0.2, 0), "V3": (0.7, 3)}),
                       ("2022-03", {"V1": (0.5, 4), "V2": (0.9, 2), "V3": (0.6, 3)}),
                       ("2022-04", {"V1": (0.0, 0)}),  # stale: the report's own rows replace its month
                       ("2022-05", {"V1": (0.99, 1)}))  # scored later: never shown in an April report
    current = _watchlist(MONTH, {"V1": 0.8, "V2": 0.3, "V3": 0.1}, {"V1": 2, "V2": 0, "V3": 0})
    data = report_data(build_report(small_panel, current, MONTH, tmp_path / "r.html", history=history,
                                    store_months=["2022-02", "2022-03", "2022-05"]))
    hist = data["history"]
    assert hist["months"] == ["2022-02", "2022-03", "2022-04"]
    assert hist["rows"]["V1"] == [[0.2, 0, 1], [0.5, 4, 1], [0.8, 2, 1]]
    assert hist["rows"]["V2"] == [None, [0.9, 2, 2], [0.3, 0, 2]]
    assert data["store_months"] == ["2022-02", "2022-03", "2022-04", "2022-05"]


def test_without_a_store_the_history_is_the_report_month(small_panel, tmp_path):
    from shortage_radar.report import build_report

    current = _watchlist(MONTH, {"V1": 0.8, "V2": 0.3, "V3": 0.1}, {"V1": 2, "V2": 0, "V3": 0})
    data = report_data(build_report(small_panel, current, MONTH, tmp_path / "r.html"))
    assert data["history"]["months"] == ["2022-04"] and data["store_months"] == ["2022-04"]
    assert data["history"]["rows"]["V3"] == [[0.1, 0, 3]]


def test_in_shortage_now_has_duration_and_producers_affected(small_panel, tmp_path):
    """V2: shortage since 2022-03 (ongoing), its one producer E1 suspended since 2022-02 (reported 2022-03)."""
    from shortage_radar.report import build_report

    current = _watchlist(MONTH, {"V1": 0.8, "V2": 0.3, "V3": 0.1}, {"V1": 2, "V2": 0, "V3": 0})
    data = report_data(build_report(small_panel, current, MONTH, tmp_path / "r.html"))
    assert data["in_shortage"] == [{"variety_id": "V2", "since": "2022-03", "months": 2, "scope": "provincial",
                                    "producers": 1, "suspended": ["E1"]}]
    assert "E1" in data["enterprises"]
    before = report_data(build_report(small_panel, current.assign(month="2022-02"), MONTH - 2, tmp_path / "b.html"))
    assert before["in_shortage"] == [{"variety_id": "V2", "since": None, "months": None, "scope": None,
                                      "producers": 1, "suspended": []}]  # nothing known yet in February


def test_producer_provinces_and_names_feed_the_filters(small_panel, tmp_path):
    from shortage_radar.report import build_report

    current = _watchlist(MONTH, {"V1": 0.8, "V2": 0.3, "V3": 0.1}, {"V1": 2, "V2": 0, "V3": 0})
    info = report_data(build_report(small_panel, current, MONTH, tmp_path / "r.html"))["varieties"]
    assert info["V1"]["provinces"] == ["Beijing", "Hebei"] and info["V3"]["provinces"] == ["Hebei"]
    assert (info["V2"]["name"], info["V2"]["form"], info["V2"]["class"]) == ("heparin", "injection", "anticoagulant")
    assert info["V1"]["vbp_batch"] == 3 and info["V2"]["vbp_batch"] is None and info["V3"]["essential"] is None


def test_extension_columns_are_shown_when_present_and_absent_otherwise(small_panel, tmp_path):
    from shortage_radar.report import build_report

    plain = _watchlist(MONTH, {"V1": 0.8, "V2": 0.3, "V3": 0.1}, {"V1": 2, "V2": 0, "V3": 0})
    data = report_data(build_report(small_panel, plain, MONTH, tmp_path / "a.html"))
    assert data["optional"] == [] and not {"impact", "level_reason", "drivers_zh"} & set(data["rows"][0])
    extended = plain.assign(impact=[3, 1, 0], level_reason=["risk >= 0.6 and 2 provinces", "", None],
                            drivers_zh=["库存不足", "", ""])
    data = report_data(build_report(small_panel, extended, MONTH, tmp_path / "b.html"))
    assert data["optional"] == ["impact", "level_reason", "drivers_zh"]
    first = data["rows"][0]
    assert (first["impact"], first["level_reason"]) == (3, "risk >= 0.6 and 2 provinces")
    assert first["drivers_zh"] == "库存不足"
    assert data["rows"][2]["level_reason"] is None


def test_the_safety_line_runs_through_the_forecast(small_panel, tmp_path):
    from shortage_radar.report import build_report

    current = _watchlist(MONTH, {"V1": 0.8, "V2": 0.3, "V3": 0.1}, {"V1": 2, "V2": 0, "V3": 0})
    data = report_data(build_report(small_panel, current, MONTH, tmp_path / "r.html"))
    traces = {t.get("name"): t for t in data["details"]["V1"]["figure"]["data"]}
    ahead = traces["safety line ahead 安全库存(延续)"]
    horizon = data["forecast_horizon"]
    assert ahead["x"] == [f"{MONTH + k}-01" for k in range(0, horizon + 1)]
    assert ahead["y"] == [60.0] * (horizon + 1)  # two producers' declared 30 each, carried from the last report
    assert traces["safety line 安全库存"]["x"][-1] == f"{MONTH}-01"  # the declared line itself stops at the month


def test_suspension_reasons_have_words_for_every_contract_category():
    from shortage_radar.config import config_text

    categories = yaml.safe_load(config_text("contract"))["suspension_reasons"]
    assert sorted(SUSPENSION_REASONS) == sorted(categories)
    assert all(en and zh and en != zh for en, zh in SUSPENSION_REASONS.values())
    assert reason_words("api_shortage", "zh") == "原料药短缺" and reason_words("unknown_code") == "unknown_code"


def test_supplier_criticality_is_shown_only_when_given(small_panel, tmp_path):
    from shortage_radar.report import build_report

    current = _watchlist(MONTH, {"V1": 0.8, "V2": 0.3, "V3": 0.1}, {"V1": 2, "V2": 0, "V3": 0})
    assert report_data(build_report(small_panel, current, MONTH, tmp_path / "a.html"))["criticality"] is None
    empty = pd.DataFrame(columns=["supplier_rank", "enterprise_id", "variety_id", "risk_before", "risk_after",
                                  "level_before", "level_after", "newly"])
    assert report_data(build_report(small_panel, current, MONTH, tmp_path / "c.html", criticality=empty))[
        "criticality"] == []
    table = pd.DataFrame({"supplier_rank": [2, 1], "enterprise_id": ["E2", "E1"], "variety_id": ["V3", "V2"],
                          "name": ["Beta", "Alpha"], "risk_before": [0.1, 0.3], "risk_after": [0.62, 0.91],
                          "level_before": [4, 3], "level_after": [2, 1], "newly": [True, True]})
    data = report_data(build_report(small_panel, current, MONTH, tmp_path / "b.html", criticality=table))
    assert [(r["rank"], r["enterprise_id"], r["variety_id"]) for r in data["criticality"]] == [
        (1, "E1", "V2"), (2, "E2", "V3")]
    assert data["criticality"][0]["level_after"] == 1 and {"E1", "E2"} <= set(data["enterprises"])
