"""Every contract rule, one failing row each: the row is quarantined with its reason, the rest kept."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from shortage_radar.contract.panel import read_panel

# (table, changes applied to a copy of the table's first row, expected reason, column)
CASES = [
    ("monthly_reports", {"production": "-1"}, "negative_value", "production"),
    ("monthly_reports", {"sales": "-0.5"}, "negative_value", "sales"),
    ("monthly_reports", {"inventory": "-3"}, "negative_value", "inventory"),
    ("monthly_reports", {"capacity": "-3"}, "negative_value", "capacity"),
    ("monthly_reports", {"api_stock_months": "-1"}, "negative_value", "api_stock_months"),
    ("monthly_reports", {"safety_stock": "-1"}, "negative_value", "safety_stock"),
    ("monthly_reports", {"contracted_volume": "-9"}, "negative_value", "contracted_volume"),
    ("monthly_reports", {"delivered_volume": "-9"}, "negative_value", "delivered_volume"),
    ("procurement", {"purchase_volume": "-1"}, "negative_value", "purchase_volume"),
    ("institution_reports", {"reports": "-2"}, "negative_value", "reports"),
    ("varieties", {"variety_id": "V9", "vbp_batch": "-1"}, "negative_value", "vbp_batch"),
    ("monthly_reports", {"ex_factory_price": "0"}, "non_positive_price", "ex_factory_price"),
    ("procurement", {"avg_price": "-2"}, "non_positive_price", "avg_price"),
    ("procurement", {"avg_price": "0"}, "non_positive_price", "avg_price"),
    ("monthly_reports", {"variety_id": "V404"}, "unknown_variety", "variety_id"),
    ("procurement", {"variety_id": "V404"}, "unknown_variety", "variety_id"),
    ("institution_reports", {"variety_id": "V404"}, "unknown_variety", "variety_id"),
    ("shortage_events", {"variety_id": "V404"}, "unknown_variety", "variety_id"),
    ("monthly_reports", {"enterprise_id": "E404"}, "unknown_enterprise", "enterprise_id"),
    ("suspensions", {"enterprise_id": "E404"}, "unknown_enterprise", "enterprise_id"),
    ("supply_disruptions", {"enterprise_id": "E404"}, "unknown_enterprise", "enterprise_id"),
    ("varieties", {}, "duplicate_key", "variety_id"),
    ("enterprises", {"name": "Other"}, "duplicate_key", "enterprise_id"),
    ("monthly_reports", {"production": "1"}, "duplicate_key", "enterprise_id, variety_id, month"),
    ("procurement", {}, "duplicate_key", "month, province, variety_id"),
    ("institution_reports", {}, "duplicate_key", "month, province, variety_id"),
    ("suspensions", {"reason": "other"}, "duplicate_key", "enterprise_id, variety_id, start_month"),
    ("shortage_events", {}, "duplicate_key", "variety_id, start_month"),
    ("supply_disruptions", {}, "duplicate_key", "enterprise_id, variety_id, start_month"),
    ("monthly_reports", {"month": "2022-13"}, "unparseable_month", "month"),
    ("monthly_reports", {"month": "Jan 2022"}, "unparseable_month", "month"),
    ("monthly_reports", {"month": "2022-05-17"}, "unparseable_month", "month"),
    ("procurement", {"month": "22-01"}, "unparseable_month", "month"),
    ("procurement", {"month": "0000-01"}, "unparseable_month", "month"),  # pandas has no year 0
    ("monthly_reports", {"month": "9999-12"}, "unparseable_month", "month"),
    ("suspensions", {"reported_month": "soon"}, "unparseable_month", "reported_month"),
    ("shortage_events", {"end_month": "2022/99"}, "unparseable_month", "end_month"),
    ("suspensions", {"reason": "aliens"}, "unknown_category", "reason"),
    ("shortage_events", {"scope": "planetary"}, "unknown_category", "scope"),
    ("shortage_events", {"start_month": "2022-01", "reason": "bad_luck"}, "unknown_category", "reason"),
    ("suspensions", {"reported_month": "2022-04"}, "late_report", "reported_month"),
    ("suspensions", {"expected_end_month": "2022-01"}, "end_before_start", "expected_end_month"),
    ("suspensions", {"actual_end_month": "2021-12"}, "end_before_start", "actual_end_month"),
    ("shortage_events", {"end_month": "2022-02"}, "end_before_start", "end_month"),
    ("supply_disruptions", {"end_month": "2022-01"}, "end_before_start", "end_month"),
    ("monthly_reports", {"sales": "ninety"}, "unparseable_number", "sales"),
    ("monthly_reports", {"production": "inf"}, "unparseable_number", "production"),
    ("institution_reports", {"reports": "1.5"}, "unparseable_number", "reports"),
    ("institution_reports", {"reports": "9.3e18"}, "unparseable_number", "reports"),
    ("varieties", {"variety_id": "V9", "on_shortage_list": "perhaps"}, "unparseable_bool", "on_shortage_list"),
    ("enterprises", {"enterprise_id": "E9", "is_reserve": "2"}, "unparseable_bool", "is_reserve"),
    ("monthly_reports", {"enterprise_id": None}, "missing_value", "enterprise_id"),
    ("suspensions", {"start_month": "2022-03", "reported_month": None}, "missing_value", "reported_month"),
]


def _with_bad_row(tables: dict, table: str, changes: dict) -> dict:
    frame = tables[table]
    bad = {**frame.iloc[0].to_dict(), **changes}
    return {**tables, table: pd.concat([frame, pd.DataFrame([bad])], ignore_index=True)}


@pytest.mark.parametrize(("table", "changes", "reason", "column"), CASES,
                         ids=[f"{c[0]}-{c[2]}-{i}" for i, c in enumerate(CASES)])
def test_rule_quarantines_the_bad_row_and_keeps_the_rest(tables, write_panel, table, changes, reason, column):
    clean_counts = {name: len(frame) for name, frame in tables.items()}
    panel = read_panel(write_panel(_with_bad_row(tables, table, changes)))

    assert len(panel.quarantine) == 1, panel.quarantine[["table", "row", "reason", "detail"]]
    record = panel.quarantine.iloc[0]
    assert (record["table"], record["reason"], record["column"]) == (table, reason, column)
    assert record["row"] == clean_counts[table] + 2  # the appended row's line in the CSV (the header is line 1)
    original = json.loads(record["values"])
    for key, value in changes.items():
        assert original[key] == value
    assert {name: len(frame) for name, frame in panel.tables.items()} == clean_counts


def test_clean_panel_has_no_quarantine_and_typed_columns(tables, write_panel):
    panel = read_panel(write_panel(tables))
    assert panel.quarantine.empty
    reports = panel["monthly_reports"]
    assert str(reports["month"].dtype) == "period[M]"
    assert reports["production"].dtype == "float64"
    assert panel["varieties"]["on_shortage_list"].tolist() == [True, False, True]
    assert panel["varieties"]["vbp_batch"].isna().tolist() == [False, True, False]
    assert panel["suspensions"]["actual_end_month"].isna().all()


def test_allowed_empty_cells_stay_missing(tables, write_panel):
    tables["monthly_reports"].loc[0, ["production", "capacity", "ex_factory_price", "safety_stock"]] = None
    tables["shortage_events"].loc[0, ["end_month", "provinces", "reason"]] = None
    panel = read_panel(write_panel(tables))
    assert panel.quarantine.empty
    assert panel["monthly_reports"].loc[0, ["production", "capacity", "ex_factory_price"]].isna().all()
    assert pd.isna(panel["shortage_events"].loc[0, "end_month"])


def test_months_as_dates_on_the_first_are_accepted(tables, write_panel):
    tables["procurement"]["month"] = tables["procurement"]["month"] + "-01"
    panel = read_panel(write_panel(tables))
    assert panel.quarantine.empty
    assert str(panel["procurement"]["month"].iloc[0]) == "2022-01"


def test_duplicate_keeps_the_first_clean_row(tables, write_panel):
    first = tables["procurement"].iloc[0].to_dict()
    tables = _with_bad_row(tables, "procurement", {"purchase_volume": "999"})
    panel = read_panel(write_panel(tables))
    kept = panel["procurement"]
    match = kept[(kept["province"] == first["province"]) & (kept["variety_id"] == first["variety_id"])
                 & (kept["month"].astype(str) == first["month"])]
    assert match["purchase_volume"].tolist() == [40.0]


def test_a_bad_first_row_does_not_cost_its_duplicate(tables, write_panel):
    """When the first of a key breaks a rule, the later clean row with that key is kept."""
    frame = tables["procurement"]
    bad_first = {**frame.iloc[0].to_dict(), "avg_price": "0"}
    tables["procurement"] = pd.concat([pd.DataFrame([bad_first]), frame], ignore_index=True)
    panel = read_panel(write_panel(tables))
    assert panel.quarantine["reason"].tolist() == ["non_positive_price"]
    assert len(panel["procurement"]) == len(frame)


def test_rows_of_a_quarantined_variety_are_quarantined_as_unknown(tables, write_panel):
    tables["varieties"].loc[2, "on_key_monitoring_list"] = "unsure"  # V3's own row is bad
    panel = read_panel(write_panel(tables))
    reasons = panel.quarantine.groupby("table")["reason"].unique().to_dict()
    assert list(reasons["varieties"]) == ["unparseable_bool"]
    assert list(reasons["procurement"]) == ["unknown_variety"]
    assert "V3" not in set(panel["procurement"]["variety_id"])


def test_parquet_panel_reads_like_csv(tables, write_panel):
    from_csv = read_panel(write_panel(tables, "csv"))
    from_parquet = read_panel(write_panel(tables, "parquet"))
    for name in tables:
        pd.testing.assert_frame_equal(from_csv[name], from_parquet[name])


def test_typed_parquet_columns_are_accepted(tables, write_panel):
    tables["procurement"]["purchase_volume"] = tables["procurement"]["purchase_volume"].astype(float)
    tables["procurement"]["month"] = pd.to_datetime(tables["procurement"]["month"])
    tables["varieties"]["on_shortage_list"] = tables["varieties"]["on_shortage_list"].eq("true")
    panel = read_panel(write_panel(tables, "parquet"))
    assert panel.quarantine.empty
    assert str(panel["procurement"]["month"].iloc[0]) == "2022-01"


def test_panel_without_optional_tables(tables, write_panel):
    only = {k: tables[k] for k in ("varieties", "procurement", "shortage_events")}
    panel = read_panel(write_panel(only))
    assert set(panel.tables) == set(only)
    assert panel.quarantine.empty
