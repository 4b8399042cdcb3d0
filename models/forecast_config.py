"""Forecast parameters from ``configs/forecast.yaml``."""

from __future__ import annotations

from functools import lru_cache

from shortage_radar.config import FrozenModel, load_config


class GlobalModelConfig(FrozenModel):
    """The mlforecast LightGBM global model: features, conformal windows, fallback, booster parameters."""

    lags: tuple[int, ...]
    conformal_windows: int
    min_train_months: int
    fallback_model: str
    lightgbm: dict[str, float | int | bool | str]


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
    global_model: GlobalModelConfig


@lru_cache(maxsize=1)
def forecast_config() -> ForecastConfig:
    """configs/forecast.yaml, read once."""
    return load_config("forecast", ForecastConfig)
