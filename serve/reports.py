"""The analyst report of the latest run for /ui: built once per run into a cache folder, then served as a file."""

from __future__ import annotations

import threading
from pathlib import Path

import pandas as pd

from shortage_radar.store import Store


class ReportUnavailable(RuntimeError):
    """No report can be shown (no run, no report package, unreadable panel): 503 with this message."""


class ReportCache:
    """One HTML file per run id; concurrent first requests build it once."""

    def __init__(self, store: Store, folder: Path) -> None:
        self.store = store
        self.folder = folder
        self._lock = threading.Lock()

    def path_for(self, run, panel) -> Path:
        """The report file of ``run`` (building it on first use)."""
        target = self.folder / f"report-run{run.run_id}.html"
        if target.is_file():
            return target
        try:
            from shortage_radar.report import build_report
        except ImportError as exc:
            raise ReportUnavailable(f"the analyst report package is not installed ({exc})") from exc
        if panel is None:
            raise ReportUnavailable(f"the panel of run {run.run_id} cannot be read; see the service log")
        with self._lock:
            if target.is_file():
                return target
            month = pd.Period(run.month, freq="M")
            previous_run = self.store.current_run(month - 1)
            previous = self.store.watchlist(month - 1) if previous_run is not None else None
            self.folder.mkdir(parents=True, exist_ok=True)
            return build_report(panel, self.store.run_rows(run.run_id), month, target, previous=previous)
