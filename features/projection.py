"""Forecast-derived features: projected months of supply and P(stock below the safety line).

A vectorised Holt (level + trend) forecast of sales and production runs over every month at
once, so the features exist for every month of the training history; statsforecast would cost
a refit per month (the `forecast` command uses it for the monthly forecasts themselves).
Projected stock = stock now + k x (production - sales forecast); its spread grows with the
recent volatility of monthly stock changes, which gives P(stock < safety line) per month ahead.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr

from shortage_radar.features.grid import Block
from shortage_radar.features.settings import FeatureConfig
from shortage_radar.features.window import lag, ratio, std_last


def holt(y: np.ndarray, alpha: float, beta: float) -> tuple[np.ndarray, np.ndarray]:
    """Level and trend after each month (uses months <= t only; NaN until the first value)."""
    level = np.full(y.shape, np.nan)
    trend = np.zeros(y.shape)
    cur_l, cur_b = np.full(y.shape[0], np.nan), np.zeros(y.shape[0])
    for t in range(y.shape[1]):
        obs = y[:, t]
        start = np.isnan(cur_l) & ~np.isnan(obs)
        cur_l = np.where(start, obs, cur_l)
        has = ~np.isnan(obs) & ~start & ~np.isnan(cur_l)
        new_l = alpha * obs + (1 - alpha) * (cur_l + cur_b)
        new_b = beta * (new_l - cur_l) + (1 - beta) * cur_b
        cur_l, cur_b = np.where(has, new_l, cur_l), np.where(has, new_b, cur_b)
        level[:, t], trend[:, t] = cur_l, cur_b
    return level, trend


def projection(production: np.ndarray, sales: np.ndarray, inventory: np.ndarray, safety: np.ndarray,
               cfg: FeatureConfig) -> dict[str, np.ndarray]:
    """Projected months of supply at t+1..t+h and P(stock below the safety line within h)."""
    s_level, s_trend = holt(sales, cfg.projection_alpha, cfg.projection_beta)
    p_level, p_trend = holt(production, cfg.projection_alpha, cfg.projection_beta)
    spread = std_last(inventory - lag(inventory, 1), cfg.volatility_window)
    out: dict[str, np.ndarray] = {}
    p_any = np.zeros(inventory.shape)
    for k in range(1, cfg.projection_horizon + 1):
        sales_k = np.maximum(s_level + k * s_trend, 0.0)
        stock_k = inventory + k * (np.maximum(p_level + k * p_trend, 0.0) - sales_k)
        out[f"projected_months_of_supply_{k}m"] = ratio(np.maximum(stock_k, 0.0), sales_k)
        z = (safety - stock_k) / np.maximum(spread * np.sqrt(k), 1e-9)
        p_any = np.maximum(p_any, np.where(np.isnan(z), 0.0, ndtr(z)))
    known = ~np.isnan(inventory) & ~np.isnan(safety)
    out[f"p_below_safety_{cfg.projection_horizon}m"] = np.where(known, p_any, np.nan)
    return out


def pair_projection(pairs: Block, cfg: FeatureConfig) -> dict[str, np.ndarray]:
    g = pairs.get
    return projection(g("production"), g("sales"), g("inventory"), g("safety_stock"), cfg)
