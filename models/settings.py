"""Risk-model parameters from ``configs/model.yaml``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import Field, model_validator

from shortage_radar.config import FrozenModel, load_config


class BaselineSpec(FrozenModel):
    name: str
    column: str
    direction: int
    cap: float


class ModelConfig(FrozenModel):
    horizon: int
    seed: int
    gap_months: int
    gap_warmup_months: int
    derived_ratio: float
    derived_window: int
    derived_months: int
    calibration_months: int
    calibration_max_share: float
    min_calibration_positives: int
    calibration_method: str
    min_train_positives: int
    lightgbm: dict[str, Any]
    baselines: tuple[BaselineSpec, ...]
    guard: bool
    simple_lightgbm: dict[str, Any]
    inner_months: int
    inner_max_share: float
    min_inner_positives: int
    blend_steps: int
    platt_min_slope: float = Field(gt=0)  # a floor above 0 keeps a score's order
    signal_quantile: float
    signal_draws: int
    fallback_baseline: str
    retrain_every: int
    predict_threads: int

    @model_validator(mode="after")
    def _fallback_is_a_baseline(self) -> ModelConfig:
        names = [b.name for b in self.baselines]
        if self.fallback_baseline not in names:
            raise ValueError(f"fallback_baseline {self.fallback_baseline!r} is not a baseline; use one of {names}")
        return self


@lru_cache(maxsize=4)
def model_config(config_dir: Path | None = None) -> ModelConfig:
    """configs/model.yaml (packaged, or from ``config_dir``)."""
    return load_config("model", ModelConfig, config_dir=config_dir)
