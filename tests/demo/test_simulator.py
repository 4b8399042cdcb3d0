"""The demo simulator: deterministic, in contract format, clean, and mechanism-driven."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from shortage_radar.demo import (
    TABLES,
    build_demo_panel,
    load_demo_config,
    national_config,
    simulate_panel,
    write_panel,
)
from shortage_radar.demo.panel import simulate_with_truth
from shortage_radar.demo.reasons import REASONS

COLUMNS = {
    "varieties": ["variety_id", "generic_name", "dosage_form", "on_shortage_list", "on_key_monitoring_list",
                  "vbp_batch", "essential", "therapeutic_class"],
    "enterprises": ["enterprise_id", "name", "province", "is_reserve"],
    "monthly_reports": ["enterprise_id", "variety_id", "month", "production", "sales", "inventory", "capacity",
                        "api_stock_months", "ex_factory_price", "contracted_volume", "delivered_volume",
                        "safety_stock", "filed_on"],
    "suspensions": ["enterprise_id", "variety_id", "start_month", "reported_month", "expected_end_month",
                    "actual_end_month", "reason"],
    "institution_reports": ["month", "province", "variety_id", "reports"],
    "procurement": ["month", "province", "variety_id", "purchase_volume", "avg_price"],
    "shortage_events": ["variety_id", "start_month", "end_month", "scope", "provinces", "reason"],
    "supply_disruptions": ["enterprise_id", "variety_id", "start_month", "end_month"],
}
KEYS = {
    "varieties": ["variety_id"],
    "enterprises": ["enterprise_id"],
    "monthly_reports": ["enterprise_id", "variety_id", "month"],
    "suspensions": ["enterprise_id", "variety_id", "start_month"],
    "institution_reports": ["month", "province", "variety_id"],
    "procurement": ["month", "province", "variety_id"],
    "shortage_events": ["variety_id", "start_month"],
    "supply_disruptions": ["enterprise_id", "variety_id", "start_month"],
}
MONTH_COLUMNS = {"month", "start_month", "end_month", "reported_month", "expected_end_month", "actual_end_month"}
VOLUMES = {
    "monthly_reports": ["production", "sales", "inventory", "capacity", "api_stock_months", "contracted_volume",
                        "delivered_volume", "safety_stock"],
    "procurement": ["purchase_volume"],
    "institution_reports": ["reports"],
}
PRICES = {"monthly_reports": ["ex_factory_price"], "procurement": ["avg_price"]}
SCOPES = {"national", "provincial", "city", "county"}
MONTH_PATTERN = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def small(seed: int = 11, n_varieties: int = 40, n_months: int = 36, **more: dict) -> object:
    """A small panel config (seconds to simulate), with optional nested overrides."""
    overrides = {"seed": seed, "size": {"n_varieties": n_varieties, "n_enterprises": 100},
                 "calendar": {"n_months": n_months}, **more}
    return load_demo_config(overrides)


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return simulate_panel(small())


@pytest.fixture(scope="module")
def medium():
    """A larger panel with its latent truth, for rates that need more events."""
    return simulate_with_truth(small(seed=5, n_varieties=150, n_months=60))


def _month(column: pd.Series) -> pd.Series:
    return column.dropna().astype(str).map(lambda m: pd.Period(m, freq="M"))


# determinism

def test_same_seed_gives_identical_tables_and_bytes(tables, tmp_path):
    again = simulate_panel(small())
    for name in TABLES:
        pd.testing.assert_frame_equal(tables[name], again[name])
    first, second = write_panel(tables, tmp_path / "a"), write_panel(again, tmp_path / "b")
    for name in TABLES:
        assert (first / f"{name}.csv").read_bytes() == (second / f"{name}.csv").read_bytes(), name


def test_different_seed_gives_different_tables(tables):
    other = simulate_panel(small(seed=12))
    assert not tables["monthly_reports"].equals(other["monthly_reports"])
    assert not tables["procurement"].equals(other["procurement"])


# format

def test_all_eight_tables_with_exactly_the_contract_columns(tables):
    assert list(tables) == list(TABLES)
    for name, columns in COLUMNS.items():
        assert list(tables[name].columns) == columns, name


def test_months_are_yyyy_mm_strings(tables):
    for name, frame in tables.items():
        for column in MONTH_COLUMNS & set(frame.columns):
            values = frame[column].dropna().astype(str)
            assert values.map(lambda m: bool(MONTH_PATTERN.match(m))).all(), (name, column)


def test_keys_are_unique(tables):
    for name, key in KEYS.items():
        assert not tables[name].duplicated(key).any(), name


def test_no_negative_volumes_and_positive_prices(tables):
    for name, columns in VOLUMES.items():
        for column in columns:
            assert (tables[name][column].dropna() >= 0).all(), (name, column)
    for name, columns in PRICES.items():
        for column in columns:
            assert (tables[name][column].dropna() > 0).all(), (name, column)
    assert tables["monthly_reports"][["production", "sales", "inventory"]].notna().all().all()


def test_categories_are_valid(tables):
    provinces = set(load_demo_config().provinces.names)
    assert set(tables["suspensions"]["reason"].astype(str)) <= set(REASONS)
    events = tables["shortage_events"]
    assert set(events["scope"].astype(str)) <= SCOPES
    assert set(events["reason"].dropna().astype(str)) <= set(REASONS)
    listed = events["provinces"].dropna().astype(str).str.split(";").explode()
    assert set(listed) <= provinces
    national = events["scope"] == "national"
    assert events.loc[national, "provinces"].isna().all()
    assert events.loc[~national, "provinces"].notna().all()
    assert set(tables["enterprises"]["province"].astype(str)) <= provinces
    assert set(tables["procurement"]["province"].astype(str)) == provinces


def test_every_referenced_id_exists(tables):
    varieties = set(tables["varieties"]["variety_id"].astype(str))
    enterprises = set(tables["enterprises"]["enterprise_id"].astype(str))
    for name, frame in tables.items():
        if name != "varieties" and "variety_id" in frame:
            assert set(frame["variety_id"].astype(str)) <= varieties, name
        if name != "enterprises" and "enterprise_id" in frame:
            assert set(frame["enterprise_id"].astype(str)) <= enterprises, name


def test_suspensions_are_reported_on_time_and_end_after_start(tables):
    s = tables["suspensions"]
    start, reported = _month(s["start_month"]), _month(s["reported_month"])
    delay = (reported - start).map(lambda d: d.n)
    assert delay.isin([0, 1]).all()
    for column in ("expected_end_month", "actual_end_month"):
        ends = _month(s[column])
        assert (ends >= start[ends.index]).all(), column
    permanent = s["reason"] == "discontinued"
    assert s.loc[~permanent, "expected_end_month"].notna().all()


def test_episode_ends_are_not_before_starts(tables):
    for name in ("shortage_events", "supply_disruptions"):
        frame = tables[name]
        ends = _month(frame["end_month"])
        assert (ends >= _month(frame["start_month"])[ends.index]).all(), name


def test_procurement_covers_every_province_variety_month(tables):
    n = len(tables["varieties"]) * len(load_demo_config().provinces.names) * small().calendar.n_months
    assert len(tables["procurement"]) == n


def test_reports_have_gaps_and_optional_cells_missing(tables):
    reports = tables["monthly_reports"]
    pairs = reports.groupby(["enterprise_id", "variety_id"], observed=True).ngroups
    assert len(reports) < pairs * small().calendar.n_months
    for column in ("capacity", "api_stock_months", "safety_stock"):
        assert 0 < reports[column].isna().mean() < 1, column


def test_contract_volumes_only_for_procured_varieties_after_selection(medium):
    tables, truth = medium
    reports = tables["monthly_reports"]
    procured = reports[reports["contracted_volume"].notna()]
    assert len(procured) > 0
    batch = tables["varieties"].set_index("variety_id")["vbp_batch"]
    assert batch.loc[procured["variety_id"].astype(str)].notna().all()
    index = {m: i for i, m in enumerate(truth.timeline.labels)}
    variety = procured["variety_id"].astype(str).str[1:].astype(int) - 1
    month = procured["month"].astype(str).map(index)
    assert (month.to_numpy() >= truth.plan.select_month[variety.to_numpy()]).all()
    assert (procured["delivered_volume"].dropna() < procured.loc[procured["delivered_volume"].notna(),
                                                                 "contracted_volume"]).any()


def test_procurement_price_drops_at_selection(medium):
    tables, truth = medium
    selected = np.flatnonzero((truth.plan.select_month > 0) & (truth.plan.select_month < truth.timeline.n))
    assert len(selected) > 0
    frame = tables["procurement"]
    price = frame.groupby([frame["variety_id"].astype(str), frame["month"].astype(str)])["avg_price"].mean()
    labels = truth.timeline.labels
    for v in selected:
        t = truth.plan.select_month[v]
        series = price.loc[f"V{v + 1:04d}"]
        before = series.reindex(labels[max(t - 3, 0):t]).mean()
        after = series.reindex(labels[t:t + 3]).mean()  # months without purchases have no price
        assert after < before


# mechanisms

def test_latent_demand_is_not_written_and_purchases_show_rationing(medium):
    tables, truth = medium
    assert not any("demand" in c for frame in tables.values() for c in frame.columns)
    served = truth.supply.shipped.sum(axis=1) / truth.demand.national
    short = truth.unmet.national > load_demo_config().shortage.national_threshold
    assert short.any()
    assert served[short].mean() < served[~short].mean()
    dispensed = truth.supply.dispensed.sum(axis=1)
    assert (dispensed <= truth.demand.national + 1e-6).all()


def _onset_matrix(truth) -> np.ndarray:
    ep = truth.shortages.episodes
    onset = np.zeros(truth.unmet.national.shape, dtype=bool)
    onset[ep.entity, ep.start] = True
    return onset


def test_shocked_varieties_have_much_higher_onset_rates(medium):
    _, truth = medium
    world, supply = truth.world, truth.supply
    stopped = np.zeros(truth.unmet.national.shape)
    np.add.at(stopped, world.pair_variety, (supply.stop_code != 0) * world.share[:, None])
    api_hit = (truth.api_available < 1)[world.variety_api]
    window = 3
    exposed = np.zeros_like(stopped, dtype=bool)
    for lag in range(window + 1):
        exposed[:, lag:] |= (stopped[:, : stopped.shape[1] - lag] > 0) | api_hit[:, : stopped.shape[1] - lag]
    onset = _onset_matrix(truth)
    assert onset[exposed].mean() > 3 * onset[~exposed].mean()


def test_without_mechanisms_shortages_nearly_vanish():
    quiet = {
        "api_shocks": {"hazard": 0.0},
        "suspensions": {"gmp_enterprise_hazard": 0.0,
                        "pair_reasons": {r: {"hazard": 0.0, "duration_months": {"low": 1, "high": 1}}
                                         for r in ("equipment", "regulatory", "other", "economic")}},
        "vbp": {"select_fraction": 0.0},
        "demand": {"surges": {"hazard": 0.0}, "epidemics": {"magnitude": {"median": 1e-9, "sigma": 0.0}}},
    }
    base = small(seed=5, n_varieties=150, n_months=60)
    _, busy = simulate_with_truth(base)
    _, calm = simulate_with_truth(small(seed=5, n_varieties=150, n_months=60, **quiet))
    assert len(calm.shortages.episodes) < 0.25 * len(busy.shortages.episodes)
    assert (calm.supply.stop_code == 0).all()


def test_concentrated_varieties_have_more_national_shortages(medium):
    _, truth = medium
    national = truth.shortages.episodes.entity[truth.shortages.scope == "national"]
    per_variety = np.bincount(national, minlength=truth.world.n_varieties)
    few = truth.world.n_producers <= 2
    assert per_variety[few].mean() > 1.5 * per_variety[~few].mean()


def test_institution_reports_rise_in_shortages(medium):
    tables, truth = medium
    reports = tables["institution_reports"]
    index = {m: i for i, m in enumerate(truth.timeline.labels)}
    counts = np.zeros(truth.unmet.national.shape)
    v = reports["variety_id"].astype(str).str[1:].astype(int).to_numpy() - 1
    t = reports["month"].astype(str).map(index).to_numpy()
    np.add.at(counts, (v, t), reports["reports"].to_numpy(dtype=float))
    short = truth.unmet.national > load_demo_config().shortage.national_threshold
    assert counts[short].mean() > 3 * counts[~short].mean()


def test_api_shocks_show_as_falling_api_stock_then_api_suspensions(medium):
    tables, truth = medium
    assert (tables["suspensions"]["reason"] == "api_shortage").any()
    hit = (truth.api_available < 1)[truth.world.variety_api[truth.world.pair_variety]]
    stock = truth.supply.api_stock
    assert stock[hit].mean() < stock[~hit].mean()


# config and writing

def test_national_config_is_the_national_size():
    config = national_config()
    assert (config.size.n_varieties, config.calendar.n_months, len(config.provinces.names)) == (2000, 84, 31)
    assert config.size != load_demo_config().size


def test_default_config_is_the_demo_size():
    config = load_demo_config()
    assert (config.size.n_varieties, config.size.n_enterprises, config.calendar.n_months) == (200, 500, 84)


def test_csv_files_use_true_false_and_empty_cells(tables, tmp_path):
    folder = write_panel(tables, tmp_path / "csv")
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{n}.csv" for n in TABLES)
    text = (folder / "varieties.csv").read_text(encoding="utf-8")
    assert "true" in text or "false" in text
    assert "True" not in text and "False" not in text
    back = pd.read_csv(folder / "monthly_reports.csv", keep_default_na=False, dtype=str)
    assert (back["capacity"] == "").any()
    assert not back.isin(["nan", "NaN", "<NA>", "None"]).any().any()


def test_parquet_round_trip(tables, tmp_path):
    folder = write_panel(tables, tmp_path / "pq", fmt="parquet")
    back = pd.read_parquet(folder / "shortage_events.parquet")
    assert list(back.columns) == COLUMNS["shortage_events"]
    assert len(back) == len(tables["shortage_events"])


def test_unknown_format_is_refused(tables, tmp_path):
    with pytest.raises(ValueError, match="format"):
        write_panel(tables, tmp_path / "x", fmt="xlsx")


def test_build_demo_panel_writes_every_table(tmp_path):
    folder = build_demo_panel(tmp_path / "demo", small(n_varieties=10, n_months=12))
    assert isinstance(folder, Path)
    assert sorted(p.stem for p in folder.glob("*.csv")) == sorted(TABLES)


def test_contract_reader_quarantines_nothing(tables, tmp_path):
    panel_module = pytest.importorskip("shortage_radar.contract.panel")
    panel = panel_module.read_panel(write_panel(tables, tmp_path / "clean"))
    assert len(panel.quarantine) == 0


def test_reports_are_filed_mostly_by_the_deadline_some_late(tables):
    """filed_on: a real day after the month; late filings at about the configured rate (docs/audit.md)."""
    from shortage_radar.demo import load_demo_config

    f = load_demo_config().reporting.filing
    reports = tables["monthly_reports"]
    filed = pd.to_datetime(reports["filed_on"], format="%Y-%m-%d")
    starts = pd.PeriodIndex(reports["month"].astype(str), freq="M")
    assert (filed.to_numpy() >= (starts + 1).to_timestamp().to_numpy()).all()
    due = (starts + 1).to_timestamp() + pd.Timedelta(days=f.deadline_day - 1)
    late = (filed.to_numpy() > due.to_numpy()).mean()
    expected = f.late_filer_share * f.late_filer_late_prob + (1 - f.late_filer_share) * f.late_prob
    assert expected / 3 < late < expected * 3, (late, expected)
