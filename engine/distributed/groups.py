"""Partitions of whole varieties: every table's rows regrouped so a variety and all its pairs share a partition.

Varieties are sorted by id (as the feature blocks sort them) and cut into blocks of
``varieties_per_partition``; group g holds block g. The month-keyed tables are shuffled by group
with Dask (``set_index`` on the group number with one division per group, so partition g of every
table is group g); the small tables are split on the client. Each group's rows are put back in
the local reader's order, then form an ordinary ``Panel`` of that group's varieties.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from shortage_radar.contract.files import PanelError
from shortage_radar.contract.panel import Panel
from shortage_radar.contract.validate import QUARANTINE_COLUMNS
from shortage_radar.distributed.reader import ORDER, PartitionedPanel
from shortage_radar.distributed.settings import DaskConfig
from shortage_radar.features.build import report_only_features
from shortage_radar.features.settings import FeatureConfig

GROUP = "_group"


@dataclass(frozen=True)
class Groups:
    """The variety -> group assignment and each group's panel (Delayed)."""

    of_variety: pd.Series   # variety_id -> group number
    panels: list            # Delayed[Panel], one per group

    @property
    def n(self) -> int:
        return len(self.panels)


def variety_groups(varieties: pd.DataFrame, per_partition: int) -> pd.Series:
    """Group number of each variety_id: the sorted ids cut into blocks of ``per_partition``."""
    ids = np.sort(varieties["variety_id"].astype(str).unique())
    return pd.Series(np.arange(len(ids)) // per_partition, index=ids, dtype=np.int64)


def tag(frame: pd.DataFrame, of_variety: pd.Series) -> pd.DataFrame:
    """Add each row's group number (rows are validated, so every variety_id is known)."""
    codes = of_variety.index.get_indexer(frame["variety_id"].astype(str))
    return frame.assign(**{GROUP: of_variety.to_numpy()[codes]})


def restore_order(part: pd.DataFrame) -> pd.DataFrame:
    """A group's rows in the local reader's order, without the helper columns."""
    part = part.reset_index(drop=True).sort_values(ORDER, kind="stable")
    return part.drop(columns=[c for c in (ORDER, GROUP) if c in part]).reset_index(drop=True)


def _shuffled(pp: PartitionedPanel, table: str, of_variety: pd.Series, n: int, cfg: DaskConfig) -> list:
    """The table's rows of each group (Delayed), by a Dask shuffle on the group number."""
    from dask import delayed

    frame = pp.frame(table)
    tagged = frame.map_partitions(tag, delayed(of_variety, pure=True),
                                  meta=pp.metas[table].assign(**{GROUP: np.int64(0)}))
    grouped = tagged.set_index(GROUP, divisions=list(range(n + 1)), shuffle_method=cfg.shuffle_method)
    return [delayed(restore_order, pure=True)(part) for part in grouped.to_delayed()]


def _split(frame: pd.DataFrame, of_variety: pd.Series, n: int) -> list[pd.DataFrame]:
    """A small table's rows of each group, in their order (a table without variety_id goes to every group)."""
    if "variety_id" not in frame:
        return [frame] * n
    codes = of_variety.reindex(frame["variety_id"].astype(str)).to_numpy()
    return [frame[codes == g].reset_index(drop=True) for g in range(n)]


def group_panel(source, tables: dict[str, pd.DataFrame]) -> Panel:
    """One group's tables as an ordinary Panel (its quarantine is reported by the whole run)."""
    return Panel(source=source, tables=tables, quarantine=pd.DataFrame(columns=QUARANTINE_COLUMNS), results={})


def check_blockwise(pp: PartitionedPanel, fcfg: FeatureConfig) -> None:
    """Stop with one line when the report-only families are on (a panel without ``monthly_reports``):
    their peer and producer-filing counts compare varieties across partitions, which only the local
    engine computes."""
    if report_only_features(pp.tables, fcfg):
        raise PanelError(f"{pp.source}: no monthly_reports, so the report-only features are on "
                         "(configs/features.yaml report_features); the Dask engine does not compute them: "
                         "use --engine local (such panels are small)")


def group_panels(pp: PartitionedPanel, cfg: DaskConfig) -> Groups:
    """Every group's panel, lazily: small tables split here, month-keyed tables shuffled on the cluster."""
    from dask import delayed

    of_variety = variety_groups(pp.small["varieties"].clean, cfg.varieties_per_partition)
    n = int(of_variety.max()) + 1 if len(of_variety) else 1
    small = {t: _split(r.clean, of_variety, n) for t, r in pp.small.items()}
    shared = {t: delayed(parts[0], pure=True) for t, parts in small.items() if "variety_id" not in pp.small[t].clean}
    large = {t: _shuffled(pp, t, of_variety, n, cfg) for t in pp.cleans}
    panels = []
    for g in range(n):
        tables = {t: shared[t] if t in shared else parts[g] for t, parts in small.items()}
        tables.update({t: parts[g] for t, parts in large.items()})
        panels.append(delayed(group_panel, pure=True)(pp.source, {t: tables[t] for t in pp.tables}))
    return Groups(of_variety=of_variety, panels=panels)
