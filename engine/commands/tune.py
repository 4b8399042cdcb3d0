"""``shortage tune``: Optuna over LightGBM parameters and warning thresholds, each trial a nested MLflow run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from shortage_radar.commands.console import fail, out
from shortage_radar.contract.files import PanelError
from shortage_radar.contract.panel import read_panel


def _mlflow_logger(progress):
    """Log every trial as a nested run of the active parent run, and advance the progress bar."""
    import mlflow

    def log(study: str, number: int, params: dict[str, Any], scores: dict[str, float]) -> None:
        with mlflow.start_run(run_name=f"{study}-{number:03d}", nested=True):
            mlflow.set_tag("study", study)
            mlflow.log_params(params)
            mlflow.log_metrics({k: float(v) for k, v in scores.items()})
        progress()

    return log


def _summary(result) -> Table:
    table = Table(title="Tuning (cross-validated, before the holdout)", title_justify="left")
    for col in ("", "PR-AUC", "P@10", "onsets warned", "warned / month"):
        table.add_column(col, justify="right" if col else "left")
    for name, rank, pol in (("current config", result.baseline_cv, result.baseline_policy_cv),
                            ("tuned", result.cv, result.policy_cv)):
        table.add_row(name, f"{rank['pr_auc']:.3f}", f"{rank['precision_at_10']:.3f}", f"{pol['coverage']:.1%}",
                      f"{pol['warned_share']:.1%}")
    return table


def tune(
    data: Annotated[Path, typer.Option("--data", help="Panel folder.")],
    trials: Annotated[int | None, typer.Option("--trials", min=1, help="LightGBM trials (default "
                                                                       "configs/tune.yaml).")] = None,
    tracking_uri: Annotated[str | None, typer.Option("--tracking-uri", help="MLflow tracking URI.")] = None,
    config_dir: Annotated[Path | None, typer.Option("--config-dir", help="Where to write the best values as "
                                                    "overrides (default: the workspace's configs/).")] = None,
    write: Annotated[bool, typer.Option("--write/--no-write", help="Write the best values back.")] = True,
    policy_trials: Annotated[int | None, typer.Option("--policy-trials", min=1, help="Threshold trials "
                                                      "(default configs/tune.yaml).")] = None,
    holdout: Annotated[int | None, typer.Option("--holdout", min=0, help="Latest months kept out of tuning "
                                                "(default configs/tune.yaml).")] = None,
) -> None:
    """Tune LightGBM and the warning thresholds by time-series cross-validation; write the best to configs."""
    import mlflow
    import optuna
    from rich.progress import Progress

    from shortage_radar.models.config_writer import write_lightgbm, write_policy
    from shortage_radar.models.cv import cv_data
    from shortage_radar.models.policy import warning_policy
    from shortage_radar.models.registry import tracking_uri as resolve
    from shortage_radar.models.registry import use_tracking
    from shortage_radar.models.settings import model_config
    from shortage_radar.models.tune_settings import tune_config
    from shortage_radar.models.tuning import tune as run_tune

    try:
        panel = read_panel(data)
    except PanelError as exc:
        fail(str(exc))
    cfg = model_config()
    tcfg = tune_config().model_copy(update={k: v for k, v in (("policy_trials", policy_trials),
                                                               ("holdout_months", holdout)) if v is not None})
    n = trials or tcfg.trials
    with out.status("building cross-validation folds"):
        folds = cv_data(panel, cfg, tcfg.holdout_months, tcfg.folds, tcfg.fold_months)
    if not folds.folds:
        fail(f"{data}: too few months for {tcfg.folds} folds of {tcfg.fold_months} months before a "
             f"{tcfg.holdout_months}-month holdout (lower them in configs/tune.yaml)")
    out.print("folds: " + ", ".join(f"{f.months[0]}..{f.months[-1]}" for f in folds.folds)
              + f" (holdout: the last {tcfg.holdout_months} months)")
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    use_tracking(resolve(tracking_uri))
    with mlflow.start_run(run_name="tune") as parent, Progress(transient=True) as bar:
        task = bar.add_task("trials", total=n + tcfg.policy_trials)
        mlflow.log_params({"trials": n, "policy_trials": tcfg.policy_trials, "folds": tcfg.folds,
                           "fold_months": tcfg.fold_months, "holdout_months": tcfg.holdout_months})
        result = run_tune(folds, cfg, warning_policy(), tcfg, n, _mlflow_logger(lambda: bar.advance(task)))
        mlflow.log_metrics({"best_pr_auc": result.cv["pr_auc"], "best_coverage": result.policy_cv["coverage"]})
        mlflow.log_dict({"lightgbm": result.lightgbm, "policy": result.policy.model_dump(),
                         "cv": result.cv, "policy_cv": result.policy_cv}, "best.json")
    out.print(_summary(result))
    out.print("best LightGBM: " + json.dumps({k: result.lightgbm[k] for k in tcfg.search}))
    out.print("best levels: " + "; ".join(f"level {r.level}: risk >= {r.min_risk}, impact >= {r.min_impact}"
                                          for r in result.policy.levels))
    out.print(f"MLflow parent run {parent.info.run_id} with {n + tcfg.policy_trials} nested trial runs")
    if write:
        from shortage_radar.workspace import workspace

        target = config_dir or workspace().ensure().configs
        paths = [write_lightgbm(target, {k: result.lightgbm[k] for k in tcfg.search}),
                 write_policy(target, result.policy)]
        out.print("written as overrides of the packaged configs: " + ", ".join(f"[bold]{p}[/]" for p in paths))
