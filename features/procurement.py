"""Centralized procurement: delivered vs contracted volume, time since selection, price vs before selection."""

from __future__ import annotations

import numpy as np

from shortage_radar.features.grid import Block, to_variety
from shortage_radar.features.settings import FeatureConfig
from shortage_radar.features.window import first_month, lag, mean_last, ratio, sum_last


def _fill_rate(delivered: np.ndarray, contracted: np.ndarray, w: int) -> dict[str, np.ndarray]:
    rate = ratio(sum_last(delivered, w), sum_last(contracted, w))
    return {"delivery_ratio": rate, "delivery_ratio_change": rate - lag(rate, w)}


def _since_selection(contracted: np.ndarray, price: np.ndarray, cfg: FeatureConfig) -> dict[str, np.ndarray]:
    """Months since the first contract volume, and today's price over the price before it."""
    first = first_month(np.nan_to_num(contracted))
    t = np.arange(contracted.shape[1])[None, :]
    before = lag(mean_last(price, cfg.pre_selection_months), 1)
    idx = np.clip(np.nan_to_num(first, nan=0).astype(int), 0, contracted.shape[1] - 1)
    pre = np.where(np.isnan(first), np.nan, np.take_along_axis(before, idx, axis=1))
    return {"months_since_selection": t - first,
            "price_vs_before_selection": ratio(mean_last(price, cfg.short_window), pre)}


def pair_procurement(pairs: Block, cfg: FeatureConfig) -> dict[str, np.ndarray]:
    g = pairs.get
    out = _fill_rate(g("delivered_volume"), g("contracted_volume"), cfg.short_window)
    out.update(_since_selection(g("contracted_volume"), g("ex_factory_price"), cfg))
    return out


def variety_procurement(pairs: Block, rows: np.ndarray, n_v: int, price: np.ndarray,
                        cfg: FeatureConfig) -> dict[str, np.ndarray]:
    delivered = to_variety(pairs, pairs.get("delivered_volume"), n_v, rows)
    contracted = to_variety(pairs, pairs.get("contracted_volume"), n_v, rows)
    out = _fill_rate(delivered, contracted, cfg.short_window)
    out.update(_since_selection(contracted, price, cfg))
    return out
