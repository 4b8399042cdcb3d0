"""Fit the variety and enterprise models on what was known by ``until``, with a backtest to judge them."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from shortage_radar.contract.panel import Panel
from shortage_radar.features import as_known_at, build_features
from shortage_radar.models.backtest import BacktestResult, run_backtest
from shortage_radar.models.dataset import ModelTables, model_tables
from shortage_radar.models.policy import WarningPolicy
from shortage_radar.models.risk import RiskModel, fit_risk_model
from shortage_radar.models.settings import ModelConfig


@dataclass(frozen=True)
class Trained:
    until: pd.Period
    variety: RiskModel
    enterprise: RiskModel | None
    tables: ModelTables
    backtest: BacktestResult | None


def train_models(panel: Panel, until: pd.Period, cfg: ModelConfig, policy: WarningPolicy,
                 backtest_months: int) -> Trained:
    """Models from rows whose labels were known at the end of ``until``; backtest of the months before."""
    known = as_known_at(panel, until)
    tables = model_tables(known, cfg, build_features(known))
    last = until - cfg.horizon
    variety = fit_risk_model(tables.variety[tables.variety["month"] <= last], cfg)
    enterprise = fit_risk_model(tables.pair[tables.pair["month"] <= last], cfg) if len(tables.pair) else None
    first_month = tables.variety["month"].min()
    start = max(last - backtest_months + 1, first_month + cfg.calibration_months + cfg.horizon)
    backtest = run_backtest(known, start, last, cfg, policy, drivers=False) if start <= last else None
    return Trained(until, variety, enterprise, tables, backtest)


def importance(model: RiskModel) -> pd.DataFrame:
    """Gain importance of each feature (empty for a base-rate model)."""
    if model.booster is None:
        return pd.DataFrame(columns=["feature", "gain"])
    gains = model.booster.booster_.feature_importance(importance_type="gain")
    return pd.DataFrame({"feature": model.features, "gain": gains}).sort_values("gain", ascending=False)
