"""``shortage score``: the monthly run, scoring the as-of month with the champion models into file and store."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import pandas as pd
import typer

from shortage_radar.commands.alerts import WebhookOption
from shortage_radar.commands.console import Steps, fail, out
from shortage_radar.commands.engine import Engine, EngineOption, backend_for
from shortage_radar.commands.months import parse_month

if TYPE_CHECKING:
    from shortage_radar.contract.panel import Panel
    from shortage_radar.store import Store


def top_table(watchlist: pd.DataFrame, n: int = 10):
    """The month's top varieties not already in shortage (the onset ranking), levels in English and Chinese."""
    from rich.table import Table

    from shortage_radar.models.watchlist import Level

    varieties = watchlist[watchlist["entity"] == "variety"]
    short = varieties["ongoing"].astype(bool) if "ongoing" in varieties else pd.Series(False, index=varieties.index)
    table = Table(title=f"Top {n} varieties not yet in shortage ({int(short.sum())} in shortage now: at most "
                        "blue, levels 1-3 warn of onsets to come)", title_justify="left")
    for col in ("rank", "variety", "risk", "level", "drivers"):
        table.add_column(col)
    top = varieties[~short].nsmallest(n, "rank")
    for row in top.itertuples():
        level = Level(int(row.warning_level))
        table.add_row(str(row.rank), row.variety_id, f"{row.risk:.2f}", f"{level.english} / {level.chinese}",
                      row.drivers)
    return table


def level_counts(watchlist: pd.DataFrame) -> str:
    """Varieties per warning level, red first."""
    from shortage_radar.models.watchlist import Level

    counts = watchlist.loc[watchlist["entity"] == "variety", "warning_level"].value_counts()
    order = (Level.RED, Level.ORANGE, Level.YELLOW, Level.BLUE, Level.NONE)
    return "levels (varieties): " + ", ".join(f"{lv.english} {int(counts.get(int(lv), 0))}" for lv in order)


def summary_lines(store: Store, month: pd.Period, watchlist: pd.DataFrame, panel: Panel) -> list[str]:
    """Counts per level, varieties newly at orange/red since last month, and the quarantine."""
    varieties = watchlist[watchlist["entity"] == "variety"]
    lines = [level_counts(watchlist)]
    previous = store.watchlist(month - 1, entity="variety")
    severe = set(varieties.loc[varieties["warning_level"].isin((1, 2)), "variety_id"])
    if len(previous):
        before = set(previous.loc[previous["warning_level"].isin((1, 2)), "variety_id"])
        new = sorted(severe - before)
        listed = f" ({', '.join(new[:15])})" if new else ""
        lines.append(f"newly orange or red since {month - 1}: {len(new)}{listed}")
    else:
        lines.append(f"no run of {month - 1} in the store: changes since last month not available")
    by_table = panel.quarantine["table"].value_counts() if len(panel.quarantine) else pd.Series(dtype=int)
    lines.append(f"quarantined rows: {len(panel.quarantine):,}"
                 + (" (" + ", ".join(f"{t} {n}" for t, n in by_table.items()) + ")" if len(by_table) else ""))
    return lines


def score(
    data: Annotated[Path, typer.Option("--data", help="Panel folder.")],
    month: Annotated[str, typer.Option("--month", help="As-of month YYYY-MM.")],
    out_file: Annotated[Path, typer.Option("--out", help="Watchlist file (.csv or .parquet).")],
    tracking_uri: Annotated[str | None, typer.Option("--tracking-uri", help="MLflow tracking URI.")] = None,
    store: Annotated[str | None, typer.Option("--store", help="Score store URL (default SHORTAGE_STORE_URL, "
                                                              "else configs/store.yaml).")] = None,
    engine: EngineOption = Engine.local,
    report_file: Annotated[Path | None, typer.Option("--report", help="Analyst report HTML (default "
                                                                      "report-YYYY-MM.html beside --out).")] = None,
    no_report: Annotated[bool, typer.Option("--no-report", help="Do not write the analyst report.")] = False,
    send_alerts: Annotated[bool, typer.Option("--alerts", help="After the run, alert subscribers to level changes "
                                                               "(see `shortage alerts`).")] = False,
    webhooks: WebhookOption = None,
    alerts_config: Annotated[Path | None, typer.Option("--alerts-config", help="Subscriptions YAML for "
                                                                               "--alerts.")] = None,
) -> None:
    """The monthly run: write the as-of month's watchlist to the file and, as a new current run, to the store."""
    import shortage_radar as sr
    from shortage_radar.atomic import OutputError, check_table_path, write_table
    from shortage_radar.report import month_report
    from shortage_radar.store.settings import display_url, store_url

    as_of = parse_month(month, "--month")
    check_table_path(out_file)
    opened = sr.open_store(store)  # first, so a bad --store fails before minutes of scoring
    report = None if no_report else report_file or out_file.with_name(f"report-{as_of}.html")
    with backend_for(data, engine) as backend, Steps() as steps:
        sr.scorable(backend).check(as_of)  # a month the models cannot score: one line, before anything else
        with steps.step("loading the champion models"):
            models = sr.champions(tracking_uri)
        watchlist, run_id = sr.monthly_run(backend, as_of, models, opened, progress=steps)
        with steps.step(f"writing {out_file.name}"):
            try:
                write_table(watchlist, out_file)
            except OutputError as exc:
                fail(f"{exc}; run {run_id} is in the store (shortage runs show {run_id})")
        if report is not None:
            with steps.step(f"writing {report.name}"):
                month_report(backend.report_panel(watchlist, as_of), opened, as_of, watchlist, report,
                             policy=models.policy_in_force().summary())
    out.print(top_table(watchlist))
    for line in summary_lines(opened, as_of, watchlist, backend.panel):
        out.print(line)
    out.print(f"watchlist:  [bold]{out_file}[/] ({len(watchlist):,} rows)")
    if report is not None:
        out.print(f"report:     [bold]{report}[/]")
    out.print(f"store:      [bold]{display_url(store_url(store))}[/] (run {run_id}, current for {as_of}; "
              f"shortage runs show {run_id})")
    if send_alerts:
        _alerts(opened, as_of, webhooks, alerts_config, backend.panel if engine is Engine.local else None)


def _alerts(store: Store, month: pd.Period, webhooks: list[str] | None, config: Path | None, panel) -> None:
    """``--alerts``: the run is in the store; now tell the subscribers what changed."""
    from shortage_radar.commands.alerts import report_deliveries, send
    from shortage_radar.errors import ShortageRadarError

    try:
        deliveries = send(store, month, webhooks, config, panel=panel)
    except ShortageRadarError as exc:
        fail(f"alerts: {exc} (the run is in the store)")
    report_deliveries(deliveries)
