"""Turn model rows into contract watchlist rows: risk, level, tier, rank, drivers."""

from __future__ import annotations

import numpy as np
import pandas as pd

from shortage_radar.features.catalog import VARIETY_PREFIX
from shortage_radar.models.drivers import drivers
from shortage_radar.models.policy import WarningPolicy, impact_points, tiers, warning_levels
from shortage_radar.models.risk import RiskModel

WATCHLIST_COLUMNS = ["entity", "variety_id", "enterprise_id", "month", "horizon", "risk", "warning_level",
                     "response_tier", "rank", "drivers", "ongoing"]


def _impact_view(rows: pd.DataFrame) -> pd.DataFrame:
    """Pair rows judge impact by their variety's context columns."""
    prefixed = {c: c[len(VARIETY_PREFIX):] for c in rows.columns if c.startswith(VARIETY_PREFIX)}
    return rows.rename(columns=prefixed) if prefixed else rows


def score_rows(model: RiskModel, rows: pd.DataFrame, policy: WarningPolicy, horizon: int,
               top_drivers: int) -> pd.DataFrame:
    """Watchlist rows for ``rows`` (one entity kind); ongoing rows are scored and marked."""
    if rows.empty:
        return pd.DataFrame(columns=WATCHLIST_COLUMNS)
    risk = np.clip(model.predict(rows), 0.0, 1.0)
    level = warning_levels(risk, impact_points(_impact_view(rows), policy.impact), policy)
    out = pd.DataFrame({
        "entity": rows["entity"].to_numpy(),
        "variety_id": rows["variety_id"].astype(str).to_numpy(),
        "enterprise_id": rows["enterprise_id"].astype(str).to_numpy() if "enterprise_id" in rows else "",
        "month": rows["month"].astype(str).to_numpy(),
        "horizon": horizon,
        "risk": np.round(risk, 6),
        "warning_level": level,
        "response_tier": tiers(level),
        "drivers": drivers(rows, model.features, model.contributions(rows), top_drivers),
        "ongoing": rows["ongoing"].astype(bool).to_numpy() if "ongoing" in rows else False,
    })
    order = out.sort_values(["month", "risk", "variety_id", "enterprise_id"], ascending=[True, False, True, True],
                            kind="stable")
    out.loc[order.index, "rank"] = order.groupby("month").cumcount().to_numpy() + 1
    out["rank"] = out["rank"].astype(int)
    return out[WATCHLIST_COLUMNS]
