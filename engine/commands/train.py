"""``shortage train``: fit on data known by --until, log to MLflow, register, move the champion alias."""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from shortage_radar.commands.console import fail, out
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


def run_training(panel: Panel, until_month, uri: str) -> dict:
    """Train, log everything to MLflow and register both models; return what was registered."""
    import mlflow

    from shortage_radar.models.policy import warning_policy
    from shortage_radar.models.registry import log_and_register, mlflow_config, use_tracking
    from shortage_radar.models.settings import model_config
    from shortage_radar.models.train import importance, train_models

    cfg, mcfg = model_config(), mlflow_config()
    use_tracking(uri)
    with out.status("training on data known by " + str(until_month)):
        trained = train_models(panel, until_month, cfg, warning_policy(), mcfg.backtest_months)
    metrics = trained.backtest.metrics if trained.backtest else {"variety": {}, "baselines": {}}
    registered = {}
    with mlflow.start_run(run_name=f"train-{until_month}"), tempfile.TemporaryDirectory() as tmp:
        mlflow.log_params({"until": str(until_month), "horizon": cfg.horizon, "seed": cfg.seed,
                           "data_fingerprint": fingerprint(panel), **{f"lgbm_{k}": v for k, v in cfg.lightgbm.items()}})
        mlflow.log_metrics(_flat("variety_", metrics.get("variety", {})))
        for name, base in metrics.get("baselines", {}).items():
            mlflow.log_metrics(_flat(f"baseline_{name}_", base))
        mlflow.log_metrics(_flat("enterprise_", metrics.get("enterprise", {})))
        Path(tmp, "backtest_metrics.json").write_text(json.dumps(metrics, indent=2, default=str))
        importance(trained.variety).to_csv(Path(tmp, "feature_importance.csv"), index=False)
        if metrics.get("variety", {}).get("reliability"):
            _calibration_plot(metrics["variety"]["reliability"], Path(tmp, "calibration.png"))
        mlflow.log_artifacts(tmp)
        last = trained.tables.variety[trained.tables.variety["month"] == until_month]
        registered["variety"] = log_and_register(mcfg.variety_model, trained.variety, last.head(50),
                                                 metrics.get("variety", {}).get("pr_auc"))
        if trained.enterprise is not None:
            pairs = trained.tables.pair[trained.tables.pair["month"] == until_month]
            registered["enterprise"] = log_and_register(mcfg.enterprise_model, trained.enterprise, pairs.head(50),
                                                        metrics.get("enterprise", {}).get("pr_auc"))
    return registered


def train(
    data: Annotated[Path, typer.Option("--data", help="Panel folder.")],
    until: Annotated[str | None, typer.Option("--until", help="Train on data known by the end of YYYY-MM "
                                                               "(default: the panel's last month).")] = None,
    tracking_uri: Annotated[str | None, typer.Option("--tracking-uri", help="MLflow tracking URI.")] = None,
) -> None:
    """Fit the variety and enterprise models, log the run to MLflow and register them."""
    from shortage_radar.features.grid import panel_months
    from shortage_radar.models.registry import tracking_uri as resolve

    try:
        panel = read_panel(data)
    except PanelError as exc:
        fail(str(exc))
    until_month = parse_month(until, "--until") if until else panel_months(panel)[-1]
    for kind, reg in run_training(panel, until_month, resolve(tracking_uri)).items():
        best = "none yet" if reg.champion_pr_auc is None else f"{reg.champion_pr_auc:.3f}"
        got = "n/a" if reg.pr_auc is None else f"{reg.pr_auc:.3f}"
        out.print(f"{kind}: registered [bold]{reg.name}[/] v{reg.version} as [bold]{reg.alias}[/] "
                  f"(backtest PR-AUC {got}; previous champion {best})")
