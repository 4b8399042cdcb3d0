"""``shortage train``: fit on data known by --until, log to MLflow, register, move the champion alias."""

from __future__ import annotations

import hashlib
import json
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from shortage_radar.commands.console import fail, out
from shortage_radar.commands.engine import Engine, EngineOption, dask_session
from shortage_radar.commands.months import parse_month
from shortage_radar.contract.files import PanelError
from shortage_radar.contract.panel import Panel, read_panel


def fingerprint(panel: Panel) -> str:
    """A short hash of the validated tables: which data a model or run came from."""
    digest = hashlib.sha256()
    for name in sorted(panel.tables):
        digest.update(name.encode())
        digest.update(panel.tables[name].to_csv(index=False).encode())
    return digest.hexdigest()[:16]


def _flat(prefix: str, metrics: dict) -> dict[str, float]:
    out = {}
    for key, value in metrics.items():
        if isinstance(value, (int, float)) and value is not None:
            out[f"{prefix}{key}"] = float(value)
    return out


def _calibration_plot(reliability: list[dict], path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4.5, 4.5))
    ax.plot([0, 1], [0, 1], color="grey", linestyle="--", linewidth=1)
    ax.plot([r["predicted"] for r in reliability], [r["observed"] for r in reliability], marker="o")
    ax.set(xlabel="predicted risk", ylabel="observed onset rate", title="Reliability (backtest)")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def run_training(panel: Panel, until_month, uri: str, tables_at=None, fit=None,
                 data_fingerprint: str | None = None, steps=None) -> dict:
    """Train, log everything to MLflow and register both models; return what was registered.

    The Dask engine passes its ``tables_at`` and ``fit`` (models.train) and the panel files' fingerprint.
    """
    import mlflow

    from shortage_radar.models.dataset import local
    from shortage_radar.models.policy import warning_policy
    from shortage_radar.models.registry import log_and_register, mlflow_config, use_tracking
    from shortage_radar.models.settings import model_config
    from shortage_radar.models.train import importance, train_models

    from shortage_radar.commands.score import Steps
    from shortage_radar.models.train import TRAINING_STAGES

    if steps is None:
        with Steps() as own:
            return run_training(panel, until_month, uri, tables_at, fit, data_fingerprint, own)
    cfg, mcfg = model_config(), mlflow_config()
    use_tracking(uri)
    with steps.step(f"training on data known by {until_month}", total=len(TRAINING_STAGES)) as advance:
        started: list[str] = []

        def stage(name: str) -> None:
            if started:
                advance()
            started.append(name)
            steps.describe(f"training: {name}")

        trained = train_models(panel, until_month, cfg, warning_policy(), mcfg.backtest_months, tables_at, fit,
                               progress=stage)
    metrics = trained.backtest.metrics if trained.backtest else {"variety": {}, "baselines": {}}
    registered = {}
    with (steps.step("logging to MLflow and registering", total=2) as advance_log,
          mlflow.start_run(run_name=f"train-{until_month}"), tempfile.TemporaryDirectory() as tmp):
        mlflow.log_params({"until": str(until_month), "horizon": cfg.horizon, "seed": cfg.seed,
                           "data_fingerprint": data_fingerprint or fingerprint(panel),
                           **{f"lgbm_{k}": v for k, v in cfg.lightgbm.items()}})
        mlflow.log_metrics(_flat("variety_", metrics.get("variety", {})))
        for name, base in metrics.get("baselines", {}).items():
            mlflow.log_metrics(_flat(f"baseline_{name}_", base))
        mlflow.log_metrics(_flat("enterprise_", metrics.get("enterprise", {})))
        Path(tmp, "backtest_metrics.json").write_text(json.dumps(metrics, indent=2, default=str))
        importance(trained.variety).to_csv(Path(tmp, "feature_importance.csv"), index=False)
        if metrics.get("variety", {}).get("reliability"):
            _calibration_plot(metrics["variety"]["reliability"], Path(tmp, "calibration.png"))
        mlflow.log_artifacts(tmp)
        last = local(trained.tables.variety[trained.tables.variety["month"] == until_month])
        registered["variety"] = log_and_register(mcfg.variety_model, trained.variety, last.head(50),
                                                 metrics.get("variety", {}).get("pr_auc"))
        advance_log()
        if trained.enterprise is not None:
            pairs = local(trained.tables.pair[trained.tables.pair["month"] == until_month])
            registered["enterprise"] = log_and_register(mcfg.enterprise_model, trained.enterprise, pairs.head(50),
                                                        metrics.get("enterprise", {}).get("pr_auc"))
    return registered


class Training(StrEnum):
    auto = "auto"
    local = "local"
    dask = "dask"


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
    from shortage_radar.models.registry import tracking_uri as resolve

    until_month = parse_month(until, "--until") if until else None
    try:
        if engine is Engine.dask:
            with dask_session() as session:
                registered = _train_dask(session, data, until_month, resolve(tracking_uri), training)
        else:
            registered = _train_local(data, until_month, resolve(tracking_uri))
    except PanelError as exc:
        fail(str(exc))
    for kind, reg in registered.items():
        best = "none yet" if reg.champion_pr_auc is None else f"{reg.champion_pr_auc:.3f}"
        got = "n/a" if reg.pr_auc is None else f"{reg.pr_auc:.3f}"
        out.print(f"{kind}: registered [bold]{reg.name}[/] v{reg.version} as [bold]{reg.alias}[/] "
                  f"(backtest PR-AUC {got}; previous champion {best})")


def _train_local(data: Path, until_month, uri: str) -> dict:
    from shortage_radar.commands.score import Steps
    from shortage_radar.features.grid import panel_months

    with Steps(f"shortage train: {data}") as steps:
        with steps.step(f"reading and validating {data.name}"):
            panel = read_panel(data)
        return run_training(panel, until_month or panel_months(panel)[-1], uri, steps=steps)


def _train_dask(session, data: Path, until_month, uri: str, training: Training | None) -> dict:
    """Features and model tables on the cluster; LightGBM on the client or through lightgbm.dask."""
    from shortage_radar.distributed.monthly import grid_span
    from shortage_radar.distributed.reader import read_partitioned
    from shortage_radar.distributed.tables import DaskTables
    from shortage_radar.distributed.training import fitter, training_mode
    from shortage_radar.features.settings import feature_config
    from shortage_radar.models.settings import model_config
    from shortage_radar.store.fingerprint import files_fingerprint

    pp = read_partitioned(data, session.cfg)
    if until_month is None:
        until_month = session.client.compute(grid_span(pp, None)).result()[1]
    with out.status(f"features on Dask as known by {until_month}"):
        source = DaskTables(session.client, pp, until_month, model_config(), feature_config(), session.cfg)
        mode = training_mode(source(None), session.cfg.training, training.value if training else None)
    out.print(f"LightGBM: {'lightgbm.dask on the cluster' if mode == 'dask' else 'on the client'}")
    return run_training(source.panel, until_month, uri, tables_at=source,
                        fit=fitter(mode, session.client, session.cfg.training),
                        data_fingerprint=files_fingerprint(data))
