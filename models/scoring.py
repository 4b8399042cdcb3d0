"""Turn model rows into contract watchlist rows: risk, level, tier, rank, drivers."""

from __future__ import annotations

import numpy as np
import pandas as pd

from shortage_radar.features.catalog import VARIETY_PREFIX
from shortage_radar.models.drivers import drivers
from shortage_radar.models.levels import level_reasons
from shortage_radar.models.policy import WarningPolicy, impact_points, tiers, warning_levels
from shortage_radar.models.risk import RiskModel
from shortage_radar.models.settings import ModelConfig
from shortage_radar.models.watchlist import EXTENSION_COLUMNS, WATCHLIST_COLUMNS, ordered

EXPLAINED = ["impact", "level_reason", "drivers_zh"]  # the extension columns this scorer writes


def _impact_view(rows: pd.DataFrame) -> pd.DataFrame:
    """Pair rows judge impact by their variety's context columns."""
    prefixed = {c: c[len(VARIETY_PREFIX):] for c in rows.columns if c.startswith(VARIETY_PREFIX)}
    return rows.rename(columns=prefixed) if prefixed else rows


def _drivers(model: RiskModel, rows: pd.DataFrame, cfg: ModelConfig) -> tuple[list[str], list[str]]:
    """(English, Chinese) drivers per row."""
    return drivers(rows, model.features, model.contributions(rows, cfg.predict_threads))


def score_rows(model: RiskModel, rows: pd.DataFrame, policy: WarningPolicy, cfg: ModelConfig,
               with_drivers: bool = True) -> pd.DataFrame:
    """Watchlist rows for ``rows`` (one entity kind); ongoing rows are scored and marked.

    ``with_drivers=False`` leaves drivers and level reasons empty: metrics-only backtests skip the costly
    contributions and sentences.
    """
    return ranked(unranked_rows(model, rows, policy, cfg, with_drivers))


def unranked_rows(model: RiskModel, rows: pd.DataFrame, policy: WarningPolicy, cfg: ModelConfig,
                  with_drivers: bool = True) -> pd.DataFrame:
    """Every watchlist column but ``rank``: row by row, so any split of the rows gives the same values."""
    if rows.empty:
        return pd.DataFrame(columns=[c for c in (*WATCHLIST_COLUMNS, *EXPLAINED) if c != "rank"])
    risk = np.clip(model.predict(rows), 0.0, 1.0)
    view = _impact_view(rows)
    level = warning_levels(risk, impact_points(view, policy.impact), policy)
    ongoing = rows["ongoing"].astype(bool).to_numpy() if "ongoing" in rows else np.zeros(len(rows), dtype=bool)
    impact, reasons = level_reasons(view, risk, level, ongoing, policy) if with_drivers else (
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
        "impact": impact,
        "level_reason": reasons,
        "drivers_zh": said[1],
    })


def ranked(out: pd.DataFrame) -> pd.DataFrame:
    """Rank 1 = highest risk within each month (ties by variety, then enterprise), in the contract's columns."""
    if out.empty:
        return pd.DataFrame(columns=[c for c in (*WATCHLIST_COLUMNS, *EXTENSION_COLUMNS) if c in out or
                                     c in WATCHLIST_COLUMNS])
    out = out.reset_index(drop=True)
    order = out.sort_values(["month", "risk", "variety_id", "enterprise_id"], ascending=[True, False, True, True],
                            kind="stable")
    out.loc[order.index, "rank"] = order.groupby("month").cumcount().to_numpy() + 1
    out["rank"] = out["rank"].astype(int)
    return ordered(out)
