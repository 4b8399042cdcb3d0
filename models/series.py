"""Monthly series to forecast, as known at the end of month t: sales, production, inventory.

Variety series sum their producers' reports; a producer's missing report is carried forward
for at most ``carry_forward_months`` (the same rule as the features), so one late report does
not look like a collapse. Output is statsforecast's long format: unique_id, ds, y.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shortage_radar.contract.panel import Panel
from shortage_radar.features import as_known_at
from shortage_radar.features.grid import Block, pair_block, panel_months, to_variety, variety_keys, variety_rows
from shortage_radar.features.settings import feature_config

SERIES = ("sales", "production", "inventory")


def _long(ids: np.ndarray, months: pd.PeriodIndex, values: np.ndarray, series: str) -> pd.DataFrame:
    n, t = values.shape
    frame = pd.DataFrame({"unique_id": np.repeat(ids, t), "ds": np.tile(months.to_timestamp(), n),
                          "y": values.ravel(), "series": series})
    return frame


def _trim(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop each series' leading gap; fill inner gaps with the last value (then 0)."""
    frame = frame.sort_values(["unique_id", "ds"], kind="stable")
    started = frame["y"].notna().groupby(frame["unique_id"]).cummax()
    frame = frame[started].copy()
    frame["y"] = frame.groupby("unique_id")["y"].ffill().fillna(0.0).clip(lower=0.0)
    return frame.reset_index(drop=True)


def series_as_of(panel: Panel, month: pd.Period,
                 grid: pd.PeriodIndex | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(long frame of every series known by ``month``, id table: unique_id -> entity, variety, enterprise).

    ``grid`` is the month grid (default: the known panel's); a partition of varieties passes the whole panel's.
    """
    known = as_known_at(panel, month)
    if "monthly_reports" not in known or not len(known["monthly_reports"]):
        return pd.DataFrame(columns=["unique_id", "ds", "y", "series"]), pd.DataFrame(
            columns=["unique_id", "entity", "variety_id", "enterprise_id"])
    months = panel_months(known) if grid is None else grid
    months = months[months <= month]
    pairs: Block = pair_block(known, months, feature_config())
    varieties = variety_keys(known)
    rows = variety_rows(varieties, pairs.keys)
    v_ids = "variety|" + varieties["variety_id"].astype(str).to_numpy()
    p_ids = ("enterprise|" + pairs.keys["enterprise_id"].astype(str) + "|" + pairs.keys["variety_id"].astype(str)
             ).to_numpy()
    parts = []
    for name in SERIES:
        parts.append(_long(v_ids, months, to_variety(pairs, pairs.get(name), len(varieties), rows), name))
        parts.append(_long(p_ids, months, pairs.get(name), name))
    ids = pd.concat([
        pd.DataFrame({"unique_id": v_ids, "entity": "variety", "variety_id": varieties["variety_id"].astype(str),
                      "enterprise_id": ""}),
        pd.DataFrame({"unique_id": p_ids, "entity": "enterprise", "variety_id": pairs.keys["variety_id"].astype(str),
                      "enterprise_id": pairs.keys["enterprise_id"].astype(str)}),
    ], ignore_index=True)
    return _trim(pd.concat(parts, ignore_index=True)), ids
