"""Figures that cannot be right: stock that does not follow from the flows, values far outside history.

Every rule is a pure function of dense [pair, month] arrays, and a cell is judged only on its
own month and the months before it, so the same code audits one month or masks a whole grid
for the features without looking ahead.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from shortage_radar.audit.settings import ImplausibleConfig, StockFlowConfig

NONE, MEDIUM, HIGH = 0, 1, 2
LEVELS = {"medium": MEDIUM, "high": HIGH}
MAD_SCALE = 1.4826  # MAD of a normal sample x this = its standard deviation
CHUNK_ROWS = 4096   # rows per block of the rolling history (bounds memory on large grids)


@dataclass(frozen=True)
class History:
    """Per cell, from the earlier months of the window: count, max, min, median and MAD of log1p."""

    count: np.ndarray
    high: np.ndarray
    low: np.ndarray
    log_median: np.ndarray
    log_mad: np.ndarray


def _prior_windows(x: np.ndarray, months: int) -> np.ndarray:
    """[P, T, months]: for each cell the ``months`` values before it (NaN before the grid starts)."""
    padded = np.concatenate([np.full((x.shape[0], months), np.nan), x], axis=1)
    return sliding_window_view(padded, months, axis=1)[:, :-1, :]


def history(x: np.ndarray, months: int) -> History:
    """Robust summaries of each cell's own earlier months (never the cell itself or later ones)."""
    parts = [_history_block(x[i:i + CHUNK_ROWS], months) for i in range(0, max(len(x), 1), CHUNK_ROWS)]
    return History(*(np.concatenate([getattr(p, f) for p in parts]) for f in History.__dataclass_fields__))


def _history_block(x: np.ndarray, months: int) -> History:
    win = _prior_windows(x, months)
    logs = np.log1p(np.clip(win, 0, None))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN windows give NaN, as wanted
        med = np.nanmedian(logs, axis=2)
        mad = np.nanmedian(np.abs(logs - med[..., None]), axis=2)
        high = np.nanmax(win, axis=2)
        low = np.nanmin(win, axis=2)
    return History(count=np.sum(~np.isnan(win), axis=2), high=high, low=low, log_median=med, log_mad=mad)


def _shift(x: np.ndarray, h: History) -> np.ndarray:
    """How far each figure moved from its usual level, in log1p units (signed)."""
    return np.log1p(np.clip(x, 0, None)) - h.log_median


def outlier_levels(x: np.ndarray, h: History, ceiling: np.ndarray, row_shift: np.ndarray, downward: bool,
                   cfg: ImplausibleConfig) -> tuple[np.ndarray, np.ndarray]:
    """Level (0/1/2) of each cell against its history, and how far it stands out (a ratio).

    Upwards a figure is compared with ``ceiling``, the largest volume of any kind the pair reported in
    the window (an inventory rebuilt to one month of sales is not implausible after a lean year);
    downwards (``downward`` columns only) with the smallest figure of its own column, never after a
    zero (a stock drained to nothing refills through small figures). Both are discounted by
    ``row_shift``, the move of the row's other figure that moved most alike: a pair whose production
    and sales both grow tenfold changed its scale (a won contract); one figure alone growing tenfold is
    a typing error.
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        up = np.where(ceiling > 0, x / ceiling, np.nan) / np.exp(np.clip(row_shift, 0, None))
        down = np.where((x > 0) & (h.low > 0) & downward, h.low / x, np.nan) / np.exp(np.clip(-row_shift, 0, None))
        ratio = np.fmax(up, down)
        z = np.abs(_shift(x, h) - row_shift) / np.fmax(MAD_SCALE * h.log_mad, cfg.mad_floor)
    judged = h.count >= cfg.min_history
    level = np.where(judged & (ratio >= cfg.medium_ratio) & (z >= cfg.medium_z), MEDIUM, NONE)
    level = np.where(judged & (ratio >= cfg.high_ratio), HIGH, level)
    level = np.where(x > cfg.absolute_max, HIGH, level)
    return level.astype(np.int8), ratio


def _row_shift(shifts: dict[str, np.ndarray], column: str) -> np.ndarray:
    """Per cell, the move of the row's other figure closest to this column's move (0 without others)."""
    own = shifts[column]
    others = [shifts[o] for o in shifts if o != column]
    if not others:
        return np.zeros_like(own)
    stacked = np.stack(others)
    distance = np.where(np.isnan(stacked), np.inf, np.abs(stacked - own[None]))
    nearest = np.take_along_axis(stacked, distance.argmin(axis=0)[None], axis=0)[0]
    return np.nan_to_num(nearest)


def judged_columns(values: dict[str, np.ndarray], cfg: ImplausibleConfig) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per judged column present: (history level, ratio) for every cell."""
    columns = [c for c in cfg.columns if c in values]
    histories = {c: history(values[c], cfg.history_months) for c in columns}
    shifts = {c: _shift(values[c], histories[c]) for c in columns}
    support = {c: np.where(values[c] > 0, shifts[c], np.nan) for c in columns}  # a stop to zero is no scale change
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        ceiling = np.nanmax(np.stack([h.high for h in histories.values()]), axis=0) if histories else None
        for c in columns:
            out[c] = outlier_levels(values[c], histories[c], ceiling, _row_shift({**support, c: shifts[c]}, c),
                                    c in cfg.downward_columns, cfg)
    return out


def _above(x: np.ndarray, limit: np.ndarray, margin: float, high_ratio: float) -> np.ndarray:
    """Level of ``x`` exceeding ``limit``: medium beyond (1 + margin), high beyond ``high_ratio`` times."""
    with np.errstate(invalid="ignore", over="ignore"):
        level = np.where(x > limit * (1 + margin), MEDIUM, NONE)
        return np.where(x > limit * high_ratio, HIGH, level).astype(np.int8)


def lag(x: np.ndarray) -> np.ndarray:
    """The previous month's value (NaN in the first month)."""
    return np.concatenate([np.full((x.shape[0], 1), np.nan), x[:, :-1]], axis=1)


def physical_levels(production: np.ndarray, sales: np.ndarray, inventory: np.ndarray, capacity: np.ndarray,
                    cfg: ImplausibleConfig) -> dict[str, np.ndarray]:
    """Production above capacity, sales above what last month's stock plus this month's production allow."""
    return {"production": _above(production, capacity, cfg.capacity_margin, cfg.high_ratio),
            "sales": _above(sales, lag(inventory) + production, cfg.flow_margin, cfg.high_ratio)}


def implausible_levels(values: dict[str, np.ndarray], cfg: ImplausibleConfig) -> dict[str, np.ndarray]:
    """Per judged column, the worse of its history level and its physical level, [P, T]."""
    nan = np.full(next(iter(values.values())).shape, np.nan)
    physical = physical_levels(values.get("production", nan), values.get("sales", nan),
                               values.get("inventory", nan), values.get("capacity", nan), cfg)
    out = {}
    for column, (level, _) in judged_columns(values, cfg).items():
        out[column] = np.maximum(level, physical[column]) if column in physical else level
    return out


def stock_gaps(production: np.ndarray, sales: np.ndarray, inventory: np.ndarray,
               cfg: StockFlowConfig) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Level of each month's stock-flow gap, the gap (inventory minus what the flows give) and its scale."""
    before = lag(inventory)
    gap = inventory - (before + production - sales)
    scale = np.fmax(np.fmax(before, inventory), np.fmax(production, sales))
    with np.errstate(invalid="ignore", over="ignore"):
        found = np.abs(gap) > np.fmax(cfg.relative_tolerance * scale, cfg.absolute_tolerance)
        level = np.where(found, MEDIUM, NONE)
        level = np.where(found & (np.abs(gap) > cfg.high_relative * scale), HIGH, level)
    return level.astype(np.int8), gap, scale
