"""``shortage backtest``: rolling-origin backtest, all months' watchlist rows in one file, metrics printed."""

from __future__ import annotations

import json
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.table import Table

from shortage_radar.atomic import write_text
from shortage_radar.commands.console import fail, out
from shortage_radar.commands.engine import Engine, EngineOption, dask_session
from shortage_radar.commands.months import parse_month
from shortage_radar.contract.files import PanelError
from shortage_radar.contract.panel import read_panel
from shortage_radar.models.settings import model_config


def write_table(frame: pd.DataFrame, path: Path) -> Path:
    """CSV or Parquet by the file's extension, written atomically; one error line when it cannot be."""
    from shortage_radar.atomic import OutputError
    from shortage_radar.atomic import write_table as write_atomically

    try:
        return write_atomically(frame, path)
    except OutputError as exc:
        fail(str(exc))


def _metrics_table(metrics: dict) -> Table:
    table = Table(title="Backtest (variety level)", title_justify="left")
    for col in ("", "PR-AUC", "ROC-AUC", "P@10", "P@25", "onsets warned"):
        table.add_column(col, justify="right" if col else "left")

    def fmt(x) -> str:
        return "-" if x is None else f"{x:.3f}"

    rows = [("model", metrics["variety"])] + list(metrics["baselines"].items())
    for name, m in rows:
        table.add_row(name, fmt(m["pr_auc"]), fmt(m["roc_auc"]), fmt(m["precision_at_10"]),
                      fmt(m["precision_at_25"]), fmt(m["onsets"]["warned_share"]))
    return table


def _reliability_table(rows: list[dict]) -> Table:
    table = Table(title="Reliability (variety risk deciles)", title_justify="left")
    for col in ("decile", "mean predicted", "observed rate", "rows"):
        table.add_column(col, justify="right")
    for i, r in enumerate(rows, start=1):
        table.add_row(str(i), f"{r['predicted']:.3f}", f"{r['observed']:.3f}", str(r["rows"]))
    return table


def _lead_line(onsets: dict) -> str:
    leads = ", ".join(f"{k} month{'s' if k != '1' else ''}: {n}" for k, n in onsets["lead_months"].items())
    share = "-" if onsets["warned_share"] is None else f"{onsets['warned_share']:.1%}"
    return f"onsets warned at level 1-3 ahead: {share} of {onsets['onsets']} (earliest warning {leads})"


def _backtest(data: Path, first, last, cfg, policy, every: int, session):
    """run_backtest on the local panel, or with model tables built on the Dask cluster (LightGBM on the client)."""
    from shortage_radar.models.backtest import run_backtest

    if session is None:
        return run_backtest(read_panel(data), first, last, cfg, policy, every, progress=True)
    from shortage_radar.distributed.reader import read_partitioned
    from shortage_radar.distributed.tables import DaskTables
    from shortage_radar.distributed.training import fit_local
    from shortage_radar.features.settings import feature_config

    with out.status("features on Dask"):
        source = DaskTables(session.client, read_partitioned(data, session.cfg), None, cfg, feature_config(),
                            session.cfg)
    return run_backtest(source.panel, first, last, cfg, policy, every, progress=True, tables_at=source,
                        fit=fit_local)


def backtest(
    data: Annotated[Path, typer.Option("--data", help="Panel folder.")],
    start: Annotated[str, typer.Option("--start", help="First as-of month, YYYY-MM.")],
    end: Annotated[str, typer.Option("--end", help="Last as-of month, YYYY-MM.")],
    out_file: Annotated[Path, typer.Option("--out", help="Watchlist rows of every month (.csv or .parquet).")],
    retrain_every: Annotated[int | None, typer.Option(help="Retrain at least every N months (<= 12; default "
                                                          "configs/model.yaml).", min=1, max=12)] = None,
    engine: EngineOption = Engine.local,
) -> None:
    """Rolling origin: each month is scored by models trained only on what was known then."""
    from shortage_radar.models.policy import warning_policy

    first, last = parse_month(start, "--start"), parse_month(end, "--end")
    if last < first:
        fail(f"--end {end} is before --start {start}")
    cfg = model_config()
    every = retrain_every or cfg.retrain_every
    try:
        with ExitStack() as stack:
            session = stack.enter_context(dask_session()) if engine is Engine.dask else None
            result = _backtest(data, first, last, cfg, warning_policy(), every, session)
    except PanelError as exc:
        fail(str(exc))
    write_table(result.watchlist, out_file)
    metrics_path = out_file.with_name(out_file.stem + ".metrics.json")
    write_text(metrics_path, json.dumps(result.metrics, indent=2, default=str))
    out.print(_metrics_table(result.metrics))
    v = result.metrics["variety"]
    if v.get("reliability"):
        out.print(_reliability_table(v["reliability"]))
    out.print(_lead_line(v["onsets"]))
    out.print(f"prevalence {v['prevalence']:.3f}; Brier {v['brier']:.4f}; "
              f"level 1-3 warnings per month {v['warnings_per_month']:.1f} ({v['warned_share_per_month']:.1%})")
    out.print(f"watchlist: [bold]{out_file}[/]  metrics: [bold]{metrics_path}[/]")
