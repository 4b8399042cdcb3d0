"""Suspensions known at t: open stops, their share of supply, reasons, time suspended vs expected."""

from __future__ import annotations

import numpy as np
import pandas as pd

from shortage_radar.contract.settings import contract_config
from shortage_radar.features.grid import Block, month_pos, to_variety
from shortage_radar.features.settings import FeatureConfig
from shortage_radar.features.window import mean_last, months_since, ratio


def _pair_rows(pairs: Block, table: pd.DataFrame) -> np.ndarray:
    lookup = pd.MultiIndex.from_frame(pairs.keys[["enterprise_id", "variety_id"]].astype(str))
    return lookup.get_indexer(pd.MultiIndex.from_frame(table[["enterprise_id", "variety_id"]].astype(str)))


def _masks(pairs: Block, table: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per suspension row, over the months: open and known, announced ahead, elapsed / expected."""
    months = pairs.months
    start = month_pos(months, table["start_month"])[:, None]
    reported = month_pos(months, table["reported_month"])[:, None]
    end = np.nan_to_num(month_pos(months, table["actual_end_month"]), nan=np.inf)[:, None]
    expected = month_pos(months, table["expected_end_month"])[:, None]
    t = np.arange(len(months))[None, :]
    is_open = (t >= np.maximum(start, reported)) & (t < end)
    return {
        "open": is_open,
        "announced": (t >= reported) & (t < start),
        "overrun": np.where(is_open, (t - start + 1) / np.maximum(expected - start, 1), np.nan),
        "reported_now": t == reported,
    }


def pair_suspensions(pairs: Block, table: pd.DataFrame | None) -> dict[str, np.ndarray]:
    """0/1 and per-reason flags per pair (all NaN when the feed is absent)."""
    if table is None:
        return {}
    rows = _pair_rows(pairs, table)
    masks = _masks(pairs, table)
    out: dict[str, np.ndarray] = {}
    for name in ("open", "announced", "reported_now"):
        arr = np.zeros(pairs.shape, dtype=bool)
        np.logical_or.at(arr, rows, masks[name])
        out[f"suspension_{name}"] = arr.astype(float)
    overrun = np.full(pairs.shape, -np.inf)
    np.maximum.at(overrun, rows, np.nan_to_num(masks["overrun"], nan=-np.inf))
    out["suspension_time_vs_expected"] = np.where(np.isfinite(overrun), overrun, np.nan)
    for reason in contract_config().suspension_reasons:
        arr = np.zeros(pairs.shape, dtype=bool)
        pick = (table["reason"] == reason).fillna(False).to_numpy()
        np.logical_or.at(arr, rows[pick], masks["open"][pick])
        out[f"suspended_{reason}"] = arr.astype(float)
    return out


def variety_suspensions(pairs: Block, pair_feats: dict[str, np.ndarray], rows: np.ndarray, n_v: int,
                        cfg: FeatureConfig) -> dict[str, np.ndarray]:
    """Producers suspended, their share of recent production, reasons, longest overrun."""
    if "suspension_open" not in pair_feats:
        return {}
    open_ = pair_feats["suspension_open"]
    weight = np.nan_to_num(mean_last(pairs.get("production"), cfg.share_window))

    def count(values: np.ndarray) -> np.ndarray:  # 0, not NaN, for a variety with no known pair yet
        return np.nan_to_num(to_variety(pairs, values, n_v, rows))

    out = {
        "producers_suspended": count(open_),
        "suspended_share": ratio(to_variety(pairs, open_ * weight, n_v, rows), to_variety(pairs, weight, n_v, rows)),
        "suspensions_announced": count(pair_feats["suspension_announced"]),
        "suspension_time_vs_expected": to_variety(pairs, pair_feats["suspension_time_vs_expected"], n_v, rows,
                                                  how="max"),
        "months_since_suspension_report": months_since(
            to_variety(pairs, pair_feats["suspension_reported_now"], n_v, rows)),
    }
    for reason in contract_config().suspension_reasons:
        out[f"suspended_{reason}"] = count(pair_feats[f"suspended_{reason}"])
    return out
