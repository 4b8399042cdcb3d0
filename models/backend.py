"""Where the engine's data lives and its heavy steps run: this process, or a Dask cluster.

Training, scoring, backtesting and forecasting are written once against :class:`Backend`; the
entry point (the public API, the CLI's ``--engine``) picks the backend once. :class:`LocalBackend`
holds a validated :class:`Panel` in memory; the Dask engine's backend
(``shortage_radar.distributed.backend.DaskBackend``) keeps the partitions on the cluster and
gives the same answers (its equivalence test holds the watchlist byte for byte).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

import pandas as pd

from shortage_radar.contract.panel import Panel
from shortage_radar.features import as_known_at
from shortage_radar.features.grid import panel_months
from shortage_radar.models.coverage import unobserved_months
from shortage_radar.models.dataset import ModelTables, TablesAt, tables_source
from shortage_radar.models.policy import WarningPolicy
from shortage_radar.models.risk import RiskModel, fit_risk_model
from shortage_radar.models.settings import ModelConfig

# progress(step, done, total): a long step's name and how far it got; the CLI draws it, the library never prints.
Progress = Callable[[str, int, int], None]


def no_progress(step: str, done: int, total: int) -> None:  # noqa: ARG001 - the Progress signature
    """The default progress callback: nothing."""


@runtime_checkable
class Backend(Protocol):
    """The operations the engine's pipeline needs from where its data is."""

    name: str

    @property
    def source(self) -> Path:
        """The panel folder the data came from."""

    @property
    def panel(self) -> Panel:
        """The validated small tables, the labels' tables and the whole quarantine (for metrics, reports)."""

    def last_month(self) -> pd.Period:
        """The panel's last month (of what is known)."""

    def known_at(self, until: pd.Period) -> Backend:
        """The same data as known at the end of ``until``."""

    def tables(self, cfg: ModelConfig) -> TablesAt:
        """Model tables with labels as known at any month (features built once)."""

    def unseen_months(self, cfg: ModelConfig) -> pd.PeriodIndex:
        """Months that no source observed (collection gaps), left out of labels and metrics."""

    def fit(self, rows: pd.DataFrame, cfg: ModelConfig) -> RiskModel:
        """One calibrated risk model from training rows of a model table."""

    def score(self, month: pd.Period, variety: RiskModel, enterprise: RiskModel | None, policy: WarningPolicy,
              cfg: ModelConfig, progress: Progress = no_progress) -> pd.DataFrame:
        """The ranked watchlist of ``month`` as known at its end."""

    def forecast(self, month: pd.Period, h: int) -> pd.DataFrame:
        """Forecasts of every series from what is known at the end of ``month``."""

    def report_panel(self, watchlist: pd.DataFrame, month: pd.Period) -> Panel:
        """The panel an analyst report of ``watchlist`` draws from."""


def unseen_months(panel: Panel, cfg: ModelConfig) -> pd.PeriodIndex:
    """The panel's months that no source observed (collection gaps and their warm-up, models/coverage.py)."""
    grid = panel_months(panel)
    return grid[unobserved_months(panel, grid, cfg.gap_months, cfg.gap_warmup_months)]


@dataclass(frozen=True)
class LocalBackend:
    """The whole validated panel in this process (features built once per configuration and reused)."""

    data: Panel
    name: str = "local"
    _sources: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def source(self) -> Path:
        return Path(self.data.source)

    @property
    def panel(self) -> Panel:
        return self.data

    def last_month(self) -> pd.Period:
        return panel_months(self.data)[-1]

    def known_at(self, until: pd.Period) -> LocalBackend:
        return LocalBackend(as_known_at(self.data, until))

    def tables(self, cfg: ModelConfig) -> TablesAt:
        if id(cfg) not in self._sources:
            self._sources[id(cfg)] = (cfg, tables_source(self.data, cfg))  # cfg kept so its id is not reused
        return self._sources[id(cfg)][1]

    def unseen_months(self, cfg: ModelConfig) -> pd.PeriodIndex:
        return unseen_months(self.data, cfg)

    def fit(self, rows: pd.DataFrame, cfg: ModelConfig) -> RiskModel:
        return fit_risk_model(rows, cfg)

    def score(self, month: pd.Period, variety: RiskModel, enterprise: RiskModel | None, policy: WarningPolicy,
              cfg: ModelConfig, progress: Progress = no_progress) -> pd.DataFrame:
        from shortage_radar.models.monthly import month_tables
        from shortage_radar.models.scoring import score_tables

        step = f"features as known at {month}"
        progress(step, 0, 1)
        tables = month_tables(self.data, month, cfg)
        progress(step, 1, 1)
        progress("scoring and drivers", 0, 1)
        watchlist = score_tables(tables, month, variety, enterprise, policy, cfg)
        progress("scoring and drivers", 1, 1)
        return watchlist

    def forecast(self, month: pd.Period, h: int) -> pd.DataFrame:
        from shortage_radar.models.forecasting import forecast_panel

        return forecast_panel(self.data, month, h)

    def report_panel(self, watchlist: pd.DataFrame, month: pd.Period) -> Panel:  # noqa: ARG002 - all of it is here
        return self.data


def as_backend(data: Panel | Backend) -> Backend:
    """A panel runs on the local backend; a backend is used as it is."""
    return LocalBackend(data) if isinstance(data, Panel) else data


__all__ = ["Backend", "LocalBackend", "ModelTables", "Progress", "as_backend", "no_progress", "unseen_months"]
