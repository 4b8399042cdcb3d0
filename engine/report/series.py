"""What a variety's detail draws, as known at the end of the month: volumes, safety line, suspensions, forecasts."""

from __future__ import annotations

import pandas as pd

from shortage_radar.contract.panel import Panel

VOLUMES = ("sales", "production", "inventory")
SUSPENSION_COLUMNS = ["enterprise_id", "variety_id", "start_month", "reported_month", "expected_end_month",
                      "actual_end_month", "reason"]


def subset(panel: Panel, varieties: list[str]) -> Panel:
    """The panel restricted to ``varieties`` (every table with a variety_id; the others whole)."""
    keep = set(varieties)
    tables = {name: frame[frame["variety_id"].isin(keep)].reset_index(drop=True)
              if "variety_id" in frame else frame for name, frame in panel.tables.items()}
    return Panel(source=panel.source, tables=tables, quarantine=panel.quarantine, results=panel.results)


def volume_history(known: Panel, first: pd.Period, month: pd.Period) -> pd.DataFrame:
    """Per variety and month in [first, month]: summed sales, production, inventory and safety stock.

    A month where no producer reported a column stays empty (not zero).
    """
    columns = ["variety_id", "month", *VOLUMES, "safety_stock"]
    if "monthly_reports" not in known:
        return pd.DataFrame(columns=columns)
    reports = known["monthly_reports"]
    reports = reports[(reports["month"] >= first) & (reports["month"] <= month)]
    present = [c for c in (*VOLUMES, "safety_stock") if c in reports]
    sums = (reports.assign(variety_id=reports["variety_id"].astype(str))
            .groupby(["variety_id", "month"], observed=True)[present].sum(min_count=1).reset_index())
    return sums.reindex(columns=columns)


def known_suspensions(known: Panel, first: pd.Period) -> pd.DataFrame:
    """Suspensions reported by the month (``known`` is point in time) that still ran at or after ``first``."""
    if "suspensions" not in known:
        return pd.DataFrame(columns=SUSPENSION_COLUMNS)
    frame = known["suspensions"].reindex(columns=SUSPENSION_COLUMNS).copy()
    frame["variety_id"] = frame["variety_id"].astype(str)
    frame["enterprise_id"] = frame["enterprise_id"].astype(str)
    ended_before = frame["actual_end_month"].notna() & (frame["actual_end_month"] < first)
    return frame[~ended_before].sort_values(["variety_id", "start_month", "enterprise_id"], kind="stable")


def variety_forecasts(forecasts: pd.DataFrame, month: pd.Period, horizon: int) -> pd.DataFrame:
    """The variety rows of a long forecast frame made as of ``month``, for t+1..t+horizon."""
    frame = forecasts[(forecasts["entity"] == "variety") & forecasts["series"].isin(VOLUMES)]
    frame = frame[frame["month"].astype(str) == str(month)].copy()
    frame["variety_id"] = frame["variety_id"].astype(str)
    target = pd.PeriodIndex(frame["target_month"].astype(str), freq="M")
    frame["target_month"] = target
    return frame[(target > month) & (target <= month + horizon)]


def compute_forecasts(panel: Panel, month: pd.Period, varieties: list[str], horizon: int) -> pd.DataFrame:
    """Forecast only the detailed varieties' own series (not their pairs): bounded work at national size."""
    from shortage_radar.models.forecast_config import forecast_config
    from shortage_radar.models.forecasting import forecast_series
    from shortage_radar.models.series import series_as_of

    columns = ["entity", "variety_id", "month", "target_month", "series", "mean", "lo_80", "hi_80", "lo_95",
               "hi_95", "model"]
    if not varieties or horizon < 1:
        return pd.DataFrame(columns=columns)
    history, ids = series_as_of(subset(panel, varieties), month)
    variety_ids = ids[ids["entity"] == "variety"]
    history = history[history["unique_id"].isin(variety_ids["unique_id"])]
    cfg = forecast_config()
    parts = [forecast_series(part.assign(uid=part["unique_id"]), str(name), cfg, horizon).assign(series=name)
             for name, part in history.groupby("series", sort=True)]
    if not parts:
        return pd.DataFrame(columns=columns)
    frame = pd.concat(parts, ignore_index=True).merge(variety_ids, left_on="uid", right_on="unique_id")
    frame["month"] = str(month)
    frame["target_month"] = pd.to_datetime(frame["ds"]).dt.to_period("M").astype(str)
    return frame.reindex(columns=columns)
