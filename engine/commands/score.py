"""``shortage score``: the monthly run, scoring the as-of month with the champion models."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from shortage_radar.commands.backtest import write_table
from shortage_radar.commands.console import fail, out
from shortage_radar.commands.months import parse_month
from shortage_radar.contract.files import PanelError
from shortage_radar.contract.panel import Panel, read_panel


def champion_watchlist(panel: Panel, month: pd.Period, uri: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """Score ``month`` with the registry's champions; LookupError when none is registered."""
    from shortage_radar.models.monthly import score_month
    from shortage_radar.models.policy import warning_policy
    from shortage_radar.models.registry import load_champion, mlflow_config, use_tracking
    from shortage_radar.models.settings import model_config

    use_tracking(uri)
    mcfg = mlflow_config()
    variety, v_version = load_champion(mcfg.variety_model)
    versions = {mcfg.variety_model: v_version}
    try:
        enterprise, e_version = load_champion(mcfg.enterprise_model)
        versions[mcfg.enterprise_model] = e_version
    except LookupError:
        enterprise = None
    return score_month(panel, month, variety, enterprise, warning_policy(), model_config()), versions


def top_table(watchlist: pd.DataFrame, n: int = 10):
    from rich.table import Table

    from shortage_radar.models.policy import NAMES

    table = Table(title=f"Top {n} varieties", title_justify="left")
    for col in ("rank", "variety", "risk", "level", "drivers"):
        table.add_column(col)
    top = watchlist[watchlist["entity"] == "variety"].nsmallest(n, "rank")
    for row in top.itertuples():
        en, zh = NAMES[int(row.warning_level)]
        table.add_row(str(row.rank), row.variety_id, f"{row.risk:.2f}", f"{en} / {zh}", row.drivers)
    return table


def score(
    data: Annotated[Path, typer.Option("--data", help="Panel folder.")],
    month: Annotated[str, typer.Option("--month", help="As-of month YYYY-MM.")],
    out_file: Annotated[Path, typer.Option("--out", help="Watchlist file (.csv or .parquet).")],
    tracking_uri: Annotated[str | None, typer.Option("--tracking-uri", help="MLflow tracking URI.")] = None,
) -> None:
    """Write the watchlist for the as-of month (variety and enterprise rows)."""
    from shortage_radar.models.registry import tracking_uri as resolve

    as_of = parse_month(month, "--month")
    try:
        panel = read_panel(data)
    except PanelError as exc:
        fail(str(exc))
    try:
        with out.status(f"scoring {as_of}"):
            watchlist, versions = champion_watchlist(panel, as_of, resolve(tracking_uri))
    except LookupError as exc:
        fail(str(exc))
    write_table(watchlist, out_file)
    out.print(top_table(watchlist))
    used = ", ".join(f"{k} v{v}" for k, v in versions.items())
    out.print(f"watchlist ({len(watchlist):,} rows, models {used}): [bold]{out_file}[/]")
