"""Find a table's file in a panel folder and read it as raw cells, keeping every row."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

SUFFIXES: tuple[str, ...] = (".csv", ".parquet")


class PanelError(Exception):
    """The panel cannot be used at all: one clear line naming the file, column and what was expected."""


def find_table_file(folder: Path, table: str) -> Path | None:
    """``<table>.csv`` or ``<table>.parquet`` in ``folder``; error when both are present."""
    found = [folder / f"{table}{suffix}" for suffix in SUFFIXES if (folder / f"{table}{suffix}").is_file()]
    if len(found) > 1:
        raise PanelError(f"{folder}: both {found[0].name} and {found[1].name} exist; keep only one file per table")
    return found[0] if found else None


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


def read_parquet_raw(path: Path) -> pd.DataFrame:
    try:
        table = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise PanelError(f"{path}: cannot be read as Parquet: {reason}") from None
    return _to_pandas(table)


def read_raw(path: Path) -> pd.DataFrame:
    """Read one table file; the frame's index is the 0-based data row in the file."""
    frame = read_csv_raw(path) if path.suffix == ".csv" else read_parquet_raw(path)
    frame.columns = [str(c).strip() for c in frame.columns]
    if frame.columns.duplicated().any():
        dup = frame.columns[frame.columns.duplicated()][0]
        raise PanelError(f"{path}: column '{dup}' appears more than once in the header")
    return frame
