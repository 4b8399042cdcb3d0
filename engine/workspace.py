"""The workspace: one folder every command agrees on, holding the score store, MLflow and config overrides.

Resolved from ``--workspace`` (the CLI sets :data:`WORKSPACE_ENV`), else the ``SHORTAGE_WORKSPACE``
environment variable, else ``./shortage-workspace``. Inside it:

- ``store.db``: the score store (SQLite), unless ``--store`` / ``SHORTAGE_STORE_URL`` name another;
- ``mlflow.db`` and ``mlartifacts/``: the MLflow tracking store and its artifacts, unless
  ``--tracking-uri`` / ``MLFLOW_TRACKING_URI`` name another;
- ``configs/<name>.yaml``: overrides of the packaged ``configs/<name>.yaml`` (only the keys given),
  which is where ``shortage tune`` writes its chosen values;
- ``.shortage-cache/ui/``: the service's analyst report pages, one per run (``report_cache_dir``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from shortage_radar.errors import ShortageRadarError

WORKSPACE_ENV = "SHORTAGE_WORKSPACE"
DEFAULT_FOLDER = "shortage-workspace"
STORE_FILE = "store.db"
TRACKING_FILE = "mlflow.db"
CONFIGS_FOLDER = "configs"


class WorkspaceError(ShortageRadarError, ValueError):
    """A store or tracking database that a read-only command would have to create: one line naming it."""

    component = "workspace"


@dataclass(frozen=True)
class Workspace:
    """Where the score store, the MLflow tracking store and the config overrides of this deployment live."""

    root: Path

    @property
    def store_path(self) -> Path:
        return self.root / STORE_FILE

    @property
    def store_url(self) -> str:
        """SQLAlchemy URL of the workspace's score store."""
        return f"sqlite:///{self.store_path}"

    @property
    def tracking_path(self) -> Path:
        return self.root / TRACKING_FILE

    @property
    def tracking_uri(self) -> str:
        """MLflow tracking URI of the workspace (artifacts go beside it, see models.registry)."""
        return f"sqlite:///{self.tracking_path}"

    @property
    def configs(self) -> Path:
        """The folder of config overrides (``<name>.yaml`` files holding only the keys they change)."""
        return self.root / CONFIGS_FOLDER

    def override(self, name: str) -> Path | None:
        """The workspace's ``configs/<name>.yaml`` when there is one."""
        path = self.configs / f"{name}.yaml"
        return path if path.is_file() else None

    def ensure(self) -> Workspace:
        """Create the folder (commands that write call this; read-only ones never do)."""
        self.root.mkdir(parents=True, exist_ok=True)
        return self


def workspace(override: Path | str | None = None) -> Workspace:
    """``override``, then SHORTAGE_WORKSPACE, then ``./shortage-workspace``, as an absolute path."""
    chosen = override or os.environ.get(WORKSPACE_ENV) or DEFAULT_FOLDER
    return Workspace(Path(chosen).expanduser().resolve())


def use_workspace(folder: Path | str) -> Workspace:
    """Make ``folder`` the workspace of this process (and of processes it starts, e.g. service workers)."""
    found = workspace(folder)
    os.environ[WORKSPACE_ENV] = str(found.root)
    return found


def sqlite_file(url: str) -> Path | None:
    """The database file of a ``sqlite:///`` URL (None for other URLs and in-memory databases)."""
    for prefix in ("sqlite:///", "sqlite+pysqlite:///"):
        if url.startswith(prefix):
            path = url.removeprefix(prefix).split("?", 1)[0]
            return Path(path) if path and path != ":memory:" else None
    return None


def require_existing(url: str, what: str, display: str | None = None, first: str = "shortage score") -> None:
    """Refuse a SQLite database that does not exist yet: a read-only command must not create one."""
    path = sqlite_file(url)
    if path is not None and not path.is_file():
        raise WorkspaceError(f"{what} {display or url}: no database at {path} (a typo, or nothing has run in this "
                             f"workspace yet: check --workspace, or run `{first}` or `shortage demo` first)")
