"""shortage-radar: drug shortage-risk forecasting and early-warning engine.

The public API (docs/api.md)::

    import shortage_radar as sr

    panel = sr.read_panel("shortage-demo/panel")   # validated tables + quarantine
    models = sr.train(panel)                         # variety and enterprise models, policy, backtest
    watchlist = sr.score(panel, models, "2025-12")   # the contract watchlist
    result = sr.backtest(panel, "2023-01", "2025-12")
    forecasts = sr.forecast(panel, "2025-12", h=6)

Data flows one way: contract tables -> validated frames (``shortage_radar.contract``) -> features
(``shortage_radar.features``) -> forecasts and risk models (``shortage_radar.models``) -> scores ->
warnings -> store / report (``shortage_radar.store``, ``shortage_radar.report``) -> this API ->
service and CLI (``shortage_radar.serve``, ``shortage_radar.commands``). Names are imported on first
use, so ``import shortage_radar`` stays light.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_WHERE = {
    "read_panel": "shortage_radar.contract.panel", "Panel": "shortage_radar.contract.panel",
    "train": "shortage_radar.api", "score": "shortage_radar.api", "backtest": "shortage_radar.api",
    "forecast": "shortage_radar.api", "log_models": "shortage_radar.api", "champions": "shortage_radar.api",
    "monthly_run": "shortage_radar.api", "runs": "shortage_radar.api", "open_store": "shortage_radar.api",
    "data_fingerprint": "shortage_radar.api", "EngineConfig": "shortage_radar.api",
    "TrainedModels": "shortage_radar.models.train", "BacktestResult": "shortage_radar.models.backtest",
    "Backend": "shortage_radar.models.backend", "LocalBackend": "shortage_radar.models.backend",
    "Level": "shortage_radar.models.watchlist", "validate_watchlist": "shortage_radar.models.watchlist",
    "Store": "shortage_radar.store", "RunRecord": "shortage_radar.store",
    "ShortageRadarError": "shortage_radar.errors", "PanelError": "shortage_radar.errors",
    "ConfigError": "shortage_radar.errors", "StoreError": "shortage_radar.errors",
    "TrackingError": "shortage_radar.errors", "ModelNotFoundError": "shortage_radar.errors",
}

__all__ = ["__version__", *sorted(_WHERE)]


def __getattr__(name: str) -> Any:
    """Import a public name from the module that defines it on first use."""
    if name not in _WHERE:
        raise AttributeError(f"module 'shortage_radar' has no attribute {name!r}")
    value = getattr(import_module(_WHERE[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # for type checkers and IDEs: the same names, imported eagerly
    from shortage_radar.api import (  # noqa: F401
        EngineConfig, backtest, champions, data_fingerprint, forecast, log_models, monthly_run, open_store, runs,
        score, train,
    )
    from shortage_radar.contract.panel import Panel, read_panel  # noqa: F401
    from shortage_radar.errors import (  # noqa: F401
        ConfigError, ModelNotFoundError, PanelError, ShortageRadarError, StoreError, TrackingError,
    )
    from shortage_radar.models.backend import Backend, LocalBackend  # noqa: F401
    from shortage_radar.models.backtest import BacktestResult  # noqa: F401
    from shortage_radar.models.train import TrainedModels  # noqa: F401
    from shortage_radar.models.watchlist import Level, validate_watchlist  # noqa: F401
    from shortage_radar.store import RunRecord, Store  # noqa: F401
