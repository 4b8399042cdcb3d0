"""Score one as-of month with given models: the monthly run's watchlist."""

from __future__ import annotations

import pandas as pd

from shortage_radar.contract.panel import Panel
from shortage_radar.features import as_known_at, build_features
from shortage_radar.models.dataset import model_tables
from shortage_radar.models.policy import WarningPolicy
from shortage_radar.models.risk import RiskModel
from shortage_radar.models.scoring import score_rows
from shortage_radar.models.settings import ModelConfig


def score_month(panel: Panel, month: pd.Period, variety: RiskModel, enterprise: RiskModel | None,
                policy: WarningPolicy, cfg: ModelConfig) -> pd.DataFrame:
    """Variety rows (and enterprise rows when there is a model and pair data) for ``month``."""
    known = as_known_at(panel, month)
    tables = model_tables(known, cfg, build_features(known, months=[month]))
    rows = tables.variety[tables.variety["month"] == month]
    parts = [score_rows(variety, rows, policy, cfg)]
    if enterprise is not None and len(tables.pair):
        parts.append(score_rows(enterprise, tables.pair[tables.pair["month"] == month], policy, cfg))
    return pd.concat(parts, ignore_index=True)
