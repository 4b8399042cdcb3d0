"""Turn model rows into contract watchlist rows: risk, level, tier, rank, drivers."""

from __future__ import annotations

import numpy as np
import pandas as pd

from shortage_radar.features.catalog import VARIETY_PREFIX
from shortage_radar.models.drivers import drivers
from shortage_radar.models.policy import WarningPolicy, impact_points, tiers, warning_levels
from shortage_radar.models.risk import RiskModel
from shortage_radar.models.settings import ModelConfig
from shortage_radar.models.watchlist import WATCHLIST_COLUMNS



def _impact_view(rows: pd.DataFrame) -> pd.DataFrame:
    """Pair rows judge impact by their variety's context columns."""
    prefixed = {c: c[len(VARIETY_PREFIX):] for c in rows.columns if c.startswith(VARIETY_PREFIX)}
    return rows.rename(columns=prefixed) if prefixed else rows


def _drivers(model: RiskModel, rows: pd.DataFrame, cfg: ModelConfig) -> list[str]:
    return drivers(rows, model.features, model.contributions(rows, cfg.predict_threads), cfg.top_drivers)


def score_rows(model: RiskModel, rows: pd.DataFrame, policy: WarningPolicy, cfg: ModelConfig,
               with_drivers: bool = True) -> pd.DataFrame:
    """Watchlist rows for ``rows`` (one entity kind); ongoing rows are scored and marked.

    ``with_drivers=False`` leaves drivers empty: metrics-only backtests skip the costly contributions.
    """
    return ranked(unranked_rows(model, rows, policy, cfg, with_drivers))


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
    """Rank 1 = highest risk within each month (ties by variety, then enterprise), in the contract's columns."""
    if out.empty:
        return pd.DataFrame(columns=WATCHLIST_COLUMNS)
    out = out.reset_index(drop=True)
    order = out.sort_values(["month", "risk", "variety_id", "enterprise_id"], ascending=[True, False, True, True],
                            kind="stable")
    out.loc[order.index, "rank"] = order.groupby("month").cumcount().to_numpy() + 1
    out["rank"] = out["rank"].astype(int)
    return out[WATCHLIST_COLUMNS]
