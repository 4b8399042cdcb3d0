"""Validate a table partition by partition (a folder of Parquet parts) with the single-table rules.

Each partition is validated on its own by ``validate_table``; the results merge into one
``TableResult``. Every key of a month-keyed table includes ``month``, so with one partition per
month (hive ``month=YYYY-MM`` folders) a duplicate key can only occur inside one partition and the
per-partition key check is exact. Both engines use these functions: the local one in a loop, the
Dask one as one task per partition.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pandera.pandas as pa

from shortage_radar.contract.files import Partition, read_partition
from shortage_radar.contract.settings import ContractConfig
from shortage_radar.contract.validate import QUARANTINE_COLUMNS, TableResult, validate_table


def _per_file(quarantine: pd.DataFrame, part: Partition, counts: list[int]) -> pd.DataFrame:
    """Quarantine rows named by their own file and row within it (a partition may hold several files)."""
    if not len(quarantine) or (len(part.files) == 1 and part.name == part.files[0].name):
        return quarantine
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    index = np.searchsorted(np.cumsum(counts), quarantine["row"].to_numpy() - 1, side="right")
    names = np.array([f"{part.name}/{f.name}" for f in part.files], dtype=object)
    return quarantine.assign(file=names[index], row=quarantine["row"].to_numpy() - starts[index])


def validate_partition(table: str, part: Partition, schema: pa.DataFrameSchema, cfg: ContractConfig) -> TableResult:
    """Read one partition and validate it as a table of its own."""
    raw, counts = read_partition(part)
    result = validate_table(table, part.name, raw, schema, cfg)
    return TableResult(name=result.name, file=result.file, clean=result.clean,
                       quarantine=_per_file(result.quarantine, part, counts), rows=result.rows,
                       missing_optional=result.missing_optional, ignored_columns=result.ignored_columns,
                       by_reason=result.by_reason)


def merge_results(table: str, file: str, results: Sequence[TableResult],
                  clean: pd.DataFrame | None = None) -> TableResult:
    """One table's result from its partitions' (``clean`` given when the rows stay distributed)."""
    quarantine = [r.quarantine for r in results if len(r.quarantine)]
    quarantine = pd.concat(quarantine, ignore_index=True) if quarantine else pd.DataFrame(columns=QUARANTINE_COLUMNS)
    ignored: list[str] = []
    for result in results:
        ignored += [c for c in result.ignored_columns if c not in ignored]
    return TableResult(
        name=table, file=file,
        clean=clean if clean is not None else pd.concat([r.clean for r in results], ignore_index=True),
        quarantine=quarantine, rows=sum(r.rows for r in results),
        missing_optional=tuple(c for c in results[0].missing_optional
                               if all(c in r.missing_optional for r in results)) if results else (),
        ignored_columns=tuple(ignored),
        by_reason=quarantine["reason"].value_counts().sort_index().to_dict(),
    )


def validate_partitions(table: str, file: str, parts: Sequence[Partition], schema: pa.DataFrameSchema,
                        cfg: ContractConfig) -> TableResult:
    """Validate every partition in turn (peak memory: the clean rows plus one partition)."""
    return merge_results(table, file, [validate_partition(table, part, schema, cfg) for part in parts])
