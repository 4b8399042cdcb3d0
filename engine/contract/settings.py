"""Contract constants and reading options, loaded from ``configs/contract.yaml``."""

from __future__ import annotations

from functools import lru_cache

from shortage_radar.config import FrozenModel, load_config


class ContractConfig(FrozenModel):
    """Categories fixed by the contract, and how cells are read."""

    suspension_reasons: tuple[str, ...]
    shortage_scopes: tuple[str, ...]
    max_report_delay_months: int
    true_tokens: tuple[str, ...]
    false_tokens: tuple[str, ...]
    provinces_separator: str
    max_cell_chars: int


@lru_cache(maxsize=1)
def contract_config() -> ContractConfig:
    """The packaged contract configuration (read once per process)."""
    return load_config("contract", ContractConfig)
