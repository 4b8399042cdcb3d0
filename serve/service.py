"""The service's state: store, key cache, watchlist index, panel of the latest run and champion models."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from shortage_radar.contract.files import PanelError
from shortage_radar.contract.panel import Panel, read_panel
from shortage_radar.serve.auth import KeyCache
from shortage_radar.serve.champions import ChampionHolder
from shortage_radar.serve.index import Provinces, WatchlistIndex
from shortage_radar.serve.reports import ReportCache
from shortage_radar.serve.settings import ServeConfig
from shortage_radar.store import Store
from shortage_radar.workspace import workspace

log = logging.getLogger(__name__)


class Service:
    """Everything a request reads; refreshed by a background thread, swapped by reference (no request waits)."""

    def __init__(self, store: Store, tracking_uri: str, cfg: ServeConfig) -> None:
        self.store = store
        self.cfg = cfg
        self.keys = KeyCache(store.engine, cfg.key_cache_seconds)
        self.index = WatchlistIndex(store, cfg.index_months, cfg.history_max_months)
        self.models = ChampionHolder(tracking_uri)
        self.reports = ReportCache(store, workspace().root / cfg.report_cache_dir)  # relative: in the workspace
        self.panel: Panel | None = None
        self.panel_error: str | None = None
        self.audits: dict[str, object] = {}  # month -> findings of the panel (GET /v1/audit), per panel
        self.provinces = Provinces()
        self._panel_path: str | None = None
        self.score_gate = threading.BoundedSemaphore(cfg.score_concurrency)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def load(self) -> None:
        """Startup: the watchlist index, the latest run's panel and the champions (each may be missing)."""
        self.index.refresh()
        self._load_panel()
        self.models.reload()

    def _load_panel(self) -> None:
        latest = self.index.latest
        path = latest.run.data_path if latest is not None else None
        if path is None or path == self._panel_path:
            return
        self.audits = {}
        try:
            self.panel, self.panel_error = read_panel(Path(path)), None
            self.provinces = Provinces.from_panel(self.panel)
        except (PanelError, OSError) as exc:
            self.panel, self.panel_error = None, str(exc)
            log.warning("panel of run %s not readable: %s", latest.run.run_id, exc)
        self._panel_path = path

    def refresh(self) -> bool:
        """Pick up a new current run (and its panel) when one was written since the last look."""
        if self.index.refresh():
            self._load_panel()
            return True
        return False

    def run_models(self, run):
        """The served models, if they are the ones that scored ``run`` (else None: its policy is not known here)."""
        served = self.models.current
        if served is None or not served.models.scored(run.model_versions):
            return None
        return served.models

    def warm_report(self) -> None:
        """Build the latest run's /ui report before anyone asks (its single points of failure take about a
        minute on a national panel); a failure is a log line, and the request builds it or says why."""
        latest = self.index.latest
        if latest is None or not self.cfg.warm_report:
            return
        try:
            self.reports.path_for(latest.run, self.panel, latest.run.run_id, self.run_models(latest.run))
        except Exception as exc:  # noqa: BLE001 - an optional head start; /ui reports its own errors
            log.warning("report of run %s not prepared ahead: %s: %s", latest.run.run_id, type(exc).__name__, exc)

    def _loop(self) -> None:
        self.warm_report()
        while not self._stop.wait(self.cfg.refresh_seconds):
            try:
                if self.refresh():
                    self.warm_report()
            except Exception as exc:  # noqa: BLE001 - a store hiccup must not kill the refresher
                log.warning("watchlist refresh failed: %s", exc)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="watchlist-refresh", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
