"""``shortage backtest``: rolling-origin backtest, all months' watchlist rows in one file, metrics printed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from shortage_radar.commands.console import Steps, fail, out
from shortage_radar.commands.engine import Engine, EngineOption, backend_for
from shortage_radar.commands.months import parse_month


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


def _horizon_table(horizons: dict) -> Table:
    table = Table(title="Risk curve (variety level): each column against its own horizon", title_justify="left")
    for col in ("horizon", "PR-AUC", "ROC-AUC", "P@10", "prevalence", "best baseline PR-AUC", "rows"):
        table.add_column(col, justify="right")
    for h, m in horizons.items():
        base = {k: v for k, v in m["baselines"].items() if v is not None}
        best = max(base, key=base.get) if base else None
        table.add_row(f"risk_{h}m", *(("-" if m[k] is None else f"{m[k]:.3f}")
                                      for k in ("pr_auc", "roc_auc", "precision_at_10", "prevalence")),
                      f"{base[best]:.3f} ({best})" if best else "-", f"{m['rows']:,}")
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
    import shortage_radar as sr
    from shortage_radar.atomic import check_table_path, write_table, write_text

    first, last = parse_month(start, "--start"), parse_month(end, "--end")
    if last < first:
        fail(f"--end {end} is before --start {start}")
    check_table_path(out_file)
    with backend_for(data, engine) as backend, Steps() as steps:
        result = sr.backtest(backend, first, last, retrain_every=retrain_every, progress=steps)
    write_table(result.watchlist, out_file)
    metrics_path = write_text(out_file.with_name(out_file.stem + ".metrics.json"),
                              json.dumps(result.metrics, indent=2, default=str))
    out.print(_metrics_table(result.metrics))
    v = result.metrics["variety"]
    if v.get("reliability"):
        out.print(_reliability_table(v["reliability"]))
    if v.get("horizons"):
        out.print(_horizon_table(v["horizons"]))
    out.print(_lead_line(v["onsets"]))
    out.print(f"prevalence {v['prevalence']:.3f}; Brier {v['brier']:.4f}; "
              f"level 1-3 warnings per month {v['warnings_per_month']:.1f} ({v['warned_share_per_month']:.1%}, "
              f"at most {v['warned_share_max_month']:.1%} in a month)")
    out.print(f"watchlist: [bold]{out_file}[/]  metrics: [bold]{metrics_path}[/]")
