"""Turn model rows into contract watchlist rows: risk, level, tier, rank, drivers."""

from __future__ import annotations

import numpy as np
import pandas as pd

from shortage_radar.models.curve import HORIZONS, column
from shortage_radar.models.drivers import drivers
from shortage_radar.models.policy import (WarningPolicy, cap_warnings, effective_policy, impact_points,
                                          impact_view, tiers, warning_cap, warning_levels, warning_policy)
from shortage_radar.models.risk import RiskModel
from shortage_radar.models.settings import ModelConfig
from shortage_radar.models.watchlist import WATCHLIST_COLUMNS

# the contract's columns, ``ongoing``, then the risk curve (contract v1.1 §4; models/watchlist.py)
CURVE_COLUMNS = [column(h) for h in HORIZONS]
SCORED_COLUMNS = [*WATCHLIST_COLUMNS, *CURVE_COLUMNS]


def _drivers(model: RiskModel, rows: pd.DataFrame, cfg: ModelConfig) -> list[str]:
    return drivers(rows, model.features, model.contributions(rows, cfg.predict_threads), cfg.top_drivers)


def score_rows(model: RiskModel, rows: pd.DataFrame, policy: WarningPolicy, cfg: ModelConfig,
               with_drivers: bool = True) -> pd.DataFrame:
    """Watchlist rows for ``rows`` (one entity kind); ongoing rows are scored and marked.

    ``with_drivers=False`` leaves drivers empty: metrics-only backtests skip the costly contributions.
    """
    return ranked(unranked_rows(model, rows, policy, cfg, with_drivers), policy)


def unranked_rows(model: RiskModel, rows: pd.DataFrame, policy: WarningPolicy, cfg: ModelConfig,
                  with_drivers: bool = True) -> pd.DataFrame:
    """Every watchlist column but ``rank``: row by row, so any split of the rows gives the same values."""
    if rows.empty:
        return pd.DataFrame(columns=[c for c in SCORED_COLUMNS if c != "rank"])
    curve = model.risk_curve(rows, cfg.horizon)
    risk = np.clip(curve[cfg.horizon], 0.0, 1.0)
    policy = effective_policy(policy, model.policy)
    level = warning_levels(risk, impact_points(impact_view(rows), policy.impact), policy)
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
        **{column(h): np.round(np.clip(curve[h], 0.0, 1.0), 6) for h in HORIZONS},
    })


def ranked(out: pd.DataFrame, policy: WarningPolicy | None = None) -> pd.DataFrame:
    """Rank 1 = highest risk within each month (ties by variety, then enterprise), in the contract's columns.

    Then the policy's hard cap (``fit.max_warned_share``, default policy: the configured one): beyond
    it, a month's lowest-ranked level 1-3 rows become level 4 (rows of one entity kind at a time).
    """
    if out.empty:
        return pd.DataFrame(columns=SCORED_COLUMNS)
    out = out.reset_index(drop=True)
    order = out.sort_values(["month", "risk", "variety_id", "enterprise_id"], ascending=[True, False, True, True],
                            kind="stable")
    out.loc[order.index, "rank"] = order.groupby("month").cumcount().to_numpy() + 1
    out["rank"] = out["rank"].astype(int)
    cap = warning_cap(policy or warning_policy())
    if cap is not None:
        for _, idx in out.groupby(["entity", "month"]).groups.items():
            levels = cap_warnings(out.loc[idx, "warning_level"].to_numpy(), out.loc[idx, "rank"].to_numpy(), cap)
            out.loc[idx, "warning_level"] = levels
        out["response_tier"] = tiers(out["warning_level"].to_numpy())
    return out[SCORED_COLUMNS]
