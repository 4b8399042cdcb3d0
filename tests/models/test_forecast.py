"""Forecasts: format, ordered non-negative intervals, point in time, awkward series, CLI."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from shortage_radar.contract.panel import Panel, read_panel
from shortage_radar.features import as_known_at
from shortage_radar.models.forecast_config import forecast_config
from shortage_radar.models.forecasting import OUTPUT_COLUMNS, forecast_panel, forecast_series

H = 3


@pytest.fixture(scope="module")
def as_of(demo_panel) -> pd.Period:
    return demo_panel["monthly_reports"]["month"].max() - 6


@pytest.fixture(scope="module")
def forecasts(demo_panel, as_of) -> pd.DataFrame:
    return forecast_panel(demo_panel, as_of, H)


def test_format(forecasts, as_of):
    assert list(forecasts.columns) == OUTPUT_COLUMNS
    assert set(forecasts["series"]) == {"sales", "production", "inventory", "months_of_supply"}
    assert set(forecasts["entity"]) == {"variety", "enterprise"}
    assert (forecasts["month"] == str(as_of)).all()
    assert set(forecasts["target_month"]) == {str(as_of + k) for k in range(1, H + 1)}
    per_series = forecasts.groupby(["entity", "variety_id", "enterprise_id", "series"]).size()
    assert (per_series == H).all()


def test_intervals_ordered_and_non_negative(forecasts):
    volumes = forecasts[forecasts["series"] != "months_of_supply"]
    cols = ["lo_95", "lo_80", "mean", "hi_80", "hi_95"]
    values = volumes[cols].to_numpy()
    assert (values >= 0).all()
    assert (np.diff(values, axis=1) >= -1e-6).all()


def test_point_in_time(demo_panel, as_of, forecasts):
    truncated = as_known_at(demo_panel, as_of)
    again = forecast_panel(Panel(demo_panel.source, truncated.tables, demo_panel.quarantine, demo_panel.results),
                           as_of, H)
    pd.testing.assert_frame_equal(forecasts, again)


@pytest.mark.parametrize("values", [[0.0] * 30, [5.0, 7.0], [0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0, 2] * 3,
                                    list(np.linspace(10, 50, 40))])
def test_awkward_series(values):
    ds = pd.date_range("2020-01-01", periods=len(values), freq="MS")
    history = pd.DataFrame({"uid": "x", "ds": ds, "y": values})
    out = forecast_series(history, "sales", forecast_config(), H)
    assert len(out) == H
    assert np.isfinite(out["mean"]).all() and (out["mean"] >= 0).all()


def test_panel_without_monthly_reports(tables, write_panel, tmp_path):
    only = {k: tables[k] for k in ("varieties", "procurement", "shortage_events")}
    panel = read_panel(write_panel(only))
    assert forecast_panel(panel, pd.Period("2022-04", "M"), H).empty
    out = tmp_path / "f.csv"
    run = subprocess.run([sys.executable, "-m", "shortage_radar", "forecast", "--data", str(panel.source),
                          "--month", "2022-04", "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert list(pd.read_csv(out).columns) == OUTPUT_COLUMNS


def test_cli(small_panel, tmp_path):
    out = tmp_path / "f.parquet"
    run = subprocess.run([sys.executable, "-m", "shortage_radar", "forecast", "--data", str(small_panel.source),
                          "--month", "2022-04", "--out", str(out), "--h", "2"], capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr
    assert len(pd.read_parquet(out)) > 0
    bad = subprocess.run([sys.executable, "-m", "shortage_radar", "forecast", "--data", str(small_panel.source),
                          "--month", "April", "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1 and "YYYY-MM" in bad.stderr


def _seasonal(n_series: int, months: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    ds = pd.date_range("2018-01-01", periods=months, freq="MS")
    season = 1 + 0.2 * np.sin(2 * np.pi * np.arange(months) / 12)
    return pd.concat([pd.DataFrame({"uid": f"s{i}", "ds": ds,
                                    "y": 100 * (i + 1) * season * rng.lognormal(0, 0.1, months)})
                      for i in range(n_series)], ignore_index=True)


def test_global_model_takes_long_series_and_leaves_short_ones_to_its_fallback():
    from shortage_radar.models.global_forecast import GLOBAL, min_length

    cfg = forecast_config()
    assert cfg.models["production"] == GLOBAL
    need = min_length(cfg, H)
    history = pd.concat([_seasonal(6, need + 6), _seasonal(1, need - 1).assign(uid="short")], ignore_index=True)
    out = forecast_series(history, "production", cfg, H)
    models = out.groupby("uid")["model"].first()
    assert (models.drop("short") == GLOBAL).all() and models["short"] == cfg.global_model.fallback_model
    values = out[["lo_95", "lo_80", "mean", "hi_80", "hi_95"]].to_numpy()
    assert (np.diff(values, axis=1) >= -1e-6).all() and (values >= 0).all()
    big = out[out["uid"] == "s5"]["mean"].mean() / out[out["uid"] == "s0"]["mean"].mean()
    assert 3 < big < 9  # per-series scaling keeps each series at its own level (true ratio 6)
    pd.testing.assert_frame_equal(out, forecast_series(history, "production", cfg, H))  # deterministic
