"""Feature-layer parameters from ``configs/features.yaml``."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from shortage_radar.config import FrozenModel, load_config


class FeatureConfig(FrozenModel):
    carry_forward_months: int
    short_window: int
    volatility_window: int
    share_window: int
    history_windows: tuple[int, ...]
    active_production_floor: float
    pre_selection_months: int
    projection_horizon: int
    projection_alpha: float
    projection_beta: float
    usual_window: int
    api_low_months: float
    report_features: Literal["auto", "always", "never"]
    audit_features: bool
    episode_features: bool


@lru_cache(maxsize=1)
def feature_config() -> FeatureConfig:
    return load_config("features", FeatureConfig)
