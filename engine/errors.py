"""The engine's exceptions: one root, one subclass per component at fault.

Every error the engine raises on purpose derives from :class:`ShortageRadarError` and carries one
line that names the component (panel, configuration, score store, MLflow, cluster, output file)
and says how to fix the problem. The CLI turns any of them into that line and an exit code; the
service into a 4xx/503 answer. Each class keeps the built-in base it had before (``ValueError``,
``LookupError``, ...) so existing ``except`` clauses still catch it.
"""

from __future__ import annotations


class ShortageRadarError(Exception):
    """Root of every error the engine raises on purpose; ``exit_code`` is what the CLI exits with."""

    exit_code: int = 1
    component: str = "shortage-radar"


class PanelError(ShortageRadarError):
    """The panel cannot be used at all: one clear line naming the file, column and what was expected."""

    component = "panel"


class ConfigError(ShortageRadarError, ValueError):
    """A configuration file is missing, is not YAML, or does not match its model."""

    component = "configuration"


class StoreError(ShortageRadarError, ValueError):
    """The score store cannot be reached or migrated: one line naming the (password-masked) URL."""

    component = "score store"


class TrackingError(ShortageRadarError):
    """The MLflow tracking store or model registry cannot be used (unreachable, corrupt, not migrated)."""

    component = "MLflow"


class ModelNotFoundError(TrackingError, LookupError):
    """No champion model in the MLflow registry: train first."""


class ClusterError(ShortageRadarError, RuntimeError):
    """The Dask cluster cannot be reached or started: one line saying where and why."""

    component = "Dask cluster"


class SourceError(ShortageRadarError, ValueError):
    """A source folder or file of an importer cannot be used."""

    component = "import source"


class WatchlistError(ShortageRadarError, ValueError):
    """A watchlist breaks the contract's output schema: nothing is written."""

    component = "watchlist"


class ArgumentError(ShortageRadarError, ValueError):
    """A library call got an argument it cannot use (a month out of range, an unknown option)."""

    component = "arguments"
    exit_code = 2


__all__ = ["ArgumentError", "ClusterError", "ConfigError", "ModelNotFoundError", "PanelError", "ShortageRadarError",
           "SourceError", "StoreError", "TrackingError", "WatchlistError"]
