"""Forecast parameters from ``configs/forecast.yaml``."""

from __future__ import annotations

from functools import lru_cache

from shortage_radar.config import FrozenModel, load_config


class ForecastConfig(FrozenModel):
    season_length: int
    levels: tuple[int, ...]
    horizon: int
    min_history: int
    intermittent_zero_share: float
    conformal_windows: int
    n_jobs: int
    models: dict[str, str]
    intermittent_model: str


@lru_cache(maxsize=1)
def forecast_config() -> ForecastConfig:
    return load_config("forecast", ForecastConfig)
