"""How reports are filed: the day (``filed_on``), habitual and occasional late filers, and mistyped figures.

Draws come from their own stream, so the reports' values and every other table stay as they were.
Late filers are enterprises; a late report is filed 1-45 days after the deadline (the 10th of the
following month). Unit errors (x or / 1,000) and slipped digits (x or / 10) hit production or sales. The panel
is extracted at the deadline of its last month: late reports filed after that are not in it yet.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shortage_radar.demo.settings import DemoConfig

MISTYPED = ("production", "sales")


def _filed_on(rng: np.random.Generator, reports: pd.DataFrame, cfg: DemoConfig) -> np.ndarray:
    """``YYYY-MM-DD`` filing days: by the deadline, or after it for late filers and a few others."""
    f = cfg.reporting.filing
    firms = np.sort(reports["enterprise_id"].astype(str).unique())
    habitual = pd.Series(rng.random(len(firms)) < f.late_filer_share, index=firms)
    late_prob = np.where(habitual.reindex(reports["enterprise_id"].astype(str)).to_numpy(), f.late_filer_late_prob,
                         f.late_prob)
    late = rng.random(len(reports)) < late_prob
    day = rng.integers(1, f.deadline_day + 1, len(reports))
    delay = np.rint(rng.uniform(f.late_days.low, f.late_days.high, len(reports))).astype(np.int64)
    offset = np.where(late, f.deadline_day - 1 + delay, day - 1)
    next_month = (pd.PeriodIndex(reports["month"].astype(str), freq="M") + 1).to_timestamp().to_numpy("datetime64[D]")
    return (next_month + offset.astype("timedelta64[D]")).astype(str)


def _mistype(rng: np.random.Generator, reports: pd.DataFrame, prob: float, factor: float) -> pd.DataFrame:
    """Multiply or divide one of production / sales of a ``prob`` share of rows by ``factor``."""
    hit = np.flatnonzero(rng.random(len(reports)) < prob)
    column = rng.integers(0, len(MISTYPED), len(hit))
    scale = np.where(rng.random(len(hit)) < 0.5, factor, 1.0 / factor)
    for i, name in enumerate(MISTYPED):
        rows = hit[column == i]
        values = reports[name].to_numpy(dtype=float, copy=True)
        values[rows] = np.round(values[rows] * scale[column == i])
        reports[name] = values
    return reports


def _arrived(reports: pd.DataFrame, cfg: DemoConfig) -> pd.DataFrame:
    """The reports filed by the deadline of the panel's last month: the panel is extracted then, and a late
    report of its last months has not arrived yet."""
    last = max(reports["month"].astype(str))
    cutoff = (pd.Period(last, freq="M") + 1).to_timestamp() + pd.Timedelta(days=cfg.reporting.filing.deadline_day - 1)
    return reports[(reports["filed_on"].to_numpy() <= np.datetime64(cutoff.date()).astype(str))].reset_index(drop=True)


def file_reports(rng: np.random.Generator, reports: pd.DataFrame, cfg: DemoConfig) -> pd.DataFrame:
    """The reports with ``filed_on`` and a few mistyped figures (the simulator's realistic filing behaviour)."""
    f = cfg.reporting.filing
    reports = reports.copy()
    reports["filed_on"] = _filed_on(rng, reports, cfg)
    reports = _mistype(rng, reports, f.unit_error_prob, f.unit_error_factor)
    return _arrived(_mistype(rng, reports, f.typo_prob, f.typo_factor), cfg)
