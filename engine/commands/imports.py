"""``shortage import canada|openfda``: public shortage records -> a contract panel folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from shortage_radar.commands.console import fail, out

app = typer.Typer(no_args_is_help=True, add_completion=False,
                  help="Turn public shortage records into a contract panel (docs/real-data.md).")
OutOption = Annotated[Path, typer.Option("--out", help="Panel folder to write (created; tables overwritten).")]


def _report(summary: dict, out_dir: Path) -> None:
    table = Table(title=f"Imported panel {out_dir}", title_justify="left")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, rows in summary["tables"].items():
        table.add_row(name, f"{rows:,}")
    out.print(table)
    dropped = {k: v for k, v in summary.get("dropped", {}).items() if v}
    if dropped:
        out.print("reports left out: " + ", ".join(f"{k} {v}" for k, v in dropped.items()))
    if "first_month" in summary:
        out.print(f"months {summary['first_month']} .. {summary['last_month']}; "
                  f"check it with: shortage validate --data {out_dir}")


def _run(fn, *args) -> dict:
    from shortage_radar.importers.canada_read import SourceError

    try:
        return fn(*args)
    except SourceError as exc:
        fail(str(exc))


@app.command("canada")
def canada(
    src: Annotated[list[Path], typer.Option("--src", help="Drug Shortages Canada folder (repeat for several).")],
    out_dir: OutOption,
) -> None:
    """Drug Shortages Canada reports (voluntary 2013-2016, mandatory 2017-2018, 2023) -> panel."""
    from shortage_radar.importers.build import import_canada

    _report(_run(import_canada, list(src), out_dir), out_dir)


@app.command("openfda")
def openfda(
    src: Annotated[Path, typer.Option("--src", help="Folder with the openFDA drug-shortages bulk JSON file.")],
    out_dir: OutOption,
) -> None:
    """The openFDA shortage list snapshot -> panel (a current list: biased, see docs/real-data.md)."""
    from shortage_radar.importers.build import import_openfda

    _report(_run(import_openfda, src, out_dir), out_dir)
