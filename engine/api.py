"""The public Python API: read, train, score, backtest, forecast, the MLflow registry and the score store.

Everything the ``shortage`` command and the service do goes through these functions, so a notebook,
a scheduler or another service gets the same results without shelling out::

    import shortage_radar as sr

    panel = sr.read_panel("shortage-demo/panel")
    models = sr.train(panel)                       # no MLflow unless asked (sr.log_models)
    watchlist = sr.score(panel, models, "2025-12")  # the contract watchlist, validated

Functions print nothing; long steps report through an optional ``progress(step, done, total)``
callback. Every ``data`` argument is a :class:`Panel` (this process) or a backend such as the
Dask engine's (``shortage_radar.distributed.backend.DaskBackend``), chosen once by the caller.
Errors derive from :class:`shortage_radar.errors.ShortageRadarError` and say which component failed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from shortage_radar.contract.panel import Panel, read_panel
from shortage_radar.errors import ArgumentError, ShortageRadarError
from shortage_radar.models.backend import Backend, Progress, as_backend, no_progress
from shortage_radar.models.backtest import BacktestResult, run_backtest
from shortage_radar.models.policy import WarningPolicy, warning_policy
from shortage_radar.models.registry import Registered, load_champions, log_training, mlflow_config, tracking_uri
from shortage_radar.models.settings import ModelConfig, model_config
from shortage_radar.models.train import TrainedModels, train_models
from shortage_radar.models.watchlist import validate_watchlist
from shortage_radar.store import RunRecord, Store, open_store
from shortage_radar.store.fingerprint import config_hash, data_fingerprint

Month = pd.Period | str


@dataclass(frozen=True)
class EngineConfig:
    """The configuration a training or backtest runs with: the model settings and the warning policy."""

    model: ModelConfig
    policy: WarningPolicy

    @classmethod
    def load(cls, config_dir: Path | None = None) -> EngineConfig:
        """The packaged configs/*.yaml (or those of ``config_dir``)."""
        if config_dir is None:
            return cls(model_config(), warning_policy())
        return cls(model_config(Path(config_dir)), warning_policy(Path(config_dir)))


def month_of(value: Month, name: str = "month") -> pd.Period:
    """A ``YYYY-MM`` string or a Period as a monthly Period; ArgumentError otherwise."""
    try:
        return value if isinstance(value, pd.Period) else pd.Period(str(value).strip(), freq="M")
    except (ValueError, TypeError):
        raise ArgumentError(f"{name} {value!r}: expected a month as YYYY-MM") from None


def train(data: Panel | Backend, until: Month | None = None, config: EngineConfig | None = None, *,
          progress: Progress = no_progress) -> TrainedModels:
    """Fit the variety and enterprise models on data known by the end of ``until`` (default: the last month).

    The result holds the models, the warning policy in force and the backtest of the months before
    ``until`` (``.metrics``). Nothing is logged; :func:`log_models` logs and registers them in MLflow.
    """
    backend = as_backend(data)
    config = config or EngineConfig.load()
    last = month_of(until, "until") if until is not None else backend.last_month()
    return train_models(backend, last, config.model, config.policy, mlflow_config().backtest_months, progress)


def score(data: Panel | Backend, models: TrainedModels, month: Month, *,
          progress: Progress = no_progress) -> pd.DataFrame:
    """The contract watchlist of ``month`` (as known at its end), ranked and validated against its schema."""
    as_of = month_of(month)
    watchlist = as_backend(data).score(as_of, models.variety, models.enterprise, models.policy, models.cfg, progress)
    return validate_watchlist(watchlist)


def backtest(data: Panel | Backend, start: Month, end: Month, config: EngineConfig | None = None, *,
             retrain_every: int | None = None, drivers: bool = True,
             progress: Progress = no_progress) -> BacktestResult:
    """Rolling origin: every month from ``start`` to ``end`` scored by models trained on what was known then."""
    first, last = month_of(start, "start"), month_of(end, "end")
    if last < first:
        raise ArgumentError(f"end {last} is before start {first}")
    config = config or EngineConfig.load()
    result = run_backtest(data, first, last, config.model, config.policy, retrain_every, drivers, progress)
    return BacktestResult(validate_watchlist(result.watchlist), result.metrics)


def forecast(data: Panel | Backend, month: Month, h: int = 6) -> pd.DataFrame:
    """Sales, production, inventory and months-of-supply forecasts for ``month + 1 .. month + h``."""
    if h < 1:
        raise ArgumentError(f"h {h}: forecasts need at least one month ahead")
    return as_backend(data).forecast(month_of(month), h)


def log_models(models: TrainedModels, data: Panel | Backend, uri: str | None = None) -> dict[str, Registered]:
    """Log a training run to MLflow and register both models (``champion`` moves only when not worse)."""
    return log_training(models, tracking_uri(uri), data_fingerprint(as_backend(data)))


def champions(uri: str | None = None) -> TrainedModels:
    """The registry's champion models (``models:/<name>@champion``); ModelNotFoundError when there are none."""
    return load_champions(tracking_uri(uri))


def monthly_run(data: Panel | Backend, month: Month, models: TrainedModels, store: Store | str | None = None, *,
                progress: Progress = no_progress) -> tuple[pd.DataFrame, int]:
    """Score ``month`` into the score store: the run becomes current only once all of it is written.

    A failure is recorded on the run (status failed) and re-raised; the previous run stays current.
    """
    backend, as_of = as_backend(data), month_of(month)
    store = store if isinstance(store, Store) else open_store(store)
    run_id = store.begin_run(as_of, data_path=str(backend.source.resolve()), fingerprint=data_fingerprint(backend),
                             model_versions=dict(models.versions), config_hash=config_hash())
    try:
        watchlist = score(backend, models, as_of, progress=progress)
        quarantine = backend.panel.quarantine
        step = f"writing run {run_id} to the store"
        total = len(watchlist) + len(quarantine)
        written = [0]

        def advance(rows: int) -> None:
            written[0] += rows
            progress(step, written[0], total)

        store.finish_run(run_id, watchlist, quarantine, progress=advance)
    except BaseException as exc:  # a failed run is recorded and leaves the previous one current
        store.record_failure(run_id, exc)
        raise
    return watchlist, run_id


def runs(store: Store | str | None = None, limit: int | None = None) -> list[RunRecord]:
    """The score store's run records, newest first."""
    return (store if isinstance(store, Store) else open_store(store)).runs(limit)


__all__ = ["BacktestResult", "EngineConfig", "Registered", "RunRecord", "ShortageRadarError", "Store",
           "TrainedModels", "backtest", "champions", "data_fingerprint", "forecast", "log_models", "monthly_run",
           "open_store", "read_panel", "runs", "score", "train"]
