"""Report parameters from ``configs/report.yaml``."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field

from shortage_radar.config import FrozenModel, load_config


class ReportConfig(FrozenModel):
    detail_top: int = Field(ge=0)
    detail_max: int = Field(ge=0)
    history_months: int = Field(ge=1)
    forecast_horizon: int = Field(ge=0)
    value_decimals: int = Field(ge=0)
    chart_height: int = Field(ge=200)
    page_rows: int = Field(ge=1)
    audit_findings_max: int = Field(ge=0)
    trend_months: int = Field(ge=1)
    criticality_rows: int = Field(ge=0)


@lru_cache(maxsize=1)
def report_config() -> ReportConfig:
    return load_config("report", ReportConfig)
