"""Service parameters from ``configs/serve.yaml`` (body and page limits, caches, scoring bounds)."""

from __future__ import annotations

from functools import lru_cache

from pydantic import PositiveFloat, PositiveInt

from shortage_radar.config import FrozenModel, load_config


class ServeConfig(FrozenModel):
    host: str
    port: PositiveInt
    workers: PositiveInt
    max_body_bytes: PositiveInt
    page_default: PositiveInt
    page_max: PositiveInt
    history_max_months: PositiveInt
    score_max_rows: PositiveInt
    score_max_varieties: PositiveInt
    score_months_ahead: int
    score_concurrency: PositiveInt
    key_cache_seconds: float
    key_bytes: PositiveInt
    refresh_seconds: PositiveFloat
    index_months: int
    report_cache_dir: str
    warm_report: bool


@lru_cache(maxsize=1)
def serve_config() -> ServeConfig:
    """configs/serve.yaml, read once."""
    return load_config("serve", ServeConfig)
