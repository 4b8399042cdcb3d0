"""``shortage report``: the offline HTML analyst report of a month's current run in the score store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from shortage_radar.commands.console import Steps, fail, out
from shortage_radar.commands.months import parse_month
from shortage_radar.contract.files import PanelError
from shortage_radar.contract.panel import read_panel


def report(
    month: Annotated[str, typer.Option("--month", help="As-of month YYYY-MM (its current run in the store).")],
    out_file: Annotated[Path, typer.Option("--out", help="HTML file to write.")] = Path("report.html"),
    store: Annotated[str | None, typer.Option("--store", help="Score store URL (default SHORTAGE_STORE_URL, "
                                                              "else configs/store.yaml).")] = None,
    data: Annotated[Path | None, typer.Option("--data", help="Panel folder (default: the one the run used).")] = None,
) -> None:
    """Write one offline HTML report: ranked watchlist, variety charts with forecasts, enterprise views."""
    from sqlalchemy.exc import SQLAlchemyError

    from shortage_radar.report import month_report
    from shortage_radar.store import open_store
    from shortage_radar.store.settings import store_url

    as_of = parse_month(month, "--month")
    try:
        scores = open_store(store, create=False)  # read-only: never creates a database
        run = scores.current_run(as_of)
        watchlist = scores.watchlist(as_of) if run is not None else None
    except (SQLAlchemyError, ValueError, OSError) as exc:
        fail(f"score store {store_url(store)}: {type(exc).__name__}: {str(exc).splitlines()[0]}")
    if run is None:
        fail(f"no run for {as_of} in the score store {store_url(store)} (run shortage score --month {as_of} first)")
    folder = data if data is not None else Path(run.data_path)
    out.rule(f"[bold]shortage report: run {run.run_id} of {as_of}[/]", align="left")
    with Steps() as steps:
        try:
            with steps.step(f"reading and validating {folder.name}"):
                panel = read_panel(folder)
        except PanelError as exc:
            fail(f"{exc} (panel of run {run.run_id}; pass --data to use another folder)")
        with steps.step("forecasts, charts and the page"):
            path, seconds = month_report(panel, scores, as_of, watchlist, out_file)
    previous = scores.current_run(as_of - 1)
    compared = f"changes since {as_of - 1}" if previous else f"no run of {as_of - 1}: no changes shown"
    out.print(f"report of run {run.run_id} ({len(watchlist):,} rows, {compared}): [bold]{path}[/] "
              f"({path.stat().st_size / 1e6:.1f} MB, {seconds:.1f} s)")
