"""Model tables for training and backtests on Dask: features once per partition, labels as known at any month.

The partitions' panels (as known at ``until``) and their features stay on the workers; each call
gives Dask dataframes of the model tables with labels as known at a month, built per partition
by ``model_tables`` on the whole panel's grid. ``models.train`` and ``models.backtest`` take such a
source (``tables_at``) in place of their local one and compute only the slices they need.
"""

from __future__ import annotations

import pandas as pd

from shortage_radar.distributed import tasks
from shortage_radar.distributed.groups import check_blockwise, group_panels
from shortage_radar.distributed.reader import PartitionedPanel, gathered_panel
from shortage_radar.distributed.settings import DaskConfig
from shortage_radar.features import FeatureSet, cross
from shortage_radar.features.grid import combine_spans
from shortage_radar.features.settings import FeatureConfig
from shortage_radar.models.coverage import combine_dated
from shortage_radar.models.dataset import ModelTables
from shortage_radar.models.settings import ModelConfig


def concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Partitions' rows in partition order (empty partitions left out, so dtypes stay those of the rows)."""
    kept = [f for f in frames if len(f)]
    return pd.concat(kept, ignore_index=True) if kept else frames[0]


class DaskTables:
    """``tables_at`` for a partitioned panel as known at ``until`` (None: all of it)."""

    def __init__(self, client, pp: PartitionedPanel, until: pd.Period | None, cfg: ModelConfig,
                 fcfg: FeatureConfig, dcfg: DaskConfig) -> None:
        from dask import delayed

        self.client, self.cfg = client, cfg
        check_blockwise(pp, fcfg)
        groups = group_panels(pp, dcfg)
        *self.panels, results = client.compute([*(delayed(tasks.known, pure=True)(p, until) for p in groups.panels),
                                                pp.results()])
        self.panel = gathered_panel(pp, results.result())  # the small tables and the whole quarantine
        span = self.span(None)
        parts = client.map(tasks.partition_features, self.panels, span=span, at=None, months=None, fcfg=fcfg)
        ctx = cross.combine(client.gather(client.map(tasks.partial_of, parts)))
        classes = cross.class_labels(pp.small["varieties"].clean)
        shared = client.scatter([classes, ctx], broadcast=True)
        self.features = client.map(tasks.finish_features, parts, classes=shared[0], ctx=shared[1], fcfg=fcfg)

    def span(self, at: pd.Period | None):
        """The whole panel's month span as known at ``at``."""
        return combine_spans(self.client.gather(self.client.map(tasks.panel_span, self.panels, at=at)))

    def dated(self, at: pd.Period | None) -> pd.Series:
        """The whole panel's rows per month as known at ``at`` (collection gaps)."""
        return combine_dated(self.client.gather(self.client.map(tasks.panel_dated, self.panels, at=at)))

    def unseen_months(self) -> pd.PeriodIndex:
        """The whole panel's months that no source observed (as ``models.backtest.unseen_months``)."""
        from shortage_radar.features.grid import months_of
        from shortage_radar.models.coverage import unobserved_months

        grid = months_of(self.span(None))
        return grid[unobserved_months(self.panel, grid, self.cfg.gap_months, self.cfg.gap_warmup_months,
                                      self.dated(None))]

    def features_set(self) -> FeatureSet:
        """Every partition's features gathered (as ``build_features`` gives them locally)."""
        parts = self.client.gather(self.features)
        return FeatureSet(variety=concat([p.variety for p in parts]), pair=concat([p.pair for p in parts]))

    def __call__(self, at: pd.Period | None) -> ModelTables:
        import dask.dataframe as dd

        tables = self.client.map(tasks.tables_at, self.panels, self.features, at=at, span=self.span(at),
                                 dated=self.dated(at), cfg=self.cfg)
        variety = dd.from_delayed(self.client.map(tasks.variety_of_tables, tables), verify_meta=False)
        pair = dd.from_delayed(self.client.map(tasks.pairs_of_tables, tables), verify_meta=False)
        return ModelTables(variety=variety, pair=pair)
