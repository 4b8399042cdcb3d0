"""``shortage audit``: the month's reporting-compliance and data-accuracy findings, one row each."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from shortage_radar.commands.console import fail, out
from shortage_radar.commands.months import parse_month
from shortage_radar.contract.panel import read_panel
from shortage_radar.errors import ShortageRadarError

FORMATS = (".csv", ".parquet")


def write_atomic(frame: pd.DataFrame, path: Path) -> Path:
    """CSV or Parquet by extension, written beside the target and moved into place (never half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    try:
        if path.suffix == ".parquet":
            frame.to_parquet(partial, index=False)
        else:
            frame.to_csv(partial, index=False)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def _table(found: pd.DataFrame, summary: pd.DataFrame):
    from rich.table import Table

    table = Table(title="Findings per province", title_justify="left")
    for column in summary.columns:
        table.add_column(column, justify="left" if column == "province" else "right")
    for row in summary.itertuples(index=False):
        table.add_row(*[str(v) for v in row])
    return table


def audit(
    data: Annotated[Path, typer.Option("--data", help="Panel folder.")],
    month: Annotated[str, typer.Option("--month", help="Audited month YYYY-MM (what was known by its end).")],
    out_file: Annotated[Path, typer.Option("--out", help="Findings file (.csv or .parquet).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object: counts per check and "
                                                         "province.")] = False,
) -> None:
    """Audit a month: missing and late reports, stock that does not add up, implausible figures, short
    deliveries, price spikes; one row per finding, and a summary per province."""
    from shortage_radar.audit import audit as run_audit
    from shortage_radar.audit import audit_config, province_summary, summary_counts
    from shortage_radar.audit.context import window_rows

    as_of = parse_month(month, "--month")
    if out_file.suffix not in FORMATS:
        fail(f"{out_file}: unknown output format (expected .csv or .parquet)")
    try:
        panel = read_panel(data, rows=window_rows(as_of, audit_config()))  # only the months the audit reads
        found = run_audit(panel, as_of)
        summary = province_summary(panel, as_of, found)
        write_atomic(found, out_file)
    except ShortageRadarError as exc:  # unreadable panel, bad configuration: one line
        fail(str(exc), exc.exit_code)
    except OSError as exc:
        fail(f"{exc.filename or out_file}: cannot write ({exc.strerror or exc})")
    if as_json:
        typer.echo(json.dumps({"month": str(as_of), "out": str(out_file), **summary_counts(found),
                               "provinces": summary.to_dict(orient="records")}))
        return
    out.print(_table(found, summary))
    counts = summary_counts(found)["by_check"]
    out.print("findings: " + (", ".join(f"{k} {v}" for k, v in counts.items()) or "none"))
    out.print(f"written to [bold]{out_file}[/] ({len(found):,} rows)")
