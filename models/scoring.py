"""The one scoring path: model-table rows of a month -> contract watchlist rows (risk, level, tier, rank, drivers).

``score_tables`` is what the monthly run, the backtest, the service's live scoring and the Dask
engine's partitions all call; nothing else turns model rows into watchlist rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shortage_radar.features.catalog import VARIETY_PREFIX
from shortage_radar.models.dataset import ModelTables, local
from shortage_radar.models.drivers import drivers
from shortage_radar.models.policy import WarningPolicy, impact_points, tiers, warning_levels
from shortage_radar.models.risk import RiskModel
from shortage_radar.models.settings import ModelConfig
from shortage_radar.models.watchlist import EXTENSION_COLUMNS, WATCHLIST_COLUMNS


def _impact_view(rows: pd.DataFrame) -> pd.DataFrame:
    """Pair rows judge impact by their variety's context columns."""
    prefixed = {c: c[len(VARIETY_PREFIX):] for c in rows.columns if c.startswith(VARIETY_PREFIX)}
    return rows.rename(columns=prefixed) if prefixed else rows


def _drivers(model: RiskModel, rows: pd.DataFrame, cfg: ModelConfig) -> list[str]:
    return drivers(rows, model.features, model.contributions(rows, cfg.predict_threads), cfg.top_drivers)


def score_tables(tables: ModelTables, month: pd.Period, variety: RiskModel, enterprise: RiskModel | None,
                 policy: WarningPolicy, cfg: ModelConfig, *, with_drivers: bool = True,
                 rank: bool = True) -> pd.DataFrame:
    """Watchlist rows of ``month``: its variety rows, then its pair rows when there is an enterprise model.

    ``with_drivers=False`` leaves drivers empty (metrics-only backtests skip the costly contributions);
    ``rank=False`` leaves ranks to the caller (a Dask partition: ranks are over all partitions).
    """
    parts = [unranked_rows(variety, local(tables.variety[tables.variety["month"] == month]), policy, cfg,
                           with_drivers)]
    if enterprise is not None and len(tables.pair):
        pairs = local(tables.pair[tables.pair["month"] == month])
        parts.append(unranked_rows(enterprise, pairs, policy, cfg, with_drivers))
    rows = [p for p in parts if len(p)]
    if not rows:
        return parts[0] if not rank else ranked(parts[0])
    joined = pd.concat(rows, ignore_index=True) if len(rows) > 1 else rows[0]
    return rank_watchlist(joined) if rank else joined


def unranked_rows(model: RiskModel, rows: pd.DataFrame, policy: WarningPolicy, cfg: ModelConfig,
                  with_drivers: bool = True) -> pd.DataFrame:
    """Every watchlist column but ``rank``: row by row, so any split of the rows gives the same values."""
    if rows.empty:
        return pd.DataFrame(columns=[c for c in WATCHLIST_COLUMNS if c != "rank"])
    risk = np.clip(model.predict(rows), 0.0, 1.0)
    level = warning_levels(risk, impact_points(_impact_view(rows), policy.impact), policy)
    return pd.DataFrame({
        "entity": rows["entity"].to_numpy(),
        "variety_id": rows["variety_id"].astype(str).to_numpy(),
        "enterprise_id": rows["enterprise_id"].astype(str).to_numpy() if "enterprise_id" in rows else "",
        "month": rows["month"].astype(str).to_numpy(),
        "horizon": cfg.horizon,
        "risk": np.round(risk, 6),
        "warning_level": level,
        "response_tier": tiers(level),
        "drivers": _drivers(model, rows, cfg) if with_drivers else "",
        "ongoing": rows["ongoing"].astype(bool).to_numpy() if "ongoing" in rows else False,
    })


def ranked(out: pd.DataFrame) -> pd.DataFrame:
    """Rank 1 = highest risk within each month (ties by variety, then enterprise), in the watchlist's columns."""
    if out.empty:
        return pd.DataFrame(columns=WATCHLIST_COLUMNS)
    out = out.reset_index(drop=True)
    order = out.sort_values(["month", "risk", "variety_id", "enterprise_id"], ascending=[True, False, True, True],
                            kind="stable")
    out.loc[order.index, "rank"] = order.groupby("month").cumcount().to_numpy() + 1
    out["rank"] = out["rank"].astype(int)
    return out[[c for c in (*WATCHLIST_COLUMNS, *EXTENSION_COLUMNS) if c in out]]


def rank_watchlist(rows: pd.DataFrame) -> pd.DataFrame:
    """Ranks within each entity kind and month; variety rows first, then enterprise rows."""
    parts = [ranked(rows[rows["entity"] == kind].reset_index(drop=True)) for kind in ("variety", "enterprise")]
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=WATCHLIST_COLUMNS)
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
