"""The one scoring path: model-table rows of a month -> contract watchlist rows (risk, level, tier, rank, drivers).

``score_tables`` is what the monthly run, the backtest, the service's live scoring and the Dask
engine's partitions all call; nothing else turns model rows into watchlist rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shortage_radar.models.curve import HORIZONS, column
from shortage_radar.models.dataset import ModelTables, local
from shortage_radar.models.drivers import drivers
from shortage_radar.models.levels import level_reasons
from shortage_radar.models.policy import (NAMES, WarningPolicy, cap_warnings, effective_policy, impact_points,
                                          impact_view, onset_levels, tiers, warning_cap, warning_levels,
                                          warning_policy)
from shortage_radar.models.risk import RiskModel
from shortage_radar.models.settings import ModelConfig
from shortage_radar.models.watchlist import WATCHLIST_COLUMNS

# the contract's columns, ``ongoing``, then the risk curve (contract v1.1 §4; models/watchlist.py)
CURVE_COLUMNS = [column(h) for h in HORIZONS]
EXPLAINED = ["impact", "level_reason", "drivers_zh"]  # the extension columns this scorer writes
SCORED_COLUMNS = [*WATCHLIST_COLUMNS, *CURVE_COLUMNS, *EXPLAINED]


def _drivers(model: RiskModel, rows: pd.DataFrame, cfg: ModelConfig) -> tuple[list[str], list[str]]:
    """(English, Chinese) drivers per row."""
    return drivers(rows, model.features, model.contributions(rows, cfg.predict_threads))


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
        return parts[0] if not rank else ranked(parts[0], policy)
    joined = pd.concat(rows, ignore_index=True) if len(rows) > 1 else rows[0]
    return rank_watchlist(joined, policy) if rank else joined


def unranked_rows(model: RiskModel, rows: pd.DataFrame, policy: WarningPolicy, cfg: ModelConfig,
                  with_drivers: bool = True) -> pd.DataFrame:
    """Every watchlist column but ``rank``: row by row, so any split of the rows gives the same values."""
    if rows.empty:
        return pd.DataFrame(columns=[c for c in SCORED_COLUMNS if c != "rank"])
    curve = model.risk_curve(rows, cfg.horizon)
    risk = np.clip(curve[cfg.horizon], 0.0, 1.0)
    policy = effective_policy(policy, model.policy)
    view = impact_view(rows)
    onset_level = warning_levels(risk, impact_points(view, policy.impact), policy)
    ongoing = rows["ongoing"].astype(bool).to_numpy() if "ongoing" in rows else np.zeros(len(rows), dtype=bool)
    level = onset_levels(onset_level, ongoing, policy)
    impact, reasons = level_reasons(view, risk, onset_level, ongoing, policy, level) if with_drivers else (
        impact_points(view, policy.impact), "")
    said = _drivers(model, rows, cfg) if with_drivers else ("", "")
    return pd.DataFrame({
        "entity": rows["entity"].to_numpy(),
        "variety_id": rows["variety_id"].astype(str).to_numpy(),
        "enterprise_id": rows["enterprise_id"].astype(str).to_numpy() if "enterprise_id" in rows else "",
        "month": rows["month"].astype(str).to_numpy(),
        "horizon": cfg.horizon,
        "risk": np.round(risk, 6),
        "warning_level": level,
        "response_tier": tiers(level),
        "drivers": said[0],
        "ongoing": ongoing,
        **{column(h): np.round(np.clip(curve[h], 0.0, 1.0), 6) for h in HORIZONS},
        "impact": impact,
        "level_reason": reasons,
        "drivers_zh": said[1],
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
        before = out["warning_level"].to_numpy().copy()
        for _, idx in out.groupby(["entity", "month"]).groups.items():
            levels = cap_warnings(out.loc[idx, "warning_level"].to_numpy(), out.loc[idx, "rank"].to_numpy(), cap)
            out.loc[idx, "warning_level"] = levels
        out["response_tier"] = tiers(out["warning_level"].to_numpy())
        _explain_capped(out, before != out["warning_level"].to_numpy(), cap)
    return out[SCORED_COLUMNS]


def _explain_capped(out: pd.DataFrame, capped: np.ndarray, cap: float) -> None:
    """Rows the cap moved to blue say so, before the reason the thresholds alone gave."""
    said = capped & (out["level_reason"].astype(str) != "").to_numpy()
    if said.any():
        out.loc[said, "level_reason"] = (f"{NAMES[4][0]}: held at blue because at most {cap:.0%} of rows a month "
                                         "are warned at level 1-3 and higher-ranked rows filled it; without the cap: "
                                         + out.loc[said, "level_reason"].astype(str))


def rank_watchlist(rows: pd.DataFrame, policy: WarningPolicy | None = None) -> pd.DataFrame:
    """Ranks (and the policy's cap) within each entity kind and month; variety rows first, then enterprise rows."""
    parts = [ranked(rows[rows["entity"] == kind].reset_index(drop=True), policy) for kind in ("variety", "enterprise")]
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=SCORED_COLUMNS)
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
