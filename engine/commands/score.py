"""``shortage score``: the monthly run, scoring the as-of month with the champion models into file and store."""

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


def run_monthly(panel: Panel, month: pd.Period, uri: str, store_url: str | None) -> tuple[pd.DataFrame, int]:
    """Score the month and record it in the store; the run becomes current only when all of it is written."""
    from shortage_radar.store import open_store
    from shortage_radar.store.fingerprint import config_hash, files_fingerprint

    store = open_store(store_url)
    run_id = store.begin_run(month, data_path=str(Path(panel.source).resolve()),
                             fingerprint=files_fingerprint(Path(panel.source)), model_versions={},
                             config_hash=config_hash())
    try:
        with out.status(f"scoring {month} (features, models, drivers)"):
            watchlist, versions = champion_watchlist(panel, month, uri)
        with out.status(f"writing run {run_id} to the store"):
            store.set_model_versions(run_id, versions)
            store.finish_run(run_id, watchlist, panel.quarantine)
    except BaseException as exc:  # a failed run is recorded and leaves the previous one current
        store.fail_run(run_id, f"{type(exc).__name__}: {exc}")
        raise
    return watchlist, run_id


def summary_lines(store_url: str | None, month: pd.Period, watchlist: pd.DataFrame, panel: Panel) -> list[str]:
    """Counts per level, varieties newly at orange/red since last month, and the quarantine."""
    from shortage_radar.models.policy import NAMES
    from shortage_radar.store import open_store

    varieties = watchlist[watchlist["entity"] == "variety"]
    counts = varieties["warning_level"].value_counts()
    lines = ["levels (varieties): " + ", ".join(f"{NAMES[k][0]} {int(counts.get(k, 0))}" for k in (1, 2, 3, 4, 0))]
    previous = open_store(store_url).watchlist(month - 1, entity="variety")
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
) -> None:
    """The monthly run: write the as-of month's watchlist to the file and, as a new current run, to the store."""
    from shortage_radar.models.registry import tracking_uri as resolve
    from shortage_radar.store.settings import store_url

    as_of = parse_month(month, "--month")
    if out_file.suffix not in (".csv", ".parquet"):
        fail(f"{out_file}: unknown output format (expected .csv or .parquet)")
    try:
        with out.status(f"reading and validating {data}"):
            panel = read_panel(data)
    except PanelError as exc:
        fail(str(exc))
    try:
        watchlist, run_id = run_monthly(panel, as_of, resolve(tracking_uri), store)
    except LookupError as exc:
        fail(str(exc))
    write_table(watchlist, out_file)
    out.print(top_table(watchlist))
    for line in summary_lines(store, as_of, watchlist, panel):
        out.print(line)
    out.print(f"watchlist:  [bold]{out_file}[/] ({len(watchlist):,} rows)")
    out.print(f"store:      [bold]{store_url(store)}[/] (run {run_id}, current for {as_of})")
