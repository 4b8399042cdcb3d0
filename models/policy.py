"""The warning policy: risk and impact thresholds -> level 1-4 and the response tier it calls for.

By default (``fit.mode: fitted``) the risk thresholds are not configured numbers but are fitted to
each deployment at train time (:func:`fit_policy`): the configuration gives, per level, a warning
budget (the share of varieties a month the level may reach) and a minimum lift (precision over the
base rate) that the level's warnings must have had on the training window's inner validation.
``fixed`` uses ``levels`` as written (``shortage tune`` writes them).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from shortage_radar.config import FrozenModel, load_config
from shortage_radar.features.catalog import VARIETY_PREFIX
from shortage_radar.models.watchlist import NAMES, TIERS


__all__ = ["NAMES", "TIERS", "ImpactRule", "LevelRule", "LevelTarget", "PolicyFit", "WarningPolicy", "cap_warnings",
           "effective_policy", "impact_parts", "onset_levels", "impact_points", "impact_view", "tiers", "warning_cap",
           "warning_levels", "warning_policy"]


class LevelRule(FrozenModel):
    level: int
    min_risk: float
    min_impact: int
    active: bool = True            # a fitted level none of whose shares met its minimum lift is off
    share: float | None = None     # fitted: share of the inner validation's rows at or above min_risk
    lift: float | None = None      # fitted: precision / base rate of the level's inner-validation warnings


class LevelTarget(FrozenModel):
    level: int
    budget: float                  # at most this share of rows a month at or above the level's risk threshold
    min_lift: float                # the level's warnings had at least this precision / base rate
    min_impact: int


class PolicyFit(FrozenModel):
    mode: str                      # fitted | fixed
    targets: tuple[LevelTarget, ...]
    share_step: float              # shares tried: budget, budget - step, ... down to step
    min_hits: int                  # fewer onsets among a share's warnings: its lift is not judged, share not taken
    confidence_z: float            # the lift must hold for the Wilson lower bound of the precision at this z
    max_warned_share: float        # hard cap: level 1-3 rows of an entity kind a month beyond it become level 4


class ImpactRule(FrozenModel):
    national_list: int
    essential: int
    provinces_reporting: int
    provinces_threshold: float
    few_producers: int
    few_producers_threshold: float


class WarningPolicy(FrozenModel):
    levels: tuple[LevelRule, ...]
    impact: ImpactRule
    fit: PolicyFit | None = None
    fitted_on: str | None = None   # what a fitted policy was chosen on (None: as configured)
    ongoing_level: Literal[0, 4] = 4  # a row already in shortage: level 1-3 becomes this (onset warnings)

    def summary(self) -> dict:
        """The thresholds in force and how they were set (for /v1/model, MLflow and the report)."""
        return {"fitted_on": self.fitted_on or "configured",
                "levels": [r.model_dump() for r in sorted(self.levels, key=lambda r: r.level)]}


@lru_cache(maxsize=4)
def warning_policy(config_dir: Path | None = None) -> WarningPolicy:
    return load_config("warning_policy", WarningPolicy, config_dir=config_dir)


def _col(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame:
        return np.zeros(len(frame))
    return np.nan_to_num(frame[name].to_numpy(dtype=float))


def impact_view(rows: pd.DataFrame) -> pd.DataFrame:
    """Pair rows judge impact by their variety's context columns."""
    prefixed = {c: c[len(VARIETY_PREFIX):] for c in rows.columns if c.startswith(VARIETY_PREFIX)}
    return rows.rename(columns=prefixed) if prefixed else rows


def impact_parts(frame: pd.DataFrame, rule: ImpactRule) -> dict[str, np.ndarray]:
    """Impact points per condition (shortage list, monitoring list, essential, provinces, few producers)."""
    shortage_list, monitoring = _col(frame, "on_shortage_list") > 0, _col(frame, "on_key_monitoring_list") > 0
    producers = frame["producers_active"].to_numpy(dtype=float) if "producers_active" in frame else np.full(
        len(frame), np.nan)
    few = ~np.isnan(producers) & (producers <= rule.few_producers_threshold)
    return {"national_list": rule.national_list * (shortage_list | monitoring),
            "essential": rule.essential * (_col(frame, "essential") > 0),
            "provinces_reporting": rule.provinces_reporting * (_col(frame, "provinces_reporting")
                                                               >= rule.provinces_threshold),
            "few_producers": rule.few_producers * few}


def impact_points(frame: pd.DataFrame, rule: ImpactRule) -> np.ndarray:
    """How much a shortage of this variety would matter: lists, essential, breadth, few producers."""
    return sum(impact_parts(frame, rule).values(), np.zeros(len(frame))).astype(int)


def warning_levels(risk: np.ndarray, impact: np.ndarray, policy: WarningPolicy) -> np.ndarray:
    """The most severe level (lowest number) whose thresholds the row meets; 0 for none."""
    level = np.zeros(len(risk), dtype=int)
    for rule in sorted(policy.levels, key=lambda r: -r.level):  # blue first, red last overrides
        if not rule.active:
            continue
        hit = (risk >= rule.min_risk) & (impact >= rule.min_impact)
        level = np.where(hit, rule.level, level)
    return level


def onset_levels(level: np.ndarray, ongoing: np.ndarray, policy: WarningPolicy) -> np.ndarray:
    """Levels 1-3 warn of a shortage still to come: a row already in shortage gets ``ongoing_level``.

    It stays on the watchlist (its risk is of a new onset after this one) and in the report's
    "in shortage now" list, but it does not take an early-warning place from a variety not yet short.
    """
    held = np.asarray(ongoing, dtype=bool) & (level >= 1) & (level <= 3)
    return np.where(held, policy.ongoing_level, level)


def tiers(levels: np.ndarray) -> np.ndarray:
    return np.array([TIERS[int(x)] for x in levels], dtype=object)


def effective_policy(configured: WarningPolicy, fitted: WarningPolicy | None) -> WarningPolicy:
    """The model's fitted policy in ``fitted`` mode, else the configured levels."""
    if fitted is None or configured.fit is None or configured.fit.mode != "fitted":
        return configured
    # impact and the level of rows in shortage are configured, not fitted (and a model registered before
    # ``ongoing_level`` existed has none)
    return fitted.model_copy(update={"impact": configured.impact, "ongoing_level": configured.ongoing_level})


def warning_cap(policy: WarningPolicy) -> float | None:
    """The share of rows a month that may be at level 1-3 (fitted mode only; None: no cap)."""
    return policy.fit.max_warned_share if policy.fit is not None and policy.fit.mode == "fitted" else None


def cap_warnings(levels: np.ndarray, order: np.ndarray, max_share: float | None) -> np.ndarray:
    """Levels of one month's rows with at most ``max_share`` of them at level 1-3: beyond it, the
    lowest-ranked warnings (``order``: rank, 1 = highest risk) become level 4."""
    if max_share is None:
        return levels
    allowed = int(np.floor(max_share * len(levels) + 1e-9))
    warned = np.isin(levels, (1, 2, 3))
    position = np.empty(len(levels), dtype=int)
    position[np.argsort(order, kind="stable")] = np.arange(len(levels))
    warned_rank = np.full(len(levels), np.iinfo(int).max)
    idx = np.flatnonzero(warned)
    warned_rank[idx[np.argsort(position[idx], kind="stable")]] = np.arange(len(idx))
    return np.where(warned & (warned_rank >= allowed), 4, levels)
