"""Demand: sales and purchase trends, seasonality, surges vs last year, institution shortage reports."""

from __future__ import annotations

import numpy as np
import pandas as pd

from shortage_radar.features.grid import Block, month_pos, scatter
from shortage_radar.features.settings import FeatureConfig
from shortage_radar.features.window import change, lag, mean_last, ratio, sum_last, vs_usual

YEAR = 12


def _by_variety(varieties: Block, table: pd.DataFrame, column: str, how: str = "sum") -> np.ndarray:
    keys = pd.Index(varieties.keys["variety_id"].astype("string[pyarrow]"))
    rows = pd.Categorical(table["variety_id"].astype("string[pyarrow]"), categories=keys).codes.astype(np.int64)
    values = table[column].to_numpy(dtype=float, na_value=np.nan)
    return scatter(varieties.shape, rows, month_pos(varieties.months, table["month"]), values, how)


def _series_features(prefix: str, x: np.ndarray, w: int) -> dict[str, np.ndarray]:
    level = mean_last(x, w)
    return {
        f"{prefix}_trend": change(x, w),
        f"{prefix}_vs_last_year": ratio(level, lag(level, YEAR)) - 1.0,
        # last year's next months over last year's current months: the season ahead
        f"{prefix}_season_ahead": ratio(lag(level, YEAR - w), lag(level, YEAR)) - 1.0,
    }


def variety_demand(varieties: Block, sales: np.ndarray, procurement: pd.DataFrame | None,
                   institutions: pd.DataFrame | None, cfg: FeatureConfig) -> dict[str, np.ndarray]:
    w = cfg.short_window
    out = _series_features("sales", sales, w)
    out["sales_vs_usual"] = vs_usual(sales, cfg.usual_window)
    if procurement is not None:
        out.update(_series_features("purchases", _by_variety(varieties, procurement, "purchase_volume"), w))
    if institutions is not None:
        reports = np.nan_to_num(_by_variety(varieties, institutions, "reports"))
        flagged = institutions.assign(flag=(institutions["reports"] > 0).astype(float))
        provinces = np.nan_to_num(_by_variety(varieties, flagged, "flag"))
        out.update({
            "institution_reports": reports,
            "institution_reports_recent": sum_last(reports, w),
            "institution_reports_trend": sum_last(reports, w) - lag(sum_last(reports, w), w),
            "institution_reports_vs_usual": vs_usual(reports, cfg.usual_window, smooth=1.0),
            "provinces_reporting": provinces,
            "provinces_reporting_recent": mean_last(provinces, w),
        })
    return out
