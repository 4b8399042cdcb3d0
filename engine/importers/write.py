"""Write an imported panel: the contract tables plus ``_import_summary.json`` (ignored by the reader)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from shortage_radar.atomic import write_text
from shortage_radar.demo.writer import write_panel

SUMMARY_FILE = "_import_summary.json"


def write_import(tables: Mapping[str, pd.DataFrame], summary: dict, out_dir: Path) -> Path:
    """Same input -> byte-identical files: rows sorted, no timestamps, keys of the summary sorted."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob("*.parquet"):
        if stale.stem in tables:
            stale.unlink()  # a table must not exist as both CSV and Parquet
    write_panel(tables, out_dir, "csv")
    text = json.dumps(summary, indent=2, sort_keys=True, default=str) + "\n"
    write_text(out_dir / SUMMARY_FILE, text)
    return out_dir


def table_counts(tables: Mapping[str, pd.DataFrame]) -> dict[str, int]:
    """Rows per table, for the summary."""
    return {name: int(len(frame)) for name, frame in tables.items()}
