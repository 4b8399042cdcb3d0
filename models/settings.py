"""Risk-model parameters from ``configs/model.yaml``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from shortage_radar.config import FrozenModel, load_config


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
    retrain_every: int
    top_drivers: int
    predict_threads: int


@lru_cache(maxsize=4)
def model_config(config_dir: Path | None = None) -> ModelConfig:
    """configs/model.yaml (packaged, or from ``config_dir``)."""
    return load_config("model", ModelConfig, config_dir=config_dir)
