"""Read a whole panel folder: every present table validated, bad rows quarantined, one summary."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from shortage_radar.contract.files import PanelError, file_columns, find_table_file, partitions, read_raw
from shortage_radar.contract.partitioned import validate_partitions
from shortage_radar.contract.schemas import (
    REQUIRED_TABLES,
    TABLE_ORDER,
    KnownIds,
    required_columns,
    schema_for,
)
from shortage_radar.contract.settings import ContractConfig, contract_config
from shortage_radar.contract.validate import QUARANTINE_COLUMNS, TableResult, validate_table
from shortage_radar.files import write_atomic

ENTERPRISE_TABLES = ("monthly_reports", "suspensions", "supply_disruptions")


@dataclass(frozen=True)
class Panel:
    """Validated, typed contract tables (only those present) and the quarantined rows."""

    source: Path
    tables: Mapping[str, pd.DataFrame]
    quarantine: pd.DataFrame
    results: Mapping[str, TableResult] = field(repr=False)

    def __contains__(self, table: str) -> bool:
        return table in self.tables

    def __getitem__(self, table: str) -> pd.DataFrame:
        return self.tables[table]

    def get(self, table: str) -> pd.DataFrame | None:
        return self.tables.get(table)

    def summary(self) -> dict:
        """The validation summary, in the shape ``shortage validate --json`` prints."""
        by_reason = self.quarantine["reason"].value_counts().sort_index()
        return {
            "ok": True,
            "tables": {
                name: {"rows": r.rows, "kept": r.kept, "quarantined": len(r.quarantine)}
                for name, r in self.results.items()
            },
            "quarantined": int(len(self.quarantine)),
            "by_reason": {str(k): int(v) for k, v in by_reason.items()},
        }


def check_columns(path: Path, columns: list[str], table: str, cfg: ContractConfig) -> None:
    """Stop with one line when a required column is missing."""
    schema = schema_for(table, cfg=cfg)
    for column in required_columns(schema):
        if column not in columns:
            found = ", ".join(columns) or "none"
            raise PanelError(f"{path}: required column '{column}' is missing (columns found: {found})")


def locate(folder: Path) -> dict[str, Path]:
    """Each present table's file or folder; stop with one line when the panel cannot be used."""
    if not folder.is_dir():
        raise PanelError(f"{folder}: panel folder does not exist (expected a folder of <table>.csv or .parquet files)")
    files = {t: p for t in TABLE_ORDER if (p := find_table_file(folder, t)) is not None}
    for table in REQUIRED_TABLES:
        if table not in files:
            raise PanelError(f"{folder / (table + '.csv')}: required table '{table}' is missing")
    if len(files) < 2:
        raise PanelError(f"{folder}: only 'varieties' found; the contract needs at least one other table")
    return files


def check_enterprises(files: Mapping[str, Path], columns: Mapping[str, list[str]]) -> None:
    """Stop when a table names enterprise_id but there is no enterprises table."""
    if "enterprises" in files:
        return
    for table in ENTERPRISE_TABLES:
        if table in columns and "enterprise_id" in columns[table]:
            raise PanelError(
                f"{files[table]}: names enterprise_id but table 'enterprises' is missing "
                f"(expected enterprises.csv or enterprises.parquet)"
            )


def known_ids(results: Mapping[str, TableResult]) -> KnownIds:
    """Ids of the kept varieties and enterprises, for the referential checks of the other tables."""
    def ids(table: str, column: str) -> frozenset[str]:
        if table not in results:
            return frozenset()
        return frozenset(results[table].clean[column].dropna().astype(str))

    return KnownIds(varieties=ids("varieties", "variety_id"), enterprises=ids("enterprises", "enterprise_id"))


def read_panel(
    folder: Path | str,
    cfg: ContractConfig | None = None,
    on_table: Callable[[str], None] | None = None,
) -> Panel:
    """Read and validate every table in ``folder``; raise :class:`PanelError` if it cannot be used.

    A table may be one file or a folder of Parquet partitions (docs/contract.md), validated one
    partition at a time.
    """
    folder = Path(folder)
    cfg = cfg or contract_config()
    files = locate(folder)
    raws: dict[str, pd.DataFrame] = {}
    columns: dict[str, list[str]] = {}
    for table, path in files.items():
        if path.is_file():
            raws[table] = read_raw(path)
        columns[table] = list(raws[table].columns) if table in raws else file_columns(path)
        check_columns(path, columns[table], table, cfg)
    check_enterprises(files, columns)
    results: dict[str, TableResult] = {}
    for table in TABLE_ORDER:
        if table not in files:
            continue
        if on_table is not None:
            on_table(table)
        schema = schema_for(table, known_ids(results), cfg)
        results[table] = (validate_table(table, files[table].name, raws.pop(table), schema, cfg) if table in raws
                          else validate_partitions(table, files[table].name, partitions(files[table]), schema, cfg))
    return assemble(folder, results)


def assemble(folder: Path, results: Mapping[str, TableResult]) -> Panel:
    """The panel of the tables' clean rows, with every quarantined row in table order."""
    quarantine = pd.concat([r.quarantine for r in results.values()], ignore_index=True)
    return Panel(
        source=folder,
        tables={name: r.clean for name, r in results.items()},
        quarantine=quarantine if len(quarantine) else pd.DataFrame(columns=QUARANTINE_COLUMNS),
        results=results,
    )


def write_quarantine(quarantine: pd.DataFrame, path: Path) -> Path:
    """Write quarantined rows as CSV or Parquet, by the file's extension (atomically; OutputError if it cannot)."""
    path = Path(path)
    if path.suffix == ".parquet":
        return write_atomic(path, lambda temp: quarantine.to_parquet(temp, index=False))
    return write_atomic(path, lambda temp: quarantine.to_csv(temp, index=False))
