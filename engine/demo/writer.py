"""Write contract tables to a panel folder: ``<table>.csv`` (Arrow CSV writer) or ``<table>.parquet``."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

FORMATS = ("csv", "parquet")


def _write_one(frame: pd.DataFrame, path: Path, fmt: str) -> None:
    """Write one table (Arrow: fast, deterministic, nulls as empty CSV cells)."""
    table = pa.Table.from_pandas(frame, preserve_index=False).replace_schema_metadata(None)
    if fmt == "csv":
        pacsv.write_csv(table, path, write_options=pacsv.WriteOptions(include_header=True, quoting_style="needed"))
    else:
        pq.write_table(table, path)


def write_panel(tables: Mapping[str, pd.DataFrame], out_dir: Path, fmt: str = "csv") -> Path:
    """Write one file per table (UTF-8 CSV with header, missing = empty cell; or Parquet); returns ``out_dir``."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown panel format {fmt!r}: expected one of {', '.join(FORMATS)}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        _write_one(frame, out_dir / f"{name}.{fmt}", fmt)
    return out_dir
