"""Fit the variety and enterprise models on what was known by ``until``, with a backtest to judge them."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from shortage_radar.contract.panel import Panel
from shortage_radar.models.backend import Backend, Progress, as_backend, no_progress
from shortage_radar.models.backtest import BacktestResult, run_backtest
from shortage_radar.models.dataset import ModelTables, local
from shortage_radar.models.guard import fit_as_of
from shortage_radar.models.policy import WarningPolicy
from shortage_radar.models.risk import RiskModel
from shortage_radar.models.settings import ModelConfig


@dataclass(frozen=True)
class TrainedModels:
    """What scoring needs: the two risk models, the warning policy and configuration they go with.

    ``backtest`` holds the training run's own backtest (None when loaded from the registry or when
    the window is too short); ``versions`` the registry versions when loaded from MLflow.
    """

    variety: RiskModel
    enterprise: RiskModel | None
    policy: WarningPolicy
    cfg: ModelConfig
    until: pd.Period | None = None
    backtest: BacktestResult | None = None
    versions: dict[str, str] = field(default_factory=dict)
    tables: ModelTables | None = field(default=None, repr=False, compare=False)

    @property
    def metrics(self) -> dict:
        """The backtest metrics (empty sections when there was no backtest)."""
        return self.backtest.metrics if self.backtest else {"variety": {}, "baselines": {}}

    def scored(self, model_versions: dict) -> bool:
        """Whether these are the registered versions that scored a run recorded with ``model_versions``."""
        return bool(self.versions) and dict(self.versions) == dict(model_versions)

    def policy_in_force(self) -> WarningPolicy:
        """The warning policy variety rows are scored with: the model's fitted one, or the configured levels."""
        from shortage_radar.models.policy import effective_policy

        return effective_policy(self.policy, getattr(self.variety, "policy", None))

    def sample_rows(self, entity: str, n: int) -> pd.DataFrame:
        """Up to ``n`` model-table rows of the last month trained on (an MLflow input example)."""
        if self.tables is None:
            return pd.DataFrame()
        table = self.tables.variety if entity == "variety" else self.tables.pair
        return local(table[table["month"] == self.until]).head(n)


def train_models(data: Panel | Backend, until: pd.Period, cfg: ModelConfig, policy: WarningPolicy,
                 backtest_months: int, progress: Progress = no_progress) -> TrainedModels:
    """Models from rows whose labels were known at the end of ``until``; a backtest of the months before."""
    backend = as_backend(data).known_at(until)
    progress(f"features as known at {until}", 0, 1)
    tables = backend.tables(cfg)(None)
    progress(f"features as known at {until}", 1, 1)
    last = until - cfg.horizon
    progress("fitting the models", 0, 1)
    unseen = backend.unseen_months(cfg)
    variety = fit_as_of(tables.variety, until, cfg, policy, backend.fit, unseen)
    enterprise = fit_as_of(tables.pair, until, cfg, policy, backend.fit, unseen) if len(tables.pair) else None
    progress("fitting the models", 1, 1)
    first_month = local(tables.variety["month"].min())
    start = max(last - backtest_months + 1, first_month + cfg.calibration_months + cfg.horizon)
    backtest = run_backtest(backend, start, last, cfg, policy, drivers=False,
                            progress=progress) if start <= last else None
    return TrainedModels(variety, enterprise, policy, cfg, until, backtest, tables=tables)


def importance(model: RiskModel) -> pd.DataFrame:
    """Gain importance of each feature (empty for a base-rate model)."""
    if model.booster is None:
        return pd.DataFrame(columns=["feature", "gain"])
    gains = model.booster.booster_.feature_importance(importance_type="gain")
    return pd.DataFrame({"feature": model.features, "gain": gains}).sort_values("gain", ascending=False)
