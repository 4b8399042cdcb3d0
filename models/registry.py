"""MLflow tracking and registry: log a trained pair of models, move aliases, load the champion."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from shortage_radar.config import FrozenModel, load_config
from shortage_radar.errors import ModelNotFoundError
from shortage_radar.models.risk import RiskModel


class MlflowConfig(FrozenModel):
    tracking_uri: str
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
    """CLI flag, then MLFLOW_TRACKING_URI, then configs/mlflow.yaml."""
    return override or os.environ.get("MLFLOW_TRACKING_URI") or mlflow_config().tracking_uri


def _artifact_location(uri: str, cfg: MlflowConfig) -> str | None:
    if uri.startswith("sqlite:///"):
        db = Path(uri.removeprefix("sqlite:///")).resolve()
        return (db.parent / cfg.artifact_dir).as_uri()
    return None


def use_tracking(uri: str) -> None:
    """Point MLflow at ``uri`` and make sure the experiment exists (artifacts beside a sqlite file)."""
    import mlflow

    cfg = mlflow_config()
    mlflow.set_tracking_uri(uri)
    if mlflow.get_experiment_by_name(cfg.experiment) is None:
        mlflow.create_experiment(cfg.experiment, artifact_location=_artifact_location(uri, cfg))
    mlflow.set_experiment(cfg.experiment)


def _pyfunc_class():
    import mlflow.pyfunc

    class RiskPyfunc(mlflow.pyfunc.PythonModel):
        """Serves a RiskModel: feature frame in, calibrated probability out."""

        def __init__(self, model: RiskModel) -> None:
            self.model = model

        def predict(self, context, model_input, params=None):  # noqa: ARG002 - MLflow's signature
            return self.model.predict(model_input)

    return RiskPyfunc


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
        raise ModelNotFoundError(f"MLflow: no '{alias}' version of model '{name}' in the registry: run `shortage train` first") \
            from exc
    loaded = mlflow.pyfunc.load_model(f"models:/{name}@{alias}")
    return loaded.unwrap_python_model().model, str(version.version)
