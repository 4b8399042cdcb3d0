"""Backward-looking window arithmetic on [entity, month] arrays (NaN = not known).

Every function looks only at months <= t for the value at t, which is what keeps
features point-in-time; tests/features/test_leak.py checks it on whole panels.
"""

from __future__ import annotations

import numpy as np


def lag(a: np.ndarray, k: int) -> np.ndarray:
    """Value k months earlier (NaN before the start)."""
    out = np.full_like(a, np.nan, dtype=float)
    if k < a.shape[1]:
        out[:, k:] = a[:, : a.shape[1] - k]
    return out


def _cum(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    known = ~np.isnan(a)
    zeros = np.zeros((a.shape[0], 1))
    return (np.hstack([zeros, np.cumsum(np.where(known, a, 0.0), axis=1)]),
            np.hstack([zeros, np.cumsum(known, axis=1)]))


def window_sum(a: np.ndarray, w: int) -> tuple[np.ndarray, np.ndarray]:
    """Sum and count of known values over the w months ending at t."""
    total, count = _cum(a)
    hi = np.arange(1, a.shape[1] + 1)
    lo = np.maximum(hi - w, 0)
    return total[:, hi] - total[:, lo], count[:, hi] - count[:, lo]


def mean_last(a: np.ndarray, w: int) -> np.ndarray:
    """Mean of the known values among the last w months (NaN if none)."""
    total, count = window_sum(a, w)
    return np.divide(total, count, out=np.full_like(total, np.nan), where=count > 0)


def sum_last(a: np.ndarray, w: int) -> np.ndarray:
    """Sum over the last w months, missing counted as 0."""
    return window_sum(a, w)[0]


def std_last(a: np.ndarray, w: int) -> np.ndarray:
    mean = mean_last(a, w)
    sq = mean_last(a * a, w)
    return np.sqrt(np.maximum(sq - mean * mean, 0.0))


def ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den where den > 0, else NaN."""
    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    ok = np.nan_to_num(den, nan=0.0) > 0
    return np.divide(num, den, out=np.full(np.broadcast(num, den).shape, np.nan), where=ok)


def vs_usual(a: np.ndarray, w: int, smooth: float = 0.0) -> np.ndarray:
    """Value at t over its mean of the w months before t (``smooth`` added to both, for counts)."""
    return ratio(a + smooth, mean_last(lag(a, 1), w) + smooth)


def change(a: np.ndarray, w: int) -> np.ndarray:
    """Mean of the last w months over the mean of the w months before, minus 1."""
    return ratio(mean_last(a, w), lag(mean_last(a, w), w)) - 1.0


def ffill(a: np.ndarray, limit: int) -> np.ndarray:
    """Carry the last known value forward for at most ``limit`` months."""
    out = a.copy()
    for k in range(1, limit + 1):
        fill = np.isnan(out) & ~np.isnan(lag(a, k))
        out[fill] = lag(a, k)[fill]
    return out


def months_since(event: np.ndarray) -> np.ndarray:
    """Months since the last month with event > 0, up to and including t (NaN if never)."""
    n = event.shape[1]
    idx = np.where(np.nan_to_num(event) > 0, np.arange(n)[None, :], -1)
    last = np.maximum.accumulate(idx, axis=1)
    return np.where(last >= 0, np.arange(n)[None, :] - last, np.nan).astype(float)


def first_month(event: np.ndarray) -> np.ndarray:
    """Index of the first month with event > 0 up to t, per cell (NaN before it)."""
    n = event.shape[1]
    idx = np.where(np.nan_to_num(event) > 0, np.arange(n)[None, :], n)
    first = np.minimum.accumulate(idx, axis=1)
    return np.where(first < n, first, np.nan).astype(float)
