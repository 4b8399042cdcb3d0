"""Labels: does a shortage (variety) or a supply disruption (pair) start within t+1 .. t+h?

Labels look into the future by design; features never do. A row whose entity is already in a
shortage (disruption) at t is marked ``ongoing`` and left out of training and metrics. A row
whose horizon runs past the panel's last month, or into months no source observed (a collection
gap, models/coverage.py), is ``censored``: its label is not known.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shortage_radar.contract.panel import Panel
from shortage_radar.features.grid import month_pos, scatter
from shortage_radar.features.window import lag, mean_last
from shortage_radar.models.coverage import unobserved_months, window_unobserved
from shortage_radar.models.settings import ModelConfig


def _onset_within(starts: np.ndarray, h: int) -> np.ndarray:
    """[n, T] 1 if any start falls in t+1..t+h."""
    n, t = starts.shape
    csum = np.hstack([np.zeros((n, 1)), np.cumsum(starts, axis=1), np.zeros((n, h))])
    csum[:, t + 1:] = csum[:, [t]]
    idx = np.arange(t)
    return ((csum[:, idx + 1 + h] - csum[:, idx + 1]) > 0).astype(float)


def _spans(shape: tuple[int, int], rows: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    t = np.arange(shape[1])[None, :]
    covered = (t >= start[:, None]) & (t <= np.nan_to_num(end, nan=np.inf)[:, None])
    out = np.zeros(shape, dtype=bool)
    keep = rows >= 0
    np.logical_or.at(out, rows[keep], covered[keep])
    return out


def censored_months(panel: Panel, months: pd.PeriodIndex, cfg: ModelConfig,
                    dated: pd.Series | None = None) -> np.ndarray:
    """[T] True where the label is not known: the horizon runs past the panel's end or into a gap."""
    t = len(months)
    past_end = np.arange(t) + cfg.horizon > t - 1
    gaps = unobserved_months(panel, months, cfg.gap_months, cfg.gap_warmup_months, dated)
    return past_end | window_unobserved(gaps, cfg.horizon)


def _frame(keys: pd.DataFrame, months: pd.PeriodIndex, label: np.ndarray, ongoing: np.ndarray,
           censored: np.ndarray) -> pd.DataFrame:
    n, t = label.shape
    frame = keys.iloc[np.repeat(np.arange(n), t)].reset_index(drop=True)
    frame["month"] = np.tile(months, n)
    frame["label"] = label.ravel()
    frame["ongoing"] = ongoing.ravel()
    frame["censored"] = np.tile(censored, n)
    return frame


def variety_labels(panel: Panel, months: pd.PeriodIndex, cfg: ModelConfig,
                   dated: pd.Series | None = None) -> pd.DataFrame:
    """variety_id, month, label, ongoing, censored for every variety and month of ``months``."""
    keys = panel["varieties"][["variety_id"]].sort_values("variety_id").reset_index(drop=True)
    shape = (len(keys), len(months))
    events = panel.get("shortage_events")
    censored = censored_months(panel, months, cfg, dated)
    if events is None or not len(events):
        return _frame(keys, months, np.zeros(shape), np.zeros(shape, bool), censored)
    rows = pd.Index(keys["variety_id"].astype(str)).get_indexer(events["variety_id"].astype(str))
    start = month_pos(months, events["start_month"])
    starts = np.nan_to_num(scatter(shape, rows, start, np.ones(len(events))))
    ongoing = _spans(shape, rows, start, month_pos(months, events["end_month"]))
    return _frame(keys, months, _onset_within(starts, cfg.horizon), ongoing, censored)


def _derived_disruptions(panel: Panel, keys: pd.DataFrame, months: pd.PeriodIndex,
                         cfg: ModelConfig) -> tuple[np.ndarray, np.ndarray]:
    """Starts and spans from the reports: a suspension start, or sales far below their recent level."""
    shape = (len(keys), len(months))
    lookup = pd.MultiIndex.from_frame(keys[["enterprise_id", "variety_id"]].astype(str))
    starts = np.zeros(shape)
    low = np.zeros(shape, dtype=bool)
    reports = panel.get("monthly_reports")
    if reports is not None and len(reports):
        rows = lookup.get_indexer(pd.MultiIndex.from_frame(reports[["enterprise_id", "variety_id"]].astype(str)))
        flow = scatter(shape, rows, month_pos(months, reports["month"]),
                       reports["delivered_volume"].fillna(reports["sales"]).to_numpy(dtype=float))
        level = lag(mean_last(flow, cfg.derived_window), 1)
        below = np.nan_to_num(flow) < cfg.derived_ratio * level
        run = below.copy()
        for k in range(1, cfg.derived_months):
            run &= np.nan_to_num(lag(below.astype(float), k)) > 0
        low = run
        begin = run & ~(np.nan_to_num(lag(run.astype(float), 1)) > 0)
        starts += begin
    suspensions = panel.get("suspensions")
    if suspensions is not None and len(suspensions):
        rows = lookup.get_indexer(pd.MultiIndex.from_frame(suspensions[["enterprise_id", "variety_id"]].astype(str)))
        start = month_pos(months, suspensions["start_month"])
        starts += np.nan_to_num(scatter(shape, rows, start, np.ones(len(suspensions))))
        low |= _spans(shape, rows, start, month_pos(months, suspensions["actual_end_month"]))
    return starts, low


def pair_labels(panel: Panel, keys: pd.DataFrame, months: pd.PeriodIndex, cfg: ModelConfig,
                dated: pd.Series | None = None) -> pd.DataFrame:
    """enterprise_id, variety_id, month, label, ongoing, censored for the given pairs."""
    shape = (len(keys), len(months))
    table = panel.get("supply_disruptions")
    if table is not None:
        lookup = pd.MultiIndex.from_frame(keys[["enterprise_id", "variety_id"]].astype(str))
        rows = lookup.get_indexer(pd.MultiIndex.from_frame(table[["enterprise_id", "variety_id"]].astype(str)))
        start = month_pos(months, table["start_month"])
        starts = np.nan_to_num(scatter(shape, rows, start, np.ones(len(table))))
        ongoing = _spans(shape, rows, start, month_pos(months, table["end_month"]))
    else:
        starts, ongoing = _derived_disruptions(panel, keys, months, cfg)
    return _frame(keys[["enterprise_id", "variety_id"]], months, _onset_within(starts, cfg.horizon), ongoing,
                  censored_months(panel, months, cfg, dated))
