"""The analyst walkthrough runs top to bottom on a fresh small run (so it never rots)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import jupytext
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]


def test_walkthrough_executes(demo_panel, tmp_path, monkeypatch):
    run = tmp_path / "run"
    (run / "panel").parent.mkdir(parents=True, exist_ok=True)
    (run / "panel").symlink_to(demo_panel.source)
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    month = str(demo_panel["monthly_reports"]["month"].max())
    for args in (["train", "--data", str(run / "panel"), "--tracking-uri", uri],
                 ["score", "--data", str(run / "panel"), "--month", month, "--out",
                  str(run / f"watchlist-{month}.csv"), "--tracking-uri", uri]):
        done = subprocess.run([sys.executable, "-m", "shortage_radar", "--workspace", str(tmp_path / "ws"), *args],
                              capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, done.stderr
    monkeypatch.setenv("SHORTAGE_RUN", str(run))
    notebook = jupytext.read(ROOT / "notebooks" / "walkthrough.py")
    NotebookClient(notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
                   ).execute()
    outputs = "".join(o.get("text", "") for cell in notebook.cells for o in cell.get("outputs", []))
    assert "drivers:" in outputs
