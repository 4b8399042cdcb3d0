"""Tuning parameters from ``configs/tune.yaml``: folds, budgets and search spaces."""

from __future__ import annotations

from functools import lru_cache

from shortage_radar.config import FrozenModel, load_config


class Range(FrozenModel):
    low: float
    high: float
    log: bool = False
    integer: bool = False
    step: float | None = None


class PolicySearch(FrozenModel):
    min_risk: Range
    blue_ratio: Range
    orange_step: Range
    red_step: Range
    max_impact: int


class TuneConfig(FrozenModel):
    holdout_months: int
    folds: int
    fold_months: int
    trials: int
    policy_trials: int
    seed: int
    max_warned_share: float
    severe_share: Range
    red_share: Range
    severity_weight: float
    search: dict[str, Range]
    policy_search: PolicySearch


@lru_cache(maxsize=1)
def tune_config() -> TuneConfig:
    return load_config("tune", TuneConfig)
