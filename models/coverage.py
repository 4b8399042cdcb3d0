"""Months a panel did not observe at all: a collection gap is not a quiet spell.

Public shortage records come in eras (voluntary reporting to 2016, mandatory reporting from March
2017) with months between them that no source covers. A label "no onset in t+1..t+h" is unknown,
not 0, when any of those months is unobserved, so such rows are censored like the panel's last
months. The first months after a gap are re-filings of shortages already under way (the March 2017
launch), so their onsets are not onsets either: ``gap_warmup_months`` of them are treated alike.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shortage_radar.contract.panel import Panel

DATED = (("monthly_reports", "month"), ("procurement", "month"), ("institution_reports", "month"),
         ("suspensions", "reported_month"), ("shortage_events", "start_month"), ("supply_disruptions", "start_month"))


def dated_counts(panel: Panel) -> pd.Series:
    """Rows of any table per month (by the column that makes a row known); parts of a panel add up."""
    return combine_dated([frame[column].value_counts().astype(float) for table, column in DATED
                          if (frame := panel.get(table)) is not None and len(frame)])


def combine_dated(parts: list[pd.Series]) -> pd.Series:
    """The whole panel's ``dated_counts`` from its parts'."""
    kept = [p for p in parts if len(p)]
    return pd.concat(kept).groupby(level=0).sum() if kept else pd.Series(dtype=float)


def unobserved_months(panel: Panel, months: pd.PeriodIndex, gap_months: int, warmup_months: int,
                      dated: pd.Series | None = None) -> np.ndarray:
    """[T] True for months inside a run of >= ``gap_months`` months with no dated row, and the warm-up after it.

    ``dated`` (the whole panel's ``dated_counts``) replaces counting ``panel``'s rows: a partition passes it.
    """
    out = np.zeros(len(months), dtype=bool)
    if gap_months <= 0 or not len(months):
        return out
    counts = dated_counts(panel) if dated is None else dated
    empty = counts.reindex(months, fill_value=0.0).to_numpy() == 0
    edges = np.diff(np.concatenate([[0], empty.astype(int), [0]]))
    for begin, end in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True):
        if end - begin >= gap_months:
            out[begin:min(end + warmup_months, len(months))] = True
    return out


def window_unobserved(unobserved: np.ndarray, horizon: int) -> np.ndarray:
    """[T] True when month t or any month of t+1..t+horizon is unobserved."""
    padded = np.concatenate([[0], np.cumsum(unobserved), np.full(horizon, unobserved.sum())])
    t = np.arange(len(unobserved))
    return (padded[t + 1 + horizon] - padded[t]) > 0
