"""Read a panel for the Dask engine: month-keyed tables validated partition by partition on the workers.

The small tables (varieties, enterprises, suspensions, events, disruptions) are read and validated
on the client exactly as the local reader does. The month-keyed tables (monthly reports,
procurement, institution reports) become Dask dataframes: a folder of ``month=YYYY-MM``
partitions is validated with one task per month, each calling the local reader's
``validate_partition``, so no process ever holds a whole table; a table stored as one file is read
on the client and split into chunks. Each clean row carries ``_order``, its position in the local
reader's row order, so any regrouping can restore that order (sums then add up identically).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from shortage_radar.contract.csvrows import RawTable
from shortage_radar.contract.files import Partition, file_columns, partitions, read_partition, read_table
from shortage_radar.contract.panel import Panel, assemble, check_columns, check_enterprises, known_ids, locate
from shortage_radar.contract.partitioned import merge_results, validate_partition, validate_partitions
from shortage_radar.contract.schemas import TABLE_ORDER, schema_for
from shortage_radar.contract.settings import ContractConfig, contract_config
from shortage_radar.contract.validate import TableResult, validate_raw_table, validate_table
from shortage_radar.distributed.settings import DaskConfig
from shortage_radar.features.pointintime import MONTH_KEYED

ORDER = "_order"
_PART_BITS = 40  # _order = partition number << 40 | row within the partition


@dataclass(frozen=True)
class PartitionedPanel:
    """Small tables validated on the client; month-keyed tables as lazily validated Dask partitions."""

    source: Path
    small: dict[str, TableResult]
    cleans: dict[str, list]        # table -> Delayed clean frames (with ``_order``), in the local row order
    summaries: dict[str, list]     # table -> Delayed TableResults without their rows (for the quarantine)
    metas: dict[str, pd.DataFrame]  # table -> empty clean frame (the Dask dataframe's schema)
    names: dict[str, str]          # table -> its file or folder name in the panel
    months: dict[str, tuple] = field(default_factory=dict)  # table -> (month partitions, schema, config)

    @property
    def tables(self) -> list[str]:
        return [t for t in TABLE_ORDER if t in self.small or t in self.cleans]

    def frame(self, table: str):
        """The month-keyed table as a Dask dataframe of validated rows."""
        import dask.dataframe as dd

        return dd.from_delayed(self.cleans[table], meta=self.metas[table], verify_meta=False)

    def results(self):
        """Delayed: the month-keyed tables' validation results without their rows (see ``all_results``)."""
        from dask import delayed

        return delayed(dict, pure=True)({t: delayed(merge_results, pure=True)(
            t, self.names[t], self.summaries[t], self.metas[t].drop(columns=[ORDER])) for t in self.cleans})

    def all_results(self, large: dict[str, TableResult]) -> dict[str, TableResult]:
        """Every table's result in table order, from the computed ``results``."""
        both = {**self.small, **large}
        return {t: both[t] for t in TABLE_ORDER if t in both}


def rows_of_varieties(table: str, part: Partition, i: int, schema, ccfg: ContractConfig,
                      varieties: frozenset[str]) -> pd.DataFrame:
    """Partition ``i``'s clean rows of some varieties, from validating only their raw rows: every rule
    holds per row or per key, and every key holds ``variety_id``, so they are the rows the whole
    partition keeps, in the same order (for the analyst report's charts)."""
    raw, _ = read_partition(part)
    raw = raw[raw["variety_id"].astype("string").str.strip().isin(varieties).fillna(False).to_numpy()]
    return with_order(validate_table(table, part.name, raw.reset_index(drop=True), schema, ccfg).clean, i)


def with_order(clean: pd.DataFrame, part: int) -> pd.DataFrame:
    """Tag each row with its place in the local reader's order."""
    return clean.assign(**{ORDER: (np.int64(part) << _PART_BITS) + np.arange(len(clean), dtype=np.int64)})


def clean_of(result: TableResult, part: int) -> pd.DataFrame:
    return with_order(result.clean, part)


def summary_of(result: TableResult) -> TableResult:
    """The result without its rows: what the quarantine summary needs."""
    return TableResult(name=result.name, file=result.file, clean=result.clean.iloc[:0], quarantine=result.quarantine,
                       rows=result.rows, missing_optional=result.missing_optional,
                       ignored_columns=result.ignored_columns, by_reason=result.by_reason)


def _meta(table: str, schema, ccfg: ContractConfig) -> pd.DataFrame:
    """The clean frame's columns and dtypes, from validating no rows."""
    empty = pd.DataFrame({c: pd.Series(dtype="string[pyarrow]") for c in schema.columns})
    return with_order(validate_table(table, "meta", empty, schema, ccfg).clean, 0)


def _client_chunks(result: TableResult, rows: int) -> list:
    """A table validated on the client, in chunks of ``rows`` rows for the workers."""
    from dask import delayed

    clean = with_order(result.clean, 0)
    return [delayed(clean.iloc[b:b + rows].reset_index(drop=True), pure=True)
            for b in range(0, max(len(clean), 1), rows)]


def _validated(table: str, path: Path, raw: RawTable | None, schema, ccfg: ContractConfig) -> TableResult:
    """The local reader's validation of a table on the client."""
    if raw is not None:
        return validate_raw_table(table, path.name, raw, schema, ccfg)
    return validate_partitions(table, path.name, partitions(path), schema, ccfg)


def _distributed(table: str, path: Path, raw: RawTable | None, schema, ccfg: ContractConfig,
                 cfg: DaskConfig) -> tuple[list, list, tuple | None]:
    """One validation task per month partition; a single file (or flat folder) is validated on the client."""
    from dask import delayed

    parts: list[Partition] = partitions(path)
    if raw is not None or parts[0].month is None:
        result = _validated(table, path, raw, schema, ccfg)
        return _client_chunks(result, cfg.rows_per_partition), [delayed(summary_of(result), pure=True)], None
    by_month = (parts, schema, ccfg)
    schema, ccfg = delayed(schema, pure=True), delayed(ccfg, pure=True)  # one copy per worker, not per task
    results = [delayed(validate_partition, pure=True)(table, part, schema, ccfg) for part in parts]
    cleans = [delayed(clean_of, pure=True)(r, i) for i, r in enumerate(results)]
    return cleans, [delayed(summary_of, pure=True)(r) for r in results], by_month


def read_partitioned(folder: Path | str, cfg: DaskConfig, ccfg: ContractConfig | None = None) -> PartitionedPanel:
    """Check the panel's tables and columns now; validate the month-keyed tables lazily on the cluster."""
    folder = Path(folder)
    ccfg = ccfg or contract_config()
    files = locate(folder)
    raws = {t: read_table(p) for t, p in files.items() if p.is_file()}
    columns = {t: list(raws[t].frame.columns) if t in raws else file_columns(p) for t, p in files.items()}
    for table, path in files.items():
        check_columns(path, columns[table], table, ccfg)
    check_enterprises(files, columns)
    small: dict[str, TableResult] = {}
    cleans, summaries, metas, months = {}, {}, {}, {}
    for table in TABLE_ORDER:
        if table not in files:
            continue
        schema = schema_for(table, known_ids(small), ccfg)
        if table in MONTH_KEYED:
            cleans[table], summaries[table], by_month = _distributed(table, files[table], raws.pop(table, None),
                                                                     schema, ccfg, cfg)
            if by_month is not None:
                months[table] = by_month
            metas[table] = _meta(table, schema, ccfg)
        else:
            small[table] = _validated(table, files[table], raws.pop(table, None), schema, ccfg)
    return PartitionedPanel(source=folder, small=small, cleans=cleans, summaries=summaries, metas=metas,
                            names={t: p.name for t, p in files.items()}, months=months)


def gathered_panel(pp: PartitionedPanel, large: dict[str, TableResult]) -> Panel:
    """A Panel of the small tables only, with every table's quarantine (for the run summary and the store)."""
    results = pp.all_results(large)
    panel = assemble(pp.source, results)
    return Panel(source=panel.source, tables={t: pp.small[t].clean for t in pp.small}, quarantine=panel.quarantine,
                 results=results)
