"""The champion models the service scores with: loaded from MLflow, reloaded on demand, last good kept."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shortage_radar.models.risk import RiskModel
    from shortage_radar.models.train import TrainedModels

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Champions:
    """A loaded pair of models (with policy and versions) and the backtest metrics of their training runs."""

    models: TrainedModels
    metrics: dict[str, dict[str, float]] = field(default_factory=dict)
    loaded_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def variety(self) -> RiskModel:
        return self.models.variety

    @property
    def enterprise(self) -> RiskModel | None:
        return self.models.enterprise

    @property
    def versions(self) -> dict[str, str]:
        return dict(self.models.versions)


def _backtest_metrics(name: str, version: str) -> dict[str, float]:
    """Metrics of the training run that logged this version, for its own entity (prefix stripped)."""
    from mlflow import MlflowClient

    client = MlflowClient()
    run_id = client.get_model_version(name, version).run_id
    if not run_id:
        return {}
    prefix = "enterprise_" if name.endswith("enterprise") else "variety_"
    metrics = client.get_run(run_id).data.metrics
    return {k.removeprefix(prefix): float(v) for k, v in sorted(metrics.items()) if k.startswith(prefix)}


def load(uri: str) -> Champions:
    """Load the registry's champions; a ShortageRadarError (or MLflow's error) when that is not possible."""
    from shortage_radar.api import champions

    models = champions(uri)
    return Champions(models, {n: _backtest_metrics(n, v) for n, v in models.versions.items()})


class ChampionHolder:
    """Holds the models being served; a failed reload keeps the previous ones and records why."""

    def __init__(self, uri: str) -> None:
        self.uri = uri
        self.current: Champions | None = None
        self.last_error: str | None = None
        self._lock = threading.Lock()

    def reload(self) -> bool:
        """Try to load the current champions; True when they replaced what was served."""
        with self._lock:
            try:
                loaded = load(self.uri)
            except Exception as exc:  # noqa: BLE001 - any loading failure must leave the service serving
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
                self.last_error = f"{type(exc).__name__}: {first}"
                log.warning("champion reload failed, keeping the last good model: %s", self.last_error)
                return False
            self.current, self.last_error = loaded, None
            return True

    @property
    def versions(self) -> dict[str, str]:
        return dict(self.current.versions) if self.current is not None else {}
