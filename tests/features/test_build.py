"""Feature values on the hand-built panel, and panels that lack feeds."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from shortage_radar.contract.panel import read_panel
from shortage_radar.features import build_features


def _row(frame: pd.DataFrame, month: str, **keys: str) -> pd.Series:
    mask = frame["month"] == pd.Period(month, "M")
    for k, v in keys.items():
        mask &= frame[k] == v
    assert mask.sum() == 1
    return frame[mask].iloc[0]


def test_supply_values(small_panel):
    variety = build_features(small_panel).variety
    v1 = _row(variety, "2022-03", variety_id="V1")  # two producers, 100 made, 90 sold, 50 in stock each
    assert v1["months_of_supply"] == pytest.approx(100 / 180)
    assert v1["capacity_use"] == pytest.approx(200 / 300)
    assert v1["producers_active"] == 2
    assert v1["top_producer_share"] == pytest.approx(0.5)
    assert v1["producer_hhi"] == pytest.approx(0.5)
    assert v1["delivery_ratio"] == pytest.approx(78 / 80)


def test_suspension_counts_only_from_the_reported_month(small_panel):
    pair = build_features(small_panel).pair
    # E1-V2 stops from 2022-02 but the report is filed in 2022-03
    assert _row(pair, "2022-02", enterprise_id="E1", variety_id="V2")["suspension_open"] == 0
    opened = _row(pair, "2022-03", enterprise_id="E1", variety_id="V2")
    assert opened["suspension_open"] == 1 and opened["suspended_api_shortage"] == 1
    assert opened["suspension_time_vs_expected"] == pytest.approx(2 / 3)


def test_history_and_ongoing(small_panel):
    variety = build_features(small_panel).variety
    assert _row(variety, "2022-02", variety_id="V2")["shortage_ongoing"] == 0
    during = _row(variety, "2022-03", variety_id="V2")
    assert during["shortage_ongoing"] == 1 and during["shortages_last_12m"] == 1
    assert during["months_since_shortage"] == 0


def test_only_some_feeds(tables, write_panel):
    only = {k: tables[k] for k in ("varieties", "procurement", "shortage_events")}
    features = build_features(read_panel(write_panel(only)))
    assert len(features.variety) == 3 * 4
    assert features.pair.empty
    assert features.variety["purchase_price"].notna().all()
    assert "months_of_supply" not in features.variety or features.variety["months_of_supply"].isna().all()


def test_requested_months_only(small_panel):
    features = build_features(small_panel, months=[pd.Period("2022-04", "M")])
    assert set(features.variety["month"].astype(str)) == {"2022-04"}
    assert np.isfinite(features.variety["months_of_supply"]).all()


def test_vbp_batch_is_hidden_until_contracts_appear(tables, write_panel):
    """varieties.vbp_batch has no date; before any contracted volume it must not leak a later selection."""
    reports = tables["monthly_reports"]
    reports.loc[reports["month"] < "2022-03", ["contracted_volume", "delivered_volume"]] = None
    features = build_features(read_panel(write_panel(tables))).variety
    v1 = features[features["variety_id"] == "V1"]
    v1 = v1.set_index(v1["month"].astype(str))["vbp_batch"]
    assert v1[["2022-01", "2022-02"]].isna().all()
    assert (v1[["2022-03", "2022-04"]] == 3).all()
