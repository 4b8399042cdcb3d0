"""The Dask engine as a :class:`~shortage_radar.models.backend.Backend`: the same pipeline, data on the cluster.

Chosen once at the entry point (``--engine dask``, or ``DaskBackend.open`` from Python); training,
scoring, backtests and forecasts then call the same methods as on the local backend.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from shortage_radar.contract.panel import Panel
from shortage_radar.distributed.reader import PartitionedPanel, gathered_panel, read_partitioned
from shortage_radar.distributed.settings import DaskConfig, dask_config
from shortage_radar.features import as_known_at
from shortage_radar.features.settings import FeatureConfig, feature_config
from shortage_radar.models.backend import Progress, no_progress
from shortage_radar.models.dataset import TablesAt
from shortage_radar.models.policy import WarningPolicy
from shortage_radar.models.risk import RiskModel
from shortage_radar.models.settings import ModelConfig


@dataclass
class DaskBackend:
    """A partitioned panel on a Dask cluster, as known at ``until`` (None: all of it)."""

    client: object
    pp: PartitionedPanel
    dcfg: DaskConfig
    fcfg: FeatureConfig
    until: pd.Period | None = None
    training: str | None = None  # local | dask | auto (None: configs/dask.yaml)
    name: str = "dask"
    _sources: dict = field(default_factory=dict, repr=False)
    _gathered: Panel | None = field(default=None, repr=False)
    _run: object | None = field(default=None, repr=False)

    @classmethod
    def open(cls, client, folder: Path | str, training: str | None = None) -> DaskBackend:
        """Read a panel folder (small tables now, month partitions lazily) for ``client``'s cluster."""
        dcfg = dask_config()
        return cls(client, read_partitioned(folder, dcfg), dcfg, feature_config(), training=training)

    @property
    def source(self) -> Path:
        return Path(self.pp.source)

    @property
    def panel(self) -> Panel:
        """The small tables and the whole quarantine, as known at ``until``."""
        if self._gathered is None:
            self._gathered = gathered_panel(self.pp, self.client.compute(self.pp.results()).result())
        return self._gathered if self.until is None else as_known_at(self._gathered, self.until)

    def last_month(self) -> pd.Period:
        from shortage_radar.distributed.monthly import grid_span

        return self.client.compute(grid_span(self.pp, self.until)).result()[1]

    def known_at(self, until: pd.Period) -> DaskBackend:
        return DaskBackend(self.client, self.pp, self.dcfg, self.fcfg, until, self.training, _gathered=self._gathered)

    def _source(self, cfg: ModelConfig):
        from shortage_radar.distributed.tables import DaskTables

        if id(cfg) not in self._sources:
            source = DaskTables(self.client, self.pp, self.until, cfg, self.fcfg, self.dcfg)
            self._sources[id(cfg)] = (cfg, source)
            if self._gathered is None:
                self._gathered = source.panel
        return self._sources[id(cfg)][1]

    def tables(self, cfg: ModelConfig) -> TablesAt:
        return self._source(cfg)

    def unseen_months(self, cfg: ModelConfig) -> pd.PeriodIndex:
        return self._source(cfg).unseen_months()

    def fit(self, rows, cfg: ModelConfig) -> RiskModel:
        """LightGBM on the client (identical to the local engine's) or through lightgbm.dask (by table size)."""
        from shortage_radar.distributed.training import fitter, training_mode

        mode = training_mode(self._source(cfg)(None), self.dcfg.training, self.training)
        return fitter(mode, self.client, self.dcfg.training)(rows, cfg)

    def score(self, month: pd.Period, variety: RiskModel, enterprise: RiskModel | None, policy: WarningPolicy,
              cfg: ModelConfig, progress: Progress = no_progress) -> pd.DataFrame:
        from shortage_radar.distributed.monthly import DaskMonthlyRun

        self._run = DaskMonthlyRun(self.client, self.pp, self.dcfg, cfg, self.fcfg, policy)
        watchlist = self._run(month, variety, enterprise, progress)
        self._gathered = self._run.panel
        return watchlist

    def forecast(self, month: pd.Period, h: int) -> pd.DataFrame:
        from shortage_radar.distributed.forecast import forecast_dask
        from shortage_radar.models.forecast_config import forecast_config

        return forecast_dask(self.client, self.pp, month, h, forecast_config(), self.dcfg)

    def report_panel(self, watchlist: pd.DataFrame, month: pd.Period) -> Panel:
        """Small tables whole, month tables for the report's charted varieties only (after ``score``)."""
        if self._run is None:
            raise RuntimeError("score a month on the Dask backend before drawing its report")
        return self._run.report_panel(watchlist, month)
