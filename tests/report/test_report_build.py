"""The report file: self-contained, the watchlist's rows and changes, point-in-time details, valid Plotly figures."""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go
import pytest
from report_helpers import Case, build_case, make_watchlist, report_data

from shortage_radar.contract.suspension_reasons import reason_words
from shortage_radar.report.build import detailed_varieties
from shortage_radar.report.settings import report_config
from shortage_radar.report.tables import normalise


@pytest.fixture(scope="module")
def case(demo_panel, tmp_path_factory) -> Case:
    return build_case(demo_panel, tmp_path_factory.mktemp("report"))


def test_one_self_contained_file_with_plotly_inlined_once(case):
    html = case.path.read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|img|iframe)[^>]*\s(src|href)\s*=\s*[\"']?\s*(https?:)?//", html, re.I)
    from plotly.offline import get_plotlyjs

    bundle = get_plotlyjs()
    assert html.count(bundle) == 1
    ours = html.replace(bundle, "")
    assert not re.search(r"https?://", ours)  # our page and data name no URL (the bundle's defaults only serve geo)
    assert ours.count("Plotly.newPlot") == 2  # only the lazy calls when a variety is opened (chart, risk trend)


def test_table_rows_are_the_watchlist_in_rank_order(case):
    current = case.current
    data = report_data(case.path)
    for entity in ("variety", "enterprise"):
        rows = [r for r in data["rows"] if r["entity"] == entity]
        expected = current[current["entity"] == entity].sort_values("rank")
        assert [r["variety_id"] for r in rows] == expected["variety_id"].tolist()
        assert [r["enterprise_id"] for r in rows] == expected["enterprise_id"].tolist()
        assert [r["level"] for r in rows] == expected["warning_level"].tolist()
    assert data["names"]["1"] == ["red I", "红色预警 I级"]


def test_changes_since_last_month(case):
    previous = case.previous
    data = report_data(case.path)
    before = previous.set_index(["entity", "variety_id", "enterprise_id"])
    checked = set()
    for row in data["rows"]:
        key = (row["entity"], row["variety_id"], row["enterprise_id"])
        old_level = int(before.loc[key, "warning_level"]) if key in before.index else 0
        now, old = (5 - row["level"]) % 5, (5 - old_level) % 5  # severity: none 0 .. red 4
        expected = "new" if now and not old else "up" if now > old else "down" if now < old else "same"
        assert row["change"] == expected, key
        if key in before.index:
            assert row["rank_move"] == before.loc[key, "rank"] - row["rank"]
        else:
            assert row["rank_move"] is None
        checked.add(expected)
    assert {"new", "down", "same"} <= checked


def test_without_previous_there_is_no_change_column(case, demo_panel, tmp_path):
    from shortage_radar.report import build_report

    forecasts = pd.DataFrame(columns=["entity", "variety_id", "month", "target_month", "series", "mean", "lo_80",
                                      "hi_80", "lo_95", "hi_95", "model"])
    path = build_report(demo_panel, case.current, case.month, tmp_path / "r.html", forecasts=forecasts)
    data = report_data(path)
    assert data["previous_month"] is None
    assert {r["change"] for r in data["rows"]} == {""}
    assert not any(d["has_forecast"] for d in data["details"].values())


def test_details_for_the_top_varieties_and_every_warned_one(case):
    current = case.current
    cfg = report_config()
    data = report_data(case.path)
    varieties = current[current["entity"] == "variety"]
    expected = set(varieties.nsmallest(cfg.detail_top, "rank")["variety_id"]) | set(
        varieties.loc[varieties["warning_level"] > 0, "variety_id"])
    assert set(data["details"]) == expected
    capped = detailed_varieties(normalise(current), cfg.model_copy(update={"detail_top": 0, "detail_max": 3}))
    assert capped == varieties[varieties["warning_level"] > 0].nsmallest(3, "rank")["variety_id"].tolist()


def test_every_figure_is_valid_plotly(case):
    data = report_data(case.path)
    for detail in data["details"].values():
        figure = go.Figure(detail["figure"])  # raises on an unknown property or bad value
        assert len(figure.data) >= 3


def _plain(values: pd.Series, decimals: int) -> list:
    return [None if pd.isna(v) else round(float(v), decimals) for v in values]


def _trace(figure: dict, name: str) -> dict:
    return next(t for t in figure["data"] if t.get("name") == name)


def test_history_is_the_sum_over_producers_up_to_the_month(case, demo_panel):
    data = report_data(case.path)
    reports = demo_panel["monthly_reports"]
    cfg = report_config()
    for vid, detail in list(data["details"].items())[:5]:
        mine = reports[(reports["variety_id"].astype(str) == vid) & (reports["month"] <= case.month)
                       & (reports["month"] > case.month - cfg.history_months)]
        sums = mine.groupby("month")[["sales", "inventory", "safety_stock"]].sum(min_count=1)
        sales = _trace(detail["figure"], "sales")
        assert sales["x"][-1] == case.month.start_time.strftime("%Y-%m-%d")  # nothing after the month
        assert len(sales["x"]) == len(sums)
        assert sales["y"] == _plain(sums["sales"], cfg.value_decimals)
        safety = _trace(detail["figure"], "safety line 安全库存")
        assert safety["y"] == _plain(sums["safety_stock"], cfg.value_decimals)
        assert safety["yaxis"] == _trace(detail["figure"], "inventory")["yaxis"]


def test_forecasts_cover_the_horizon_after_the_month(case):
    data = report_data(case.path)
    horizon = report_config().forecast_horizon
    detail = next(iter(data["details"].values()))
    assert detail["has_forecast"]
    mean = _trace(detail["figure"], "sales forecast")
    expected = [(case.month + k).start_time.strftime("%Y-%m-%d") for k in range(0, horizon + 1)]
    assert mean["x"] == expected  # joined at the last observed month, then t+1 .. t+h
    bands = [t for t in detail["figure"]["data"] if t.get("fill") == "tonexty" and t["yaxis"] == mean["yaxis"]]
    assert len(bands) == 2


def test_given_forecasts_are_used_as_they_are(case, demo_panel, tmp_path):
    from shortage_radar.report import build_report

    current = case.current
    top = current[current["entity"] == "variety"].nsmallest(1, "rank")["variety_id"].iloc[0]
    rows = [{"entity": "variety", "variety_id": top, "enterprise_id": "", "month": str(case.month),
             "target_month": str(case.month + k), "series": s, "mean": 12345.0 + k, "lo_80": 1.0, "hi_80": 2.0,
             "lo_95": 0.5, "hi_95": 3.0, "model": "Test"} for s in ("sales", "production", "inventory")
            for k in (1, 2)]
    stale = dict(rows[0], month=str(case.month - 1), mean=999.0)  # made as of another month: ignored
    path = build_report(demo_panel, current, case.month, tmp_path / "r.html",
                        forecasts=pd.DataFrame([*rows, stale]))
    figure = report_data(path)["details"][top]["figure"]
    assert _trace(figure, "sales forecast")["y"][1:] == [12346.0, 12347.0]


def _suspension_texts(figure: dict) -> list[str]:
    return [t for trace in figure["data"] if trace.get("yaxis") == "y4" for t in trace["text"] if t]


def test_suspensions_are_point_in_time(case, demo_panel, tmp_path):
    """A suspension reported after the month is absent; one that ended after it shows as ongoing."""
    from shortage_radar.contract.panel import Panel
    from shortage_radar.report import build_report

    reports = demo_panel["monthly_reports"]
    vid, e1 = reports[["variety_id", "enterprise_id"]].astype(str).iloc[0]
    m = case.month
    susp = pd.DataFrame({
        "enterprise_id": [e1, e1], "variety_id": [vid, vid], "start_month": [m - 3, m + 1],
        "reported_month": [m - 2, m + 1], "expected_end_month": [m + 2, pd.NaT],
        "actual_end_month": [m + 1, pd.NaT], "reason": ["equipment", "api_shortage"]})
    susp = susp.astype({c: "period[M]" for c in ("start_month", "reported_month", "expected_end_month",
                                                  "actual_end_month")})
    tables = dict(demo_panel.tables, suspensions=susp)
    panel = Panel(source=demo_panel.source, tables=tables, quarantine=demo_panel.quarantine,
                  results=demo_panel.results)
    watchlist = make_watchlist(panel, m, seed=1)
    watchlist.loc[(watchlist["entity"] == "variety") & (watchlist["variety_id"] == vid), "warning_level"] = 4
    detail = report_data(build_report(panel, watchlist, m, tmp_path / "r.html"))["details"][vid]
    assert detail["suspensions"] == [{"enterprise_id": e1, "start": str(m - 3), "reported": str(m - 2),
                                      "expected_end": str(m + 2), "actual_end": None, "reason": "equipment"}]
    texts = _suspension_texts(detail["figure"])
    assert texts and all("ongoing" in t and reason_words("api_shortage") not in t for t in texts)
    assert all(reason_words("equipment") in t and reason_words("equipment", "zh") in t for t in texts)


def test_a_panel_without_enterprise_feeds_still_gives_a_report(write_panel, tmp_path):
    """Only varieties and procurement: variety rows only, no volumes, no suspensions, no forecasts; no crash."""
    from conftest import small_tables

    from shortage_radar.contract.panel import read_panel
    from shortage_radar.report import build_report

    tables = small_tables()
    panel = read_panel(write_panel({"varieties": tables["varieties"], "procurement": tables["procurement"]}))
    month = pd.Period("2022-04", freq="M")
    watchlist = pd.DataFrame({"entity": "variety", "variety_id": ["V2", "V1", "V3"], "enterprise_id": None,
                              "month": str(month), "horizon": 3, "risk": [0.9, 0.5, 0.1], "warning_level": [2, 0, 0],
                              "response_tier": ["provincial", "none", "none"], "rank": [1, 2, 3],
                              "drivers": ["stock cover 0.1 months", "", None]})
    data = report_data(build_report(panel, watchlist, month, tmp_path / "r.html"))
    assert [r["variety_id"] for r in data["rows"]] == ["V2", "V1", "V3"]
    assert data["enterprises"] == {}
    detail = data["details"]["V2"]
    assert not detail["has_forecast"] and detail["suspensions"] == []
    go.Figure(detail["figure"])
