"""Supply: production level, trend and volatility, capacity use, stock cover, safety line, API, concentration."""

from __future__ import annotations

import numpy as np

from shortage_radar.features.grid import Block, to_variety
from shortage_radar.features.projection import pair_projection, projection
from shortage_radar.features.settings import FeatureConfig
from shortage_radar.features.window import change, lag, mean_last, ratio, std_last, vs_usual


def _flows(prod: np.ndarray, sales: np.ndarray, inv: np.ndarray, cap: np.ndarray, safety: np.ndarray,
           cfg: FeatureConfig) -> dict[str, np.ndarray]:
    """The features shared by pairs and varieties, from their production, sales, stock, capacity, safety line."""
    w = cfg.short_window
    prod_w, sales_w = mean_last(prod, w), mean_last(sales, w)
    return {
        "production_level": prod_w,
        "production_trend": change(prod, w),
        "production_volatility": ratio(std_last(prod, cfg.volatility_window), mean_last(prod, cfg.volatility_window)),
        "capacity_use": ratio(prod_w, mean_last(cap, w)),
        "production_minus_sales": ratio(prod_w - sales_w, sales_w),
        "months_of_supply": ratio(inv, sales_w),
        "months_of_supply_change": ratio(inv, sales_w) - lag(ratio(inv, sales_w), w),
        "months_of_supply_vs_usual": vs_usual(ratio(inv, sales_w), cfg.usual_window),
        "safety_gap": ratio(inv - safety, safety),
    }


def pair_supply(pairs: Block, cfg: FeatureConfig) -> dict[str, np.ndarray]:
    g = pairs.get
    out = _flows(g("production"), g("sales"), g("inventory"), g("capacity"), g("safety_stock"), cfg)
    api = g("api_stock_months")
    out["api_stock_months"] = api
    out["api_stock_change"] = api - lag(api, cfg.short_window)
    out.update(pair_projection(pairs, cfg))
    return out


def _concentration(pairs: Block, rows: np.ndarray, n_v: int, cfg: FeatureConfig) -> dict[str, np.ndarray]:
    """Active producers, the largest producer's share and HHI, from recent production."""
    recent = mean_last(pairs.get("production"), cfg.share_window)
    active = np.where(np.isnan(recent), np.nan, (recent > cfg.active_production_floor).astype(float))
    total = to_variety(pairs, recent, n_v, rows)
    share = ratio(recent, total[rows])
    return {
        "producers_active": np.nan_to_num(to_variety(pairs, active, n_v, rows)),
        "top_producer_share": to_variety(pairs, share, n_v, rows, how="max"),
        "producer_hhi": to_variety(pairs, share * share, n_v, rows),
    }


def _api_low_share(pairs: Block, rows: np.ndarray, n_v: int, cfg: FeatureConfig) -> np.ndarray:
    """Share of recent production made by producers reporting less than ``api_low_months`` of API."""
    recent = mean_last(pairs.get("production"), cfg.share_window)
    api = pairs.get("api_stock_months")
    low = np.where(np.isnan(api), 0.0, (api < cfg.api_low_months).astype(float))
    reported = to_variety(pairs, np.where(np.isnan(api), np.nan, recent), n_v, rows)
    return ratio(to_variety(pairs, np.nan_to_num(recent) * low, n_v, rows), reported)


def variety_supply(pairs: Block, rows: np.ndarray, n_v: int, cfg: FeatureConfig) -> dict[str, np.ndarray]:
    """Variety totals over its producers, plus the weakest API stock and concentration."""
    total = {c: to_variety(pairs, pairs.get(c), n_v, rows)
             for c in ("production", "sales", "inventory", "capacity", "safety_stock")}
    out = _flows(total["production"], total["sales"], total["inventory"], total["capacity"], total["safety_stock"],
                 cfg)
    below = np.where(np.isnan(pairs.get("safety_stock")) | np.isnan(pairs.get("inventory")), np.nan,
                     (pairs.get("inventory") < pairs.get("safety_stock")).astype(float))
    out["producers_below_safety"] = to_variety(pairs, below, n_v, rows)
    api = pairs.get("api_stock_months")
    out["api_stock_months_min"] = to_variety(pairs, api, n_v, rows, how="min")
    out["api_stock_change"] = to_variety(pairs, api - lag(api, cfg.short_window), n_v, rows, how="min")
    out["api_low_share"] = _api_low_share(pairs, rows, n_v, cfg)
    out.update(_concentration(pairs, rows, n_v, cfg))
    out.update(projection(total["production"], total["sales"], total["inventory"], total["safety_stock"], cfg))
    out["sales"] = total["sales"]  # for demand features; not a model feature itself
    return out
