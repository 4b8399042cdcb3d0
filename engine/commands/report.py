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
    tracking_uri: Annotated[str | None, typer.Option("--tracking-uri", help="MLflow tracking URI (default: the "
                                                     "workspace's): the models that scored the run.")] = None,
    criticality: Annotated[bool, typer.Option("--criticality/--no-criticality",
                                              help="The single-points-of-failure view (every enterprise "
                                                   "suspending in turn; needs the run's models).")] = True,
) -> None:
    """Write one offline HTML report: ranked watchlist, variety charts with forecasts, enterprise views; with the
    models that scored the run also the warning policy in force and the suppliers whose stop would hurt most."""
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
        models = _run_models(run, tracking_uri)
        critical = None
        if models is not None and criticality and "monthly_reports" in panel:
            with steps.step("single points of failure: every enterprise suspending in turn"):
                critical = _criticality(panel, models, as_of)
        with steps.step("forecasts, charts and the page"):
            path, seconds = month_report(panel, scores, as_of, watchlist, out_file,
                                         policy=models.policy_in_force().summary() if models else None,
                                         criticality=critical)
    previous = scores.current_run(as_of - 1)
    compared = f"changes since {as_of - 1}" if previous else f"no run of {as_of - 1}: no changes shown"
    out.print(f"report of run {run.run_id} ({len(watchlist):,} rows, {compared}): [bold]{path}[/] "
              f"({path.stat().st_size / 1e6:.1f} MB, {seconds:.1f} s)")


def _run_models(run, tracking_uri: str | None):
    """The champion models if they are the ones that scored ``run`` (else None, and a note why)."""
    import shortage_radar as sr
    from shortage_radar.errors import ShortageRadarError

    try:
        models = sr.champions(tracking_uri)
    except ShortageRadarError as exc:
        out.print(f"[dim]no warning policy or single points of failure shown: {str(exc).splitlines()[0]}[/]")
        return None
    if not models.scored(run.model_versions):
        out.print(f"[dim]the champions ({models.versions}) did not score run {run.run_id} ({run.model_versions}): "
                  "no warning policy or single points of failure shown[/]")
        return None
    return models


def _criticality(panel, models, month):
    """The supplier criticality table, or None (with a note) when the panel cannot give one."""
    import shortage_radar as sr

    try:
        return sr.supplier_criticality(panel, models, month)
    except Exception as exc:  # noqa: BLE001 - an optional view: the report is written without it, and says why
        first = str(exc).splitlines()[0] if str(exc).strip() else ""
        out.print(f"[dim]no single points of failure: {type(exc).__name__}: {first}[/]")
        return None
