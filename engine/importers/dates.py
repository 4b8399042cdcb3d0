"""Dates in the public records -> contract months, with typos (e.g. year 0201) read as missing."""

from __future__ import annotations

import numpy as np
import pandas as pd

from shortage_radar.contract.months import FIRST_YEAR, LAST_YEAR

MONTH = "period[M]"


def to_month(values: pd.Series, fmt: str = "%Y-%m-%d") -> pd.Series:
    """Month of each date string (first 10 characters in ``fmt``); unparseable or out-of-range -> NaT."""
    text = values.astype("string").str.strip().str.slice(0, 10)
    stamps = pd.to_datetime(text, format=fmt, errors="coerce")
    stamps = stamps.where((stamps.dt.year >= FIRST_YEAR) & (stamps.dt.year <= LAST_YEAR))
    return stamps.dt.to_period("M").astype(MONTH)


def ordinals(months: pd.Series) -> np.ndarray:
    """Months as float ordinals (NaN for missing), for element-wise arithmetic."""
    out = pd.PeriodIndex(months.astype(MONTH)).asi8.astype(float)
    out[months.isna().to_numpy()] = np.nan
    return out


def from_ordinals(values: np.ndarray, index: pd.Index) -> pd.Series:
    """The inverse of :func:`ordinals` (NaN and infinities -> NaT)."""
    values = np.asarray(values, dtype=float)
    ok = np.isfinite(values)
    out = pd.Series(pd.NaT, index=index, dtype=MONTH)
    out[ok] = pd.PeriodIndex.from_ordinals(values[ok].astype("int64"), freq="M")
    return out


def later(*months: pd.Series) -> pd.Series:
    """Element-wise latest month, ignoring missing ones (NaT only where all are missing)."""
    return from_ordinals(np.fmax.reduce([ordinals(m) for m in months]), months[0].index)


def earlier(*months: pd.Series) -> pd.Series:
    """Element-wise earliest month, ignoring missing ones."""
    return from_ordinals(np.fmin.reduce([ordinals(m) for m in months]), months[0].index)


def coalesce(*months: pd.Series) -> pd.Series:
    """Element-wise the first non-missing month of ``months``, in order."""
    out = months[0]
    for m in months[1:]:
        out = out.where(out.notna(), m)
    return out


def month_text(months: pd.Series) -> pd.Series:
    """``YYYY-MM`` strings, empty for missing (how the panel files spell months)."""
    return months.astype(MONTH).astype("string").fillna("")
