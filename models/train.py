"""Fit the variety and enterprise models on what was known by ``until``, with a backtest to judge them."""

from __future__ import annotations

from collections.abc import Callable

from dataclasses import dataclass

import pandas as pd

from shortage_radar.contract.panel import Panel
from shortage_radar.features import as_known_at
from shortage_radar.models.backtest import BacktestResult, Fit, run_backtest
from shortage_radar.models.dataset import ModelTables, TablesAt, local, tables_source
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


TRAINING_STAGES = ("features and model tables", "variety model", "enterprise model", "backtest")


def train_models(panel: Panel, until: pd.Period, cfg: ModelConfig, policy: WarningPolicy,
                 backtest_months: int, tables_at: TablesAt | None = None, fit: Fit | None = None,
                 progress: Callable[[str], None] | None = None) -> Trained:
    """Models from rows whose labels were known at the end of ``until``; backtest of the months before.

    ``tables_at`` and ``fit`` as in ``run_backtest``; given, ``tables_at`` must be as known at ``until``.
    ``progress(stage)`` is called as each of TRAINING_STAGES starts (for a progress bar).
    """
    say = progress or (lambda stage: None)
    say(TRAINING_STAGES[0])
    known = as_known_at(panel, until)
    tables_at = tables_at or tables_source(known, cfg)
    fit = fit or fit_risk_model
    tables = tables_at(None)
    last = until - cfg.horizon
    say(TRAINING_STAGES[1])
    variety = fit(tables.variety[tables.variety["month"] <= last], cfg)
    say(TRAINING_STAGES[2])
    enterprise = fit(tables.pair[tables.pair["month"] <= last], cfg) if len(tables.pair) else None
    say(TRAINING_STAGES[3])
    first_month = local(tables.variety["month"].min())
    start = max(last - backtest_months + 1, first_month + cfg.calibration_months + cfg.horizon)
    backtest = run_backtest(known, start, last, cfg, policy, drivers=False, tables_at=tables_at,
                            fit=fit) if start <= last else None
    return Trained(until, variety, enterprise, tables, backtest)


def importance(model: RiskModel) -> pd.DataFrame:
    """Gain importance of each feature (empty for a base-rate model)."""
    if model.booster is None:
        return pd.DataFrame(columns=["feature", "gain"])
    gains = model.booster.booster_.feature_importance(importance_type="gain")
    return pd.DataFrame({"feature": model.features, "gain": gains}).sort_values("gain", ascending=False)
