"""``shortage runs list|show``: the run records of the score store."""

from __future__ import annotations

from datetime import UTC
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from shortage_radar.commands.console import fail, out

if TYPE_CHECKING:
    from shortage_radar.store import Store

app = typer.Typer(no_args_is_help=True, add_completion=False, help="Runs recorded in the score store.")
StoreOption = Annotated[str | None, typer.Option("--store", help="Score store URL (default SHORTAGE_STORE_URL, "
                                                                 "else configs/store.yaml).")]


def _time(value) -> str:
    """A run time in UTC to the minute (the record in `runs show` has the seconds)."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M") if value is not None else "-"


def _store(url: str | None) -> Store:
    """The opened existing store, or one error line (bad URL, no database there, unreachable database)."""
    from shortage_radar.store import StoreError, open_store

    try:
        return open_store(url, create=False)
    except StoreError as exc:
        fail(str(exc))


@app.command("list")
def list_runs(store: StoreOption = None,
              limit: Annotated[int, typer.Option("--limit", min=1, help="Newest runs to show.")] = 20) -> None:
    """The newest runs: month, status, whether current, rows and quarantined rows."""
    table = Table(title="Runs (newest first)", title_justify="left")
    for col in ("run", "month", "status", "current", "finished (UTC)", "rows", "quarantined"):
        table.add_column(col, no_wrap=True)
    for r in _store(store).runs(limit):
        table.add_row(str(r.run_id), r.month, r.status, "yes" if r.is_current else "", _time(r.finished_at),
                      str(r.rows or "-"), str(r.quarantined or 0))
    out.print(table)


@app.command("show")
def show_run(run_id: Annotated[int, typer.Argument(help="Run id (see `shortage runs list`).")],
             store: StoreOption = None,
             top: Annotated[int, typer.Option("--top", min=0, help="Top varieties to list.")] = 10) -> None:
    """One run's record, its level counts and its top varieties."""
    from shortage_radar.commands.score import level_counts, top_table

    opened = _store(store)
    record = opened.run(run_id)
    if record is None:
        fail(f"run {run_id}: not in the store (see `shortage runs list`)")
    for field, value in record.__dict__.items():
        out.print(f"{field:<15} {value}")
    quarantined = opened.quarantined(run_id)
    if len(quarantined):
        by_table = quarantined["table_name"].value_counts()
        out.print("quarantined by table: " + ", ".join(f"{t} {n}" for t, n in by_table.items()))
    rows = opened.run_rows(run_id)
    if len(rows):
        out.print(level_counts(rows))
        if top:
            out.print(top_table(rows, top))


@app.command("withdraw")
def withdraw_run(run_id: Annotated[int, typer.Argument(help="Run id to withdraw (see `shortage runs list`).")],
                 store: StoreOption = None) -> None:
    """Withdraw a bad run: the previous succeeded run of its month becomes current again; the record stays."""
    from shortage_radar.store import StoreError

    opened = _store(store)
    try:
        restored = opened.withdraw_run(run_id)
    except StoreError as exc:
        fail(str(exc))
    record = opened.run(run_id)
    out.print(f"run {run_id} withdrawn ({record.error})")
    if restored is None:
        out.print(f"[yellow]{record.month} has no current run now[/] (score it again with shortage score)")
