"""``shortage validate``: check a panel against the contract and report the quarantine."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from shortage_radar.atomic import OutputError
from shortage_radar.commands.console import err, fail, out
from shortage_radar.commands.views import notes, validation_table
from shortage_radar.contract.files import PanelError
from shortage_radar.contract.panel import read_panel, write_quarantine


def validate(
    data: Annotated[Path, typer.Option("--data", help="Panel folder of <table>.csv / .parquet files.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print exactly one JSON object instead of tables.")] = False,
    quarantine: Annotated[
        Path | None, typer.Option("--quarantine", help="Write quarantined rows here (.csv or .parquet).")
    ] = None,
) -> None:
    """Check a panel against the contract; exit 1 only if it cannot be used at all."""
    try:
        panel = read_panel(data)
    except PanelError as exc:
        if as_json:
            out.print_json(json.dumps({"ok": False, "error": str(exc)}))
            raise typer.Exit(1) from None
        fail(str(exc))
    if quarantine is not None:
        try:
            write_quarantine(panel.quarantine, quarantine)
        except OutputError as exc:
            if as_json:
                typer.echo(json.dumps({"ok": False, "error": str(exc)}))
                raise typer.Exit(1) from None
            fail(str(exc))
    if as_json:
        typer.echo(json.dumps(panel.summary()))
        return
    out.print(validation_table(panel))
    for line in notes(panel):
        out.print(f"[dim]{line}[/]")
    total = len(panel.quarantine)
    where = f", written to {quarantine}" if quarantine is not None else " (use --quarantine FILE to keep them)"
    (err if total else out).print(f"{total:,} rows quarantined{where}" if total else "no rows quarantined")
