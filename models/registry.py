"""MLflow tracking and registry: log a trained pair of models, move aliases, load the champion."""

from __future__ import annotations

import contextlib
import io
import logging
import os
from collections.abc import Iterator
import json
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from shortage_radar.config import FrozenModel, load_config
from shortage_radar.errors import ModelNotFoundError, TrackingError
from shortage_radar.models.risk import RiskModel

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from shortage_radar.models.train import TrainedModels


class MlflowConfig(FrozenModel):
    tracking_uri: str | None  # None: the workspace's mlflow.db
    experiment: str
    artifact_dir: str
    variety_model: str
    enterprise_model: str
    champion_alias: str
    challenger_alias: str
    backtest_months: int


@lru_cache(maxsize=1)
def mlflow_config() -> MlflowConfig:
    return load_config("mlflow", MlflowConfig)


def tracking_uri(override: str | None = None) -> str:
    """CLI flag, then MLFLOW_TRACKING_URI, then configs/mlflow.yaml, then the workspace's mlflow.db."""
    from shortage_radar.workspace import workspace

    return override or os.environ.get("MLFLOW_TRACKING_URI") or mlflow_config().tracking_uri or workspace().tracking_uri


def _artifact_location(uri: str, cfg: MlflowConfig) -> str | None:
    if uri.startswith("sqlite:///"):
        db = Path(uri.removeprefix("sqlite:///")).resolve()
        return (db.parent / cfg.artifact_dir).as_uri()
    return None


def _display(uri: str) -> str:
    """The tracking URI with any password masked."""
    if "://" in uri and "@" in uri:
        scheme, rest = uri.split("://", 1)
        credentials, host = rest.rsplit("@", 1)
        return f"{scheme}://{credentials.split(':', 1)[0]}:***@{host}"
    return uri


def tracking_failure(uri: str, exc: BaseException) -> TrackingError:
    """One line naming the MLflow tracking store and the first line of what went wrong."""
    text = str(exc).strip()
    first = text.splitlines()[0] if text else type(exc).__name__
    return TrackingError(f"MLflow tracking store {_display(uri)}: {first[:300]}")


def _set_tracking_uri(uri: str) -> None:
    """``mlflow.set_tracking_uri`` without its side effect on the environment.

    MLflow also exports the URI as MLFLOW_TRACKING_URI (for its subprocesses); left there, it would outrank
    the workspace for every later call in this process and for every command it starts.
    """
    import mlflow

    before = os.environ.get("MLFLOW_TRACKING_URI")
    mlflow.set_tracking_uri(uri)
    if before is None:
        os.environ.pop("MLFLOW_TRACKING_URI", None)
    else:
        os.environ["MLFLOW_TRACKING_URI"] = before


def use_tracking(uri: str, create: bool = True) -> None:
    """Point MLflow at ``uri`` and make sure the experiment exists (artifacts beside a sqlite file).

    With ``create=False`` (reading models) a SQLite tracking database that does not exist is refused
    instead of created. Any failure is a TrackingError naming the MLflow store, never the score store.
    """
    import mlflow

    from shortage_radar.workspace import require_existing, workspace

    cfg = mlflow_config()
    if create and uri == workspace().tracking_uri:
        workspace().ensure()  # the workspace folder is made on first write; an explicit URI's folder never is
    elif not create:
        try:
            require_existing(uri, "MLflow tracking store", first="shortage train")
        except ValueError as exc:
            raise TrackingError(str(exc)) from None
    try:
        _set_tracking_uri(uri)
        if mlflow.get_experiment_by_name(cfg.experiment) is None:
            mlflow.create_experiment(cfg.experiment, artifact_location=_artifact_location(uri, cfg))
        mlflow.set_experiment(cfg.experiment)
    except Exception as exc:  # noqa: BLE001 - MLflow and SQLAlchemy raise many types; all mean the same here
        raise tracking_failure(uri, exc) from None


def _pyfunc_class():
    import mlflow.pyfunc

    class RiskPyfunc(mlflow.pyfunc.PythonModel):
        """Serves a RiskModel: feature frame in, calibrated probability out."""

        def __init__(self, model: RiskModel) -> None:
            self.model = model

        def predict(self, context, model_input, params=None):  # noqa: ARG002 - MLflow's signature
            return self.model.predict(model_input)

    return RiskPyfunc


@contextlib.contextmanager
def _chatter_to_log() -> Iterator[None]:
    """MLflow prints registration notes to stderr; send them to this module's log (shown with --verbose)."""
    caught = io.StringIO()
    try:
        with contextlib.redirect_stderr(caught):
            yield
    finally:
        for line in caught.getvalue().splitlines():
            if line.strip():
                log.info("mlflow: %s", line.strip())


@dataclass(frozen=True)
class Registered:
    name: str
    version: str
    alias: str
    pr_auc: float | None
    champion_pr_auc: float | None


def _champion_pr_auc(client, name: str, alias: str) -> float | None:
    try:
        version = client.get_model_version_by_alias(name, alias)
    except Exception:  # noqa: BLE001 - MLflow raises its own error when no alias exists yet
        return None
    value = version.tags.get("backtest_pr_auc")
    return float(value) if value not in (None, "", "None") else None


def log_and_register(name: str, model: RiskModel, sample, pr_auc: float | None) -> Registered:
    """Log the model in the active run, register a version, and move champion only if not worse."""
    import mlflow
    from mlflow import MlflowClient
    from mlflow.models import infer_signature

    cfg = mlflow_config()
    x = sample.reindex(columns=model.features).astype(float)
    with _chatter_to_log():
        info = mlflow.pyfunc.log_model(name=name, python_model=_pyfunc_class()(model),
                                       signature=infer_signature(x, model.predict(x)), registered_model_name=name)
    version = str(info.registered_model_version)
    client = MlflowClient()
    client.set_model_version_tag(name, version, "backtest_pr_auc", str(pr_auc))
    best = _champion_pr_auc(client, name, cfg.champion_alias)
    promote = best is None or (pr_auc is not None and pr_auc >= best)
    alias = cfg.champion_alias if promote else cfg.challenger_alias
    client.set_registered_model_alias(name, alias, version)
    return Registered(name, version, alias, pr_auc, best)


def load_champion(name: str) -> tuple[RiskModel, str]:
    """The champion RiskModel of ``name`` and its version; LookupError when there is none."""
    import mlflow.pyfunc
    from mlflow import MlflowClient

    alias = mlflow_config().champion_alias
    try:
        version = MlflowClient().get_model_version_by_alias(name, alias)
    except Exception as exc:  # noqa: BLE001
        raise ModelNotFoundError(f"MLflow: no '{alias}' version of model '{name}' in the registry "
                                 f"{mlflow.get_tracking_uri()}: run `shortage train` first") from exc
    try:
        loaded = mlflow.pyfunc.load_model(f"models:/{name}@{alias}")
    except Exception as exc:  # noqa: BLE001 - missing or unreadable artifacts
        raise tracking_failure(mlflow.get_tracking_uri(), exc) from None
    return loaded.unwrap_python_model().model, str(version.version)


def _flat(prefix: str, metrics: dict) -> dict[str, float]:
    """The numeric entries of a metrics section, as MLflow metric names with ``prefix``."""
    return {f"{prefix}{k}": float(v) for k, v in metrics.items() if isinstance(v, int | float) and v is not None}


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


def _log_run_contents(trained: TrainedModels, data_fingerprint: str, folder: Path) -> None:
    """Parameters, backtest metrics (model and baselines), importance and calibration plot of one training."""
    import mlflow

    from shortage_radar.models.guard import guard_summary, mlflow_record
    from shortage_radar.models.train import importance

    cfg, metrics = trained.cfg, trained.metrics
    mlflow.log_params({"until": str(trained.until), "horizon": cfg.horizon, "seed": cfg.seed,
                       "data_fingerprint": data_fingerprint, **{f"lgbm_{k}": v for k, v in cfg.lightgbm.items()}})
    mlflow.log_metrics(_flat("variety_", metrics.get("variety", {})))
    for name, base in metrics.get("baselines", {}).items():
        mlflow.log_metrics(_flat(f"baseline_{name}_", base))
    mlflow.log_metrics(_flat("enterprise_", metrics.get("enterprise", {})))
    guarded = {"variety": trained.variety, "enterprise": trained.enterprise}
    for kind, model in guarded.items():
        if model is not None:
            params, inner = mlflow_record(model, f"{kind}_")
            mlflow.log_params(params)
            mlflow.log_metrics(inner)
    (folder / "guard.json").write_text(json.dumps({k: guard_summary(m) for k, m in guarded.items() if m},
                                                  indent=2, default=str))
    (folder / "backtest_metrics.json").write_text(json.dumps(metrics, indent=2, default=str))
    importance(trained.variety).to_csv(folder / "feature_importance.csv", index=False)
    if metrics.get("variety", {}).get("reliability"):
        _calibration_plot(metrics["variety"]["reliability"], folder / "calibration.png")
    mlflow.log_artifacts(str(folder))


def log_training(trained: TrainedModels, tracking_uri: str, data_fingerprint: str) -> dict[str, Registered]:
    """Log a training run to MLflow, register both models and move ``champion`` where not worse."""
    import mlflow

    cfg = mlflow_config()
    use_tracking(tracking_uri)
    registered: dict[str, Registered] = {}
    metrics = trained.metrics
    with mlflow.start_run(run_name=f"train-{trained.until}"), tempfile.TemporaryDirectory() as tmp:
        _log_run_contents(trained, data_fingerprint, Path(tmp))
        registered["variety"] = log_and_register(cfg.variety_model, trained.variety, trained.sample_rows("variety", 50),
                                                 metrics.get("variety", {}).get("pr_auc"))
        if trained.enterprise is not None:
            registered["enterprise"] = log_and_register(cfg.enterprise_model, trained.enterprise,
                                                        trained.sample_rows("enterprise", 50),
                                                        metrics.get("enterprise", {}).get("pr_auc"))
    return registered


def load_champions(tracking_uri: str) -> TrainedModels:
    """The registry's champion models (no enterprise model is fine) with their versions.

    ModelNotFoundError when there is no variety champion or the tracking store cannot be read.
    """
    from shortage_radar.models.policy import warning_policy
    from shortage_radar.models.settings import model_config
    from shortage_radar.models.train import TrainedModels

    use_tracking(tracking_uri, create=False)  # reading models never creates a tracking database
    cfg = mlflow_config()
    variety, v_version = load_champion(cfg.variety_model)
    versions = {cfg.variety_model: v_version}
    try:
        enterprise, e_version = load_champion(cfg.enterprise_model)
        versions[cfg.enterprise_model] = e_version
    except ModelNotFoundError:
        enterprise = None
    return TrainedModels(variety, enterprise, warning_policy(), model_config(), versions=versions)
