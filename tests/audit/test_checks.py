"""The audit's checks on hand-built panels, ``filed_on`` in the contract, and point in time."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from shortage_radar.audit import COLUMNS, audit, province_summary
from shortage_radar.audit.filing import known_month
from shortage_radar.audit.settings import audit_config
from shortage_radar.contract.panel import read_panel
from shortage_radar.features import as_known_at, build_features


def _filed(tables, on: dict[tuple[str, str, str], str]) -> dict:
    """Give every report an on-time ``filed_on`` (the 5th of the next month), except those in ``on``."""
    reports = tables["monthly_reports"].copy()
    nxt = (pd.PeriodIndex(reports["month"], freq="M") + 1).to_timestamp() + pd.Timedelta(days=4)
    reports["filed_on"] = nxt.strftime("%Y-%m-%d")
    for (e, v, m), day in on.items():
        reports.loc[(reports["enterprise_id"] == e) & (reports["variety_id"] == v) & (reports["month"] == m),
                    "filed_on"] = day
    return {**tables, "monthly_reports": reports}


def _set(tables, e: str, v: str, m: str, **values) -> dict:
    reports = tables["monthly_reports"].copy()
    row = (reports["enterprise_id"] == e) & (reports["variety_id"] == v) & (reports["month"] == m)
    for column, value in values.items():
        reports.loc[row, column] = value
    return {**tables, "monthly_reports": reports}


def _of(findings: pd.DataFrame, check: str) -> pd.DataFrame:
    return findings[findings["check"] == check]


def test_filed_on_is_read_and_a_bad_date_is_quarantined(tables, write_panel):
    tables = _filed(tables, {("E1", "V1", "2022-02"): "2022-02-30", ("E1", "V1", "2022-03"): "soon"})
    panel = read_panel(write_panel(tables))
    assert str(panel["monthly_reports"]["filed_on"].dtype) == "datetime64[ns]"
    q = panel.quarantine
    assert sorted(q.loc[q["column"] == "filed_on", "reason"]) == ["unparseable_date", "unparseable_date"]
    assert len(panel["monthly_reports"]) == len(tables["monthly_reports"]) - 2


def test_a_panel_without_filed_on_keeps_its_meaning(small_panel):
    reports = small_panel["monthly_reports"]
    assert reports["filed_on"].isna().all()
    assert known_month(reports, audit_config()).equals(reports["month"])


def test_a_late_report_is_missing_in_its_month_and_late_when_it_arrives(tables, write_panel):
    panel = read_panel(write_panel(_filed(tables, {("E1", "V1", "2022-03"): "2022-04-20"})))
    march, april = audit(panel, "2022-03"), audit(panel, "2022-04")
    assert list(march.columns) == COLUMNS and list(april.columns) == COLUMNS
    missing = _of(march, "missing_report")
    assert missing[["enterprise_id", "variety_id", "province"]].values.tolist() == [["E1", "V1", "Beijing"]]
    late = _of(april, "late_report")
    assert late[["enterprise_id", "variety_id"]].values.tolist() == [["E1", "V1"]]
    assert "report for 2022-03 filed 2022-04-20, 10 day(s) after the deadline 2022-04-10" in late["detail"].iat[0]
    assert _of(april, "missing_report").empty and _of(march, "late_report").empty


def test_a_late_report_is_not_known_before_it_was_filed(tables, write_panel):
    panel = read_panel(write_panel(_filed(tables, {("E1", "V1", "2022-02"): "2022-04-01"})))
    reports = as_known_at(panel, pd.Period("2022-03", "M"))["monthly_reports"]
    mine = reports[(reports["enterprise_id"] == "E1") & (reports["variety_id"] == "V1")]
    assert sorted(mine["month"].astype(str)) == ["2022-01", "2022-03"]
    later = as_known_at(panel, pd.Period("2022-04", "M"))["monthly_reports"]
    assert len(later) == len(panel["monthly_reports"])


@pytest.mark.parametrize("t", ["2022-02", "2022-03", "2022-04"])
def test_leak_the_values_of_a_late_report_never_reach_features_before_it_was_filed(tables, write_panel, t):
    """A report filed after t (late) may carry any figures: the features as of t stay the same."""
    late = _filed(tables, {("E1", "V1", "2022-02"): "2022-05-02"})
    a = read_panel(write_panel(late))
    b = read_panel(write_panel(_set(late, "E1", "V1", "2022-02", production="7", sales="9000", inventory="1")))
    month = pd.Period(t, "M")
    for fa, fb in zip(build_features(a, months=[month]).__dict__.values(),
                      build_features(b, months=[month]).__dict__.values(), strict=True):
        pd.testing.assert_frame_equal(fa, fb)


def test_the_leak_check_can_fail(tables, write_panel):
    """Guard: the same edit on an on-time report does change the features."""
    on_time = _filed(tables, {})
    a = read_panel(write_panel(on_time))
    b = read_panel(write_panel(_set(on_time, "E1", "V1", "2022-02", production="7", sales="9000", inventory="1")))
    month = pd.Period("2022-03", "M")
    assert not build_features(a, months=[month]).variety.equals(build_features(b, months=[month]).variety)


def test_stock_that_does_not_follow_from_the_flows(tables, write_panel):
    panel = read_panel(write_panel(_set(tables, "E2", "V3", "2022-03", inventory="500")))
    found = _of(audit(panel, "2022-03"), "stock_flow")
    assert found[["enterprise_id", "variety_id"]].values.tolist() == [["E2", "V3"]]
    assert "inventory 500" in found["detail"].iat[0] and "= 60.00" in found["detail"].iat[0]
    assert _of(audit(read_panel(write_panel(tables)), "2022-03"), "stock_flow").empty


def test_an_impossible_figure_is_found_and_blanked_for_the_features(tables, write_panel):
    bad = read_panel(write_panel(_set(tables, "E1", "V2", "2022-04", sales="1e308")))
    blank = read_panel(write_panel(_set(tables, "E1", "V2", "2022-04", sales=None)))
    found = _of(audit(bad, "2022-04"), "implausible_value")
    assert found["severity"].tolist() == ["high"] and "sales 1e+308" in found["detail"].iat[0]
    month = pd.Period("2022-04", "M")
    fb, fc = build_features(bad, months=[month]), build_features(blank, months=[month])
    assert fb.variety.set_index("variety_id")["data_doubtful"].to_dict() == {"V1": 0.0, "V2": 1.0, "V3": 0.0}
    pd.testing.assert_frame_equal(fb.variety.drop(columns="data_doubtful"), fc.variety.drop(columns="data_doubtful"))
    assert bad["monthly_reports"]["sales"].max() == 1e308  # kept in the panel, never dropped


def test_under_delivery_and_price_spike(tables, write_panel):
    t = _set(tables, "E2", "V1", "2022-03", delivered_volume="10")
    t = _set(t, "E2", "V1", "2022-04", delivered_volume="20")
    procurement = t["procurement"].copy()
    procurement["avg_price"] = np.where((procurement["month"] == "2022-04") & (procurement["province"] == "Hebei")
                                        & (procurement["variety_id"] == "V3"), "6.0", procurement["avg_price"])
    panel = read_panel(write_panel({**t, "procurement": procurement}))
    found = audit(panel, "2022-04")
    short = _of(found, "under_delivery")
    assert short[["enterprise_id", "variety_id", "severity"]].values.tolist() == [["E2", "V1", "high"]]
    assert "delivered 20.00 of 80.00" in short["detail"].iat[0]
    spike = _of(found, "price_spike")
    assert spike[["province", "variety_id"]].values.tolist() == [["Hebei", "V3"]]
    assert spike["enterprise_id"].isna().all()


def test_province_summary(tables, write_panel):
    panel = read_panel(write_panel(_filed(tables, {("E1", "V1", "2022-03"): "2022-04-20"})))
    summary = province_summary(panel, "2022-03").set_index("province")
    assert summary.loc["Beijing", ["monitored_pairs", "reported_on_time", "missing"]].tolist() == [2, 1, 1]
    assert summary.loc["Hebei", ["monitored_pairs", "reported_on_time", "missing"]].tolist() == [2, 2, 0]


def test_a_bad_month_is_an_argument_error(small_panel):
    from shortage_radar.errors import ArgumentError

    with pytest.raises(ArgumentError, match="expected YYYY-MM"):
        audit(small_panel, "2022-13")
