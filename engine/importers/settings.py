"""Importer mapping tables from ``configs/real_data.yaml`` (docs/real-data.md)."""

from __future__ import annotations

from functools import lru_cache

from pydantic import model_validator

from shortage_radar.config import FrozenModel, load_config
from shortage_radar.contract.settings import contract_config


class NameRules(FrozenModel):
    """How ingredient, company and dosage-form strings are normalised into keys."""

    salt_words: tuple[str, ...]
    brand_prefixes: tuple[str, ...]
    company_noise_words: tuple[str, ...]
    company_aliases: dict[str, str]
    injectable_routes: tuple[str, ...]
    injection_form: str
    solid_forms: tuple[str, ...]
    dosage_forms: dict[str, str]


class SourceFile(FrozenModel):
    """A file kind: its name pattern and, optionally, the last month it fully covers."""

    pattern: str
    observed_until: str | None = None


class CanadaConfig(FrozenModel):
    statuses: dict[str, str]
    files: dict[str, SourceFile]


class OpenFdaConfig(FrozenModel):
    pattern: str
    discontinued_status: str
    resolved_status: str


class RealDataConfig(FrozenModel):
    province: str
    scope: str
    atc_class_length: int
    reasons: dict[str, str]
    reason_priority: tuple[str, ...]
    names: NameRules
    canada: CanadaConfig
    openfda: OpenFdaConfig

    @model_validator(mode="after")
    def _contract_categories(self) -> RealDataConfig:
        """Every mapped reason and the priority list use the contract's categories only."""
        allowed = set(contract_config().suspension_reasons)
        unknown = (set(self.reasons.values()) | set(self.reason_priority)) - allowed
        if unknown or set(self.reason_priority) != allowed:
            raise ValueError(f"reasons must map onto, and reason_priority list, exactly {sorted(allowed)}")
        return self


@lru_cache(maxsize=1)
def real_data_config() -> RealDataConfig:
    """The packaged importer configuration (read once per process)."""
    return load_config("real_data", RealDataConfig)
