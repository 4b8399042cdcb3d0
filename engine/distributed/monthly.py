"""The monthly run on Dask: validate by month partition, regroup by variety, features and scores per partition.

Steps (each partition step is a local-engine function, engine/distributed/tasks.py):
1. month partitions validated on the workers (reader.py), regrouped into partitions of whole
   varieties (groups.py); the month grid is the min/max over all partitions of what is known;
2. per partition: ``as_known_at``, entity features for the month, model tables, cross aggregates;
3. on the client: the cross aggregates combined (class x month, enterprise x month: small);
4. ``map_partitions`` over the partitions' rows: cross-variety columns filled, ``unranked_rows``;
5. on the client: ranks over all partitions (``rank_watchlist``), varieties first, as the local run writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from shortage_radar.contract.panel import Panel
from shortage_radar.distributed import tasks
from shortage_radar.distributed.groups import Groups, check_blockwise, group_panels
from shortage_radar.distributed.reader import ORDER, PartitionedPanel, gathered_panel, rows_of_varieties
from shortage_radar.distributed.settings import DaskConfig
from shortage_radar.features import cross
from shortage_radar.features.grid import combine_spans
from shortage_radar.features.settings import FeatureConfig
from shortage_radar.models.coverage import combine_dated
from shortage_radar.models.policy import WarningPolicy
from shortage_radar.models.risk import RiskModel
from shortage_radar.models.backend import Progress, no_progress
from shortage_radar.models.scoring import rank_watchlist
from shortage_radar.models.settings import ModelConfig

WATCH_META = pd.DataFrame({
    "entity": pd.Series(dtype=object), "variety_id": pd.Series(dtype=object), "enterprise_id": pd.Series(dtype=object),
    "month": pd.Series(dtype=object), "horizon": pd.Series(dtype=np.int64), "risk": pd.Series(dtype=float),
    "warning_level": pd.Series(dtype=np.int64), "response_tier": pd.Series(dtype=object),
    "drivers": pd.Series(dtype=object), "ongoing": pd.Series(dtype=bool)})


def grid_span(pp: PartitionedPanel, at: pd.Period | None):
    """Delayed: the month span of everything known at ``at``, over the small tables and every partition."""
    from dask import delayed

    small = tasks.known_span({t: r.clean for t, r in pp.small.items()}, at)
    spans = [delayed(tasks.known_span, pure=True)({t: clean}, at) for t, cleans in pp.cleans.items()
             for clean in cleans]
    return delayed(combine_spans, pure=True)([small, *spans])


def grid_dated(pp: PartitionedPanel, at: pd.Period | None):
    """Delayed: rows per month known at ``at`` over the small tables and every partition (collection gaps)."""
    from dask import delayed

    small = tasks.known_dated({t: r.clean for t, r in pp.small.items()}, at)
    parts = [delayed(tasks.known_dated, pure=True)({t: clean}, at) for t, cleans in pp.cleans.items()
             for clean in cleans]
    return delayed(combine_dated, pure=True)([small, *parts])


def combined_context(client, parts: list) -> cross.CrossContext:
    """The cross aggregates of every partition combined on the client (class x month, enterprise x month)."""
    return cross.combine(client.gather(client.map(tasks.partial_of, parts)))


@dataclass
class DaskMonthlyRun:
    """The monthly scoring on Dask (``DaskBackend.score``); after a call, ``panel`` holds the whole quarantine."""

    client: object
    pp: PartitionedPanel
    dcfg: DaskConfig
    cfg: ModelConfig
    fcfg: FeatureConfig
    policy: WarningPolicy
    panel: Panel | None = field(default=None)

    def __call__(self, month: pd.Period, variety: RiskModel, enterprise: RiskModel | None,
                 progress: Progress = no_progress) -> pd.DataFrame:
        check_blockwise(self.pp, self.fcfg)
        step = f"features on Dask as known at {month}"
        progress(step, 0, 1)
        groups = group_panels(self.pp, self.dcfg)
        parts, results = self._tables(groups, month)
        self.panel = gathered_panel(self.pp, results)
        ctx = combined_context(self.client, parts)
        progress(step, 1, 1)
        progress("scoring on Dask (map_partitions)", 0, 1)
        rows = self._scores(parts, groups, ctx, (variety, enterprise), month)
        progress("scoring on Dask (map_partitions)", 1, 1)
        return rank_watchlist(rows)

    def report_panel(self, watchlist: pd.DataFrame, month: pd.Period) -> Panel:
        """The panel the analyst report draws from: small tables whole, month tables for its charted varieties."""
        from shortage_radar.report.build import detailed_varieties
        from shortage_radar.report.settings import report_config
        from shortage_radar.report.tables import normalise

        if self.panel is None:
            raise RuntimeError("the Dask run has not scored a month yet")
        charted = detailed_varieties(normalise(watchlist, month), report_config())
        tables = dict(self.panel.tables)
        for table in self.pp.cleans:
            tables[table] = self._rows_of(table, frozenset(charted))
        return Panel(source=self.panel.source, tables=tables, quarantine=self.panel.quarantine,
                     results=self.panel.results)

    def _rows_of(self, table: str, varieties: frozenset[str]) -> pd.DataFrame:
        """A month-keyed table's clean rows of some varieties (month partitions: only those rows validated)."""
        if table in self.pp.months:
            parts, schema, ccfg = self.pp.months[table]
            futures = self.client.map(rows_of_varieties, [table] * len(parts), parts, range(len(parts)),
                                      schema=schema, ccfg=ccfg, varieties=varieties, pure=True)
            kept = [f for f in self.client.gather(futures) if len(f)]
            rows = pd.concat(kept, ignore_index=True) if kept else self.pp.metas[table]
        else:
            frame = self.pp.frame(table)
            rows = frame[frame["variety_id"].astype(str).isin(varieties)].compute()
        return rows.sort_values(ORDER, kind="stable").drop(columns=[ORDER]).reset_index(drop=True)

    def _tables(self, groups: Groups, month: pd.Period) -> tuple[list, dict]:
        """Per partition: model tables for the month and cross aggregates (kept on the workers)."""
        from dask import delayed

        span, dated = grid_span(self.pp, month), grid_dated(self.pp, month)
        stage = [delayed(tasks.partition_tables, pure=True)(panel, span, dated, month, [month], self.cfg, self.fcfg)
                 for panel in groups.panels]
        *parts, results = self.client.compute([*stage, self.pp.results()])
        return parts, results.result()

    def _scores(self, parts: list, groups: Groups, ctx: cross.CrossContext, models: tuple, month: pd.Period):
        import dask.dataframe as dd
        from dask import delayed

        variety = dd.from_delayed(self.client.map(tasks.variety_of, parts), verify_meta=False)
        pair = dd.from_delayed(self.client.map(tasks.pairs_of, parts), verify_meta=False)
        shared = [delayed(x, pure=True) for x in (cross.class_labels(self.pp.small["varieties"].clean), ctx, models)]
        scored = dd.map_partitions(tasks.score_partition, variety, pair, *shared, month, self.policy, self.cfg,
                                   self.fcfg, meta=WATCH_META, align_dataframes=False)
        return scored.compute()
