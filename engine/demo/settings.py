"""Parameters of the demo-panel simulator, loaded from ``configs/demo.yaml``.

One nested frozen model per mechanism; every rate, size and threshold the simulator
uses lives in the YAML file (see ``docs/demo-data.md`` for what each one does).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field, model_validator

from shortage_radar.config import FrozenModel, load_config
from shortage_radar.demo.reasons import REASONS

OPTIONAL_REPORT_COLUMNS = (
    "capacity", "api_stock_months", "ex_factory_price", "contracted_volume", "delivered_volume", "safety_stock",
)

Share = Field(ge=0.0, le=1.0)
Positive = Field(gt=0.0)


class Span(FrozenModel):
    """A closed range ``[low, high]`` that a value is drawn from uniformly."""

    low: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        """Refuse a span whose high end is below its low end."""
        if self.high < self.low:
            raise ValueError(f"high ({self.high}) is below low ({self.low})")
        return self


class LogNormal(FrozenModel):
    """A log-normal draw given by its median and the sd of its logarithm."""

    median: float = Positive
    sigma: float = Field(ge=0.0)


class CalendarConfig(FrozenModel):
    """The panel's months: ``n_months`` consecutive months from ``start_month``."""

    start_month: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    n_months: int = Field(ge=6)


class SizeConfig(FrozenModel):
    """How many varieties and enterprises the world has."""

    n_varieties: int = Field(ge=2)
    n_enterprises: int = Field(ge=1)


class ProvinceConfig(FrozenModel):
    """Provinces with their population (demand weight) and pharma industry weight (where firms sit)."""

    names: tuple[str, ...]
    population_millions: tuple[float, ...]
    industry_weight: tuple[float, ...]

    @model_validator(mode="after")
    def _aligned(self) -> ProvinceConfig:
        """Refuse province lists of different lengths."""
        n = len(self.names)
        if len(self.population_millions) != n or len(self.industry_weight) != n:
            raise ValueError("names, population_millions and industry_weight must have the same length")
        return self


class TherapeuticClass(FrozenModel):
    """A therapeutic class: its share of varieties, seasonality and epidemic waves."""

    name: str
    weight: float = Positive
    seasonal_amplitude: float = Field(ge=0.0, lt=1.0)
    peak_month: int = Field(ge=1, le=12)
    epidemic_wave_prob: float = Share
    essential_share: float = Share
    name_suffixes: tuple[str, ...]


class WorldConfig(FrozenModel):
    """Static structure: classes, APIs shared by varieties, producers per variety, enterprises."""

    classes: tuple[TherapeuticClass, ...]
    name_prefixes: tuple[str, ...]
    dosage_forms: tuple[str, ...]
    api_group_size_weights: tuple[float, ...]
    producers_per_variety_weights: tuple[float, ...]
    enterprise_size_zipf: float = Positive
    share_dirichlet_alpha: float = Positive
    reserve_share: float = Share
    enterprise_name_prefixes: tuple[str, ...]
    enterprise_name_suffixes: tuple[str, ...]


class ListsConfig(FrozenModel):
    """Chance a variety is on the national shortage / key monitoring lists (from its structure)."""

    concentrated_max_producers: int = Field(ge=1)
    shortage_list_prob_concentrated: float = Share
    shortage_list_prob_other: float = Share
    key_monitoring_prob_concentrated: float = Share
    key_monitoring_prob_other: float = Share


class SurgeConfig(FrozenModel):
    """Sudden variety-level demand surges (some regional), decaying geometrically."""

    hazard: float = Share
    magnitude: LogNormal
    decay: float = Field(ge=0.0, lt=1.0)
    regional_prob: float = Share
    regional_province_share: Span


class EpidemicConfig(FrozenModel):
    """Class-wide winter epidemic waves hitting seasonal classes."""

    magnitude: LogNormal
    susceptibility: Span
    province_intensity_sigma: float = Field(ge=0.0)
    onset_offset_months: Span


class DemandConfig(FrozenModel):
    """Latent demand: size, trend, seasonality, noise, surges and epidemics."""

    base: LogNormal
    trend_per_year: Span
    noise_sigma: float = Field(ge=0.0)
    province_share_sigma: float = Field(ge=0.0)
    surges: SurgeConfig
    epidemics: EpidemicConfig


class SupplyConfig(FrozenModel):
    """Producers: capacity headroom, stock targets, planning, capacity expansion, API stock."""

    capacity_headroom: Span
    reserve_headroom_bonus: float = Field(ge=0.0)
    target_inventory_months: LogNormal
    pair_inventory_sigma: float = Field(ge=0.0)
    reserve_inventory_bonus_months: float = Field(ge=0.0)
    restock_rate: float = Share
    capacity_expansion_rate: float = Share
    expansion_headroom: float = Positive
    api_target_months: Span
    api_exposure: Span
    api_refill_max_months: float = Positive
    api_use_floor: float = Positive


class ApiShockConfig(FrozenModel):
    """Active-ingredient supply shocks shared by every variety made from the API."""

    hazard: float = Share
    duration_months: Span
    severity: Span


class ReasonHazard(FrozenModel):
    """A pair-level suspension cause: monthly hazard and duration range."""

    hazard: float = Share
    duration_months: Span


class SuspensionConfig(FrozenModel):
    """Random suspensions (GMP per enterprise, others per pair) and how they are reported."""

    gmp_enterprise_hazard: float = Share
    gmp_duration_months: Span
    pair_reasons: dict[str, ReasonHazard]
    api_trigger_shortfall: float = Share
    api_binding_tolerance: float = Share
    report_late_prob: float = Share
    expected_end_sigma: float = Field(ge=0.0)
    unreported_prob: float = Share
    unreported_max_months: int = Field(ge=0)

    @model_validator(mode="after")
    def _known_reasons(self) -> SuspensionConfig:
        """Refuse pair-level suspension reasons outside the contract's categories."""
        unknown = set(self.pair_reasons) - set(REASONS)
        if unknown:
            raise ValueError(f"pair_reasons: unknown reasons {sorted(unknown)} (expected some of {list(REASONS)})")
        return self


class VbpConfig(FrozenModel):
    """Centralized procurement (VBP) batches, price cuts, winners, squeeze and exits."""

    batch_months: tuple[str, ...]
    select_fraction: float = Share
    min_producers: int = Field(ge=1)
    bid_margin: Span
    min_price_cut: float = Share
    max_price_cut: float = Share
    max_winners: int = Field(ge=1)
    contract_share: float = Share
    cost_ratio: Span
    min_margin: float
    exit_prob: float = Share
    exit_lag_months: Span
    discontinued_prob: float = Share
    economic_duration_months: Span
    squeeze_lag_months: Span
    squeeze_rate: float = Share
    squeeze_floor: float = Share


class MarketConfig(FrozenModel):
    """Prices: list prices, ex-factory share, inflation, shortage markup, provincial spread."""

    list_price: LogNormal
    ex_factory_ratio: Span
    inflation_per_year: float
    shortage_markup: float = Field(ge=0.0)
    province_price_sigma: float = Field(ge=0.0)
    price_noise_sigma: float = Field(ge=0.0)
    volume_noise_sigma: float = Field(ge=0.0)


class ChannelConfig(FrozenModel):
    """Distributor and hospital stock per variety and province, and how it is refilled."""

    coverage_months: LogNormal
    province_sigma: float = Field(ge=0.0)
    restock_rate: float = Share
    max_order_months: float = Positive


class DistributionConfig(FrozenModel):
    """How national supply is split across provinces (last month's demand, home-province bias)."""

    home_bias: float = Field(ge=0.0)


class ShortageConfig(FrozenModel):
    """When a variety-month is short, how episodes merge, and how scope and reason are set."""

    national_threshold: float = Share
    province_threshold: float = Share
    min_short_provinces: int = Field(ge=1)
    merge_gap_months: int = Field(ge=0)
    national_scope_ratio: float = Share
    national_scope_provinces: int = Field(ge=1)
    provincial_scope_provinces: int = Field(ge=1)
    city_scope_province_ratio: float = Share
    reason_lookback_months: int = Field(ge=0)


class DisruptionConfig(FrozenModel):
    """Enterprise-variety supply disruption: deliveries below a share of normal for some months."""

    fraction_of_normal: float = Share
    min_months: int = Field(ge=1)


class InstitutionConfig(FrozenModel):
    """Sentinel institutions reporting a variety short, driven by provincial unmet demand."""

    per_million: float = Positive
    sensitivity: float = Field(ge=0.0)
    tightness_sensitivity: float = Field(ge=0.0)
    false_alarm: LogNormal


class FilingBehaviour(FrozenModel):
    """When reports are filed (``filed_on``) and the figures people mistype (docs/demo-data.md)."""

    deadline_day: int = Field(ge=1, le=28)
    late_filer_share: float = Share
    late_filer_late_prob: float = Share
    late_prob: float = Share
    late_days: Span
    unit_error_prob: float = Share
    unit_error_factor: float = Field(gt=1.0)
    typo_prob: float = Share
    typo_factor: float = Field(gt=1.0)


class ReportingConfig(FrozenModel):
    """From latent truth to filed reports: noise, missing rows and cells, optional columns."""

    noise_sigma: float = Field(ge=0.0)
    row_missing_prob: float = Share
    enterprise_month_missing_prob: float = Share
    months_reported_after_exit: int = Field(ge=0)
    capacity_reporting_share: float = Share
    api_reporting_share: float = Share
    safety_stock_declaring_share: float = Share
    safety_stock_target_share: Span
    cell_missing_prob: dict[str, float]
    volume_decimals: int = Field(ge=0)
    price_decimals: int = Field(ge=0)
    months_decimals: int = Field(ge=0)
    filing: FilingBehaviour

    @model_validator(mode="after")
    def _known_columns(self) -> ReportingConfig:
        """Refuse missing-cell rates for columns that are not optional report columns."""
        unknown = set(self.cell_missing_prob) - set(OPTIONAL_REPORT_COLUMNS)
        if unknown:
            raise ValueError(f"cell_missing_prob: unknown columns {sorted(unknown)}")
        return self


class ScaleConfig(FrozenModel):
    """Large panels as independent regions (shards) of at most ``shard_varieties`` varieties."""

    shard_varieties: int = Field(ge=2)
    enterprises_per_variety: float = Positive


class DemoConfig(FrozenModel):
    """Every parameter of the demo-panel simulator."""

    seed: int
    calendar: CalendarConfig
    size: SizeConfig
    national: SizeConfig
    provinces: ProvinceConfig
    world: WorldConfig
    lists: ListsConfig
    demand: DemandConfig
    supply: SupplyConfig
    api_shocks: ApiShockConfig
    suspensions: SuspensionConfig
    vbp: VbpConfig
    market: MarketConfig
    channel: ChannelConfig
    distribution: DistributionConfig
    shortage: ShortageConfig
    disruptions: DisruptionConfig
    institutions: InstitutionConfig
    reporting: ReportingConfig
    scale: ScaleConfig
    dirty_audit_faults: int = Field(ge=0)


def load_demo_config(overrides: dict[str, Any] | None = None, config_dir: Path | None = None) -> DemoConfig:
    """The demo parameters from ``demo.yaml`` with optional (nested) overrides."""
    return load_config("demo", DemoConfig, overrides, config_dir)


def national_config(config_dir: Path | None = None) -> DemoConfig:
    """The national-size panel: the defaults with ``size`` replaced by the ``national`` block."""
    base = load_demo_config(config_dir=config_dir)
    return load_demo_config({"size": base.national.model_dump()}, config_dir)
