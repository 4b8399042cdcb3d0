"""``shortage train``: fit on data known by --until, log to MLflow, register, move the champion alias."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from shortage_radar.commands.console import Steps, out
from shortage_radar.commands.engine import Engine, EngineOption, backend_for
from shortage_radar.commands.months import parse_month


class Training(StrEnum):
    auto = "auto"
    local = "local"
    dask = "dask"


def print_registered(registered: dict) -> None:
    """One line per registered model: version, alias and the backtest PR-AUC beside the previous champion's."""
    for kind, reg in registered.items():
        best = "none yet" if reg.champion_pr_auc is None else f"{reg.champion_pr_auc:.3f}"
        got = "n/a" if reg.pr_auc is None else f"{reg.pr_auc:.3f}"
        out.print(f"{kind}: registered [bold]{reg.name}[/] v{reg.version} as [bold]{reg.alias}[/] "
                  f"(backtest PR-AUC {got}; previous champion {best})")


def train(
    data: Annotated[Path, typer.Option("--data", help="Panel folder.")],
    until: Annotated[str | None, typer.Option("--until", help="Train on data known by the end of YYYY-MM "
                                                               "(default: the panel's last month).")] = None,
    tracking_uri: Annotated[str | None, typer.Option("--tracking-uri", help="MLflow tracking URI.")] = None,
    engine: EngineOption = Engine.local,
    training: Annotated[Training | None, typer.Option(
        "--training", help="With --engine dask: LightGBM on the client (local), through lightgbm.dask (dask), "
                           "or by table size (auto; default configs/dask.yaml).")] = None,
) -> None:
    """Fit the variety and enterprise models, log the run to MLflow and register them."""
    import shortage_radar as sr

    until_month = parse_month(until, "--until") if until else None
    out.rule(f"[bold]shortage train: {data.name}, known by the end of {until_month or 'its last month'}[/]",
             align="left")
    with backend_for(data, engine, training.value if training else None) as backend, Steps() as steps:
        models = sr.train(backend, until_month, progress=steps)
        with steps.step("logging to MLflow and registering"):
            registered = sr.log_models(models, backend, tracking_uri)
    print_registered(registered)
