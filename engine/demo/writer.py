"""Write contract tables to a panel folder: ``<table>.csv`` (Arrow CSV writer), ``<table>.parquet``, or
folders of Parquet partitions (``<table>/month=YYYY-MM/<part>.parquet`` for month-keyed tables)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

FORMATS = ("csv", "parquet", "partitioned")
MONTH_KEYED = ("monthly_reports", "procurement", "institution_reports")


def _write_one(frame: pd.DataFrame, path: Path, fmt: str) -> None:
    """Write one table (Arrow: fast, deterministic, nulls as empty CSV cells)."""
    from shortage_radar.atomic import write_atomic

    table = pa.Table.from_pandas(frame, preserve_index=False).replace_schema_metadata(None)
    if fmt == "csv":
        options = pacsv.WriteOptions(include_header=True, quoting_style="needed")
        write_atomic(path, lambda temp: pacsv.write_csv(table, str(temp), write_options=options))
    else:
        write_atomic(path, lambda temp: pq.write_table(table, str(temp)))


def write_partitions(tables: Mapping[str, pd.DataFrame], out_dir: Path, part: str = "part-0") -> Path:
    """Add one part to a partitioned panel: month-keyed tables split by month (hive), the rest as ``<table>/<part>``.

    Parts written by independent calls (e.g. one per simulated region) together form one panel.
    """
    out_dir = Path(out_dir)
    for name, frame in tables.items():
        if name in MONTH_KEYED:
            for month, rows in frame.groupby(frame["month"].astype(str), sort=True):
                folder = out_dir / name / f"month={month}"
                folder.mkdir(parents=True, exist_ok=True)
                _write_one(rows.drop(columns=["month"]), folder / f"{part}.parquet", "parquet")
        else:
            (out_dir / name).mkdir(parents=True, exist_ok=True)
            _write_one(frame, out_dir / name / f"{part}.parquet", "parquet")
    return out_dir


def write_panel(tables: Mapping[str, pd.DataFrame], out_dir: Path, fmt: str = "csv") -> Path:
    """Write one file per table (UTF-8 CSV with header, missing = empty cell; or Parquet), or Parquet partitions."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown panel format {fmt!r}: expected one of {', '.join(FORMATS)}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if fmt == "partitioned":
        return write_partitions(tables, out_dir)
    for name, frame in tables.items():
        _write_one(frame, out_dir / f"{name}.{fmt}", fmt)
    return out_dir
