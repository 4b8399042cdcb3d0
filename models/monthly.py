"""Score one as-of month on a local panel: the features as known at the month, then the one scoring path."""

from __future__ import annotations

import pandas as pd

from shortage_radar.contract.panel import Panel
from shortage_radar.features import as_known_at, build_features
from shortage_radar.models.dataset import ModelTables, model_tables
from shortage_radar.models.policy import WarningPolicy
from shortage_radar.models.risk import RiskModel
from shortage_radar.models.scoring import score_tables
from shortage_radar.models.settings import ModelConfig


def month_tables(panel: Panel, month: pd.Period, cfg: ModelConfig) -> ModelTables:
    """Model tables holding ``month``'s rows as known at its end (features of that month only)."""
    known = as_known_at(panel, month)
    return model_tables(known, cfg, build_features(known, months=[month]))


def score_month(panel: Panel, month: pd.Period, variety: RiskModel, enterprise: RiskModel | None,
                policy: WarningPolicy, cfg: ModelConfig) -> pd.DataFrame:
    """Variety rows (and enterprise rows when there is a model and pair data) for ``month``."""
    return score_tables(month_tables(panel, month, cfg), month, variety, enterprise, policy, cfg)
