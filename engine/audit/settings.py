"""Audit thresholds from ``configs/audit.yaml``, validated into frozen models."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field

from shortage_radar.config import FrozenModel, load_config

CheckName = Literal["missing_report", "late_report", "stock_flow", "implausible_value", "under_delivery",
                    "price_spike"]
CHECKS: tuple[str, ...] = ("missing_report", "late_report", "stock_flow", "implausible_value", "under_delivery",
                           "price_spike")

Positive = Field(gt=0)
Share = Field(gt=0, le=1)


class FilingConfig(FrozenModel):
    deadline_day: int = Field(ge=1, le=28)


class MissingConfig(FrozenModel):
    recent_months: int = Field(ge=1)
    high_after_months: int = Field(ge=1)


class LateConfig(FrozenModel):
    high_after_days: int = Field(ge=1)


class StockFlowConfig(FrozenModel):
    relative_tolerance: float = Positive
    absolute_tolerance: float = Field(ge=0)
    high_relative: float = Positive


class ImplausibleConfig(FrozenModel):
    columns: tuple[Literal["production", "sales", "inventory", "capacity", "delivered_volume"], ...]
    downward_columns: tuple[str, ...]
    history_months: int = Field(ge=2)
    min_history: int = Field(ge=1)
    medium_ratio: float = Field(gt=1)
    medium_z: float = Positive
    high_ratio: float = Field(gt=1)
    mad_floor: float = Positive
    absolute_max: float = Positive
    capacity_margin: float = Field(ge=0)
    flow_margin: float = Field(ge=0)
    blank_severity: Literal["medium", "high"]


class DeliveryConfig(FrozenModel):
    ratio: float = Share
    months: int = Field(ge=1)
    high_ratio: float = Share


class PriceConfig(FrozenModel):
    recent_months: int = Field(ge=1)
    own_ratio: float = Field(gt=1)
    peer_ratio: float = Field(gt=1)
    high_ratio: float = Field(gt=1)


class AuditConfig(FrozenModel):
    """Which checks run and their thresholds."""

    checks: tuple[CheckName, ...]
    filing: FilingConfig
    missing_report: MissingConfig
    late_report: LateConfig
    stock_flow: StockFlowConfig
    implausible_value: ImplausibleConfig
    under_delivery: DeliveryConfig
    price_spike: PriceConfig


@lru_cache(maxsize=1)
def audit_config() -> AuditConfig:
    """The packaged audit configuration (read once per process)."""
    return load_config("audit", AuditConfig)
