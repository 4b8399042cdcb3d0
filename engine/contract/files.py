"""Find a table's file (or folder of Parquet partitions) in a panel folder; read it as raw cells, keeping every row."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from shortage_radar.errors import PanelError

SUFFIXES: tuple[str, ...] = (".csv", ".parquet")


PARTITION = re.compile(r"^month=(?P<month>.+)$")  # hive layout: <table>/month=YYYY-MM/*.parquet


@dataclass(frozen=True)
class Partition:
    """One unit of validation: a file, a month folder's files, or a flat folder's files read as one table."""

    name: str                   # shown in the quarantine's ``file`` column with the file's own name
    files: tuple[Path, ...]
    month: str | None = None    # the hive month folder's value


def _is_table(path: Path) -> bool:
    return path.is_file() or (path.is_dir() and path.suffix != ".csv")


def find_table_file(folder: Path, table: str) -> Path | None:
    """``<table>.csv`` or ``<table>.parquet``, or a folder ``<table>/`` (or ``<table>.parquet/``) of Parquet parts."""
    candidates = [folder / f"{table}{suffix}" for suffix in SUFFIXES] + [folder / table]
    found = [p for p in candidates if _is_table(p)]
    if len(found) > 1:
        raise PanelError(f"{folder}: both {found[0].name} and {found[1].name} exist; keep only one file per table")
    return found[0] if found else None


def _parquet_files(folder: Path) -> tuple[Path, ...]:
    return tuple(sorted(f for f in folder.iterdir() if f.is_file() and f.suffix == ".parquet"))


def partitions(path: Path) -> list[Partition]:
    """The table's partitions: one per month folder (hive ``month=YYYY-MM``), else one for all its files."""
    if path.is_file():
        return [Partition(path.name, (path,))]
    months = sorted(d for d in path.iterdir() if d.is_dir() and PARTITION.match(d.name))
    flat = _parquet_files(path)
    if months and flat:
        raise PanelError(f"{path}: mixes month=YYYY-MM folders with Parquet files; use one layout per table")
    found = [Partition(f"{path.name}/{d.name}", files, PARTITION.match(d.name)["month"])
             for d in months if (files := _parquet_files(d))]
    if found:
        return found
    if flat:
        return [Partition(path.name, flat)]
    raise PanelError(f"{path}: folder holds no .parquet files (expected <table>/month=YYYY-MM/*.parquet "
                     f"or <table>/*.parquet)")


def _to_pandas(table: pa.Table) -> pd.DataFrame:
    mapping = {pa.string(): pd.StringDtype("pyarrow"), pa.large_string(): pd.StringDtype("pyarrow")}
    frame = table.to_pandas(types_mapper=mapping.get)
    return frame.reset_index(drop=True)


def _csv_header(path: Path) -> list[str]:
    first = pacsv.open_csv(path, read_options=pacsv.ReadOptions(block_size=1 << 16))
    return first.schema.names


def read_csv_raw(path: Path) -> pd.DataFrame:
    """Every cell as text (empty cell -> missing), so nothing is coerced away before validation."""
    try:
        names = _csv_header(path)
        convert = pacsv.ConvertOptions(
            column_types={name: pa.string() for name in names},
            null_values=[""],
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
        )
        table = pacsv.read_csv(path, convert_options=convert)
    except (pa.ArrowInvalid, UnicodeDecodeError, OSError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise PanelError(f"{path}: cannot be read as CSV (UTF-8 text with a header row): {reason}") from None
    return _to_pandas(table)


def _parquet_table(path: Path) -> pa.Table:
    try:
        return pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise PanelError(f"{path}: cannot be read as Parquet: {reason}") from None


def read_parquet_raw(path: Path) -> pd.DataFrame:
    return _to_pandas(_parquet_table(path))


def file_columns(path: Path) -> list[str]:
    """The header of a partitioned table: its first Parquet file's columns (plus a hive folder's ``month``)."""
    part = partitions(path)[0]
    try:
        names = [str(c).strip() for c in pq.read_schema(part.files[0]).names]
    except (pa.ArrowInvalid, OSError) as exc:
        raise PanelError(f"{part.files[0]}: cannot be read as Parquet: {str(exc).splitlines()[0]}") from None
    return names + ["month"] if part.month is not None and "month" not in names else names


def _with_month(frame: pd.DataFrame, part: Partition) -> pd.DataFrame:
    """A hive partition's rows get their folder's month; a month column in the files must agree with it."""
    if part.month is None:
        return frame
    if "month" not in frame:
        return frame.assign(month=pd.array([part.month] * len(frame), dtype=pd.StringDtype("pyarrow")))
    cells = frame["month"].astype("string").str.strip()
    wrong = cells.notna() & ~cells.str.startswith(part.month)
    if wrong.any():
        raise PanelError(f"{part.name}: holds rows of month {cells[wrong].iloc[0]!r}; a month=YYYY-MM folder "
                         f"may only hold that month")
    return frame


def read_partition(part: Partition) -> tuple[pd.DataFrame, list[int]]:
    """A partition's rows as raw cells (its files in name order) and each file's row count."""
    if len(part.files) == 1:
        frame = read_raw(part.files[0])
        return _with_month(frame, part), [len(frame)]
    tables = [_parquet_table(f) for f in part.files]
    try:
        frame = _to_pandas(pa.concat_tables(tables, promote_options="default"))
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise PanelError(f"{part.name}: its Parquet files do not share one schema: "
                         f"{str(exc).splitlines()[0]}") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    if frame.columns.duplicated().any():
        raise PanelError(f"{part.name}: column '{frame.columns[frame.columns.duplicated()][0]}' appears more than once")
    return _with_month(frame, part), [t.num_rows for t in tables]


def read_raw(path: Path) -> pd.DataFrame:
    """Read one table file; the frame's index is the 0-based data row in the file."""
    frame = read_csv_raw(path) if path.suffix == ".csv" else read_parquet_raw(path)
    frame.columns = [str(c).strip() for c in frame.columns]
    if frame.columns.duplicated().any():
        dup = frame.columns[frame.columns.duplicated()][0]
        raise PanelError(f"{path}: column '{dup}' appears more than once in the header")
    return frame
