"""The warning policy: risk and impact thresholds -> level 1-4 and the response tier it calls for."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from shortage_radar.config import FrozenModel, load_config
from shortage_radar.models.watchlist import NAMES, TIERS


__all__ = ["NAMES", "TIERS", "ImpactRule", "LevelRule", "WarningPolicy", "impact_points", "tiers",
           "warning_levels", "warning_policy"]


class LevelRule(FrozenModel):
    level: int
    min_risk: float
    min_impact: int


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


@lru_cache(maxsize=4)
def warning_policy(config_dir: Path | None = None) -> WarningPolicy:
    return load_config("warning_policy", WarningPolicy, config_dir=config_dir)


def _col(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame:
        return np.zeros(len(frame))
    return np.nan_to_num(frame[name].to_numpy(dtype=float))


def impact_points(frame: pd.DataFrame, rule: ImpactRule) -> np.ndarray:
    """How much a shortage of this variety would matter: lists, essential, breadth, few producers."""
    listed = np.maximum(_col(frame, "on_shortage_list"), _col(frame, "on_key_monitoring_list")) > 0
    producers = frame["producers_active"].to_numpy(dtype=float) if "producers_active" in frame else np.full(
        len(frame), np.nan)
    few = ~np.isnan(producers) & (producers <= rule.few_producers_threshold)
    return (rule.national_list * listed + rule.essential * (_col(frame, "essential") > 0)
            + rule.provinces_reporting * (_col(frame, "provinces_reporting") >= rule.provinces_threshold)
            + rule.few_producers * few).astype(int)


def warning_levels(risk: np.ndarray, impact: np.ndarray, policy: WarningPolicy) -> np.ndarray:
    """The most severe level (lowest number) whose thresholds the row meets; 0 for none."""
    level = np.zeros(len(risk), dtype=int)
    for rule in sorted(policy.levels, key=lambda r: -r.level):  # blue first, red last overrides
        hit = (risk >= rule.min_risk) & (impact >= rule.min_impact)
        level = np.where(hit, rule.level, level)
    return level


def tiers(levels: np.ndarray) -> np.ndarray:
    return np.array([TIERS[int(x)] for x in levels], dtype=object)
