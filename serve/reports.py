"""The analyst report of a run for /ui: built once per run into a cache folder, then served as a file."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pandas as pd
from filelock import FileLock

from shortage_radar.contract.files import PanelError
from shortage_radar.contract.panel import read_panel
from shortage_radar.store import Store


log = logging.getLogger(__name__)


class ReportUnavailable(RuntimeError):
    """No report can be shown (no run, no report package, unreadable panel): 503 with this message."""


class ReportCache:
    """One HTML file per run and set of stored months; concurrent first requests build it once, across the
    service's worker processes too (a lock file beside the cache)."""

    def __init__(self, store: Store, folder: Path) -> None:
        self.store = store
        self.folder = folder
        self._lock = threading.Lock()

    def path_for(self, run, panel, latest_run_id: int | None = None, models=None) -> Path:
        """The report file of ``run`` (building it on first use); ``panel`` is the latest run's panel, read
        again from the run's own folder when it used another. A new latest run gives new files (its trend point).
        ``models``: the models that scored the run, when known: the page then shows their warning policy and
        the single points of failure (every enterprise suspending in turn, scored from them)."""
        shown = "-models" if models is not None else ""
        target = self.folder / f"report-run{run.run_id}-latest{latest_run_id or run.run_id}{shown}.html"
        if target.is_file():
            return target
        try:
            from shortage_radar.report import build_report
        except ImportError as exc:
            raise ReportUnavailable(f"the analyst report package is not installed ({exc})") from exc
        self.folder.mkdir(parents=True, exist_ok=True)
        with self._lock, FileLock(self.folder / ".build.lock"):
            if target.is_file():
                return target
            panel = self._panel(run, panel)
            month = pd.Period(run.month, freq="M")
            previous_run = self.store.current_run(month - 1)
            previous = self.store.watchlist(month - 1) if previous_run is not None else None
            return build_report(panel, self.store.run_rows(run.run_id), month, target, previous=previous,
                                history=self.store.variety_history(),
                                store_months=[str(m) for m in self.store.months()],
                                policy=models.policy_in_force().summary() if models is not None else None,
                                criticality=_criticality(panel, models, month))

    @staticmethod
    def _panel(run, panel):
        if panel is not None and str(Path(panel.source).resolve()) == str(Path(run.data_path).resolve()):
            return panel
        try:
            return read_panel(Path(run.data_path))
        except (PanelError, OSError) as exc:  # the path goes to the log, never into a response body
            log.warning("panel of run %s (%s) not readable: %s", run.run_id, run.data_path, exc)
            raise ReportUnavailable(f"the panel of run {run.run_id} cannot be read; see the service log") from exc


def _criticality(panel, models, month: pd.Period) -> pd.DataFrame | None:
    """The supplier criticality table from the run's models, or None (no models, or no monthly reports)."""
    if models is None or "monthly_reports" not in panel:
        return None
    from shortage_radar.api import supplier_criticality

    try:
        return supplier_criticality(panel, models, month)
    except Exception as exc:  # noqa: BLE001 - an optional view: the page is served without it, the log says why
        log.warning("no single points of failure for %s: %s: %s", month, type(exc).__name__, exc)
        return None
