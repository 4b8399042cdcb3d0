"""The analyst walkthrough runs top to bottom by its documented command, from an unrelated folder, on a fresh
small run (so it never rots): it shows and saves its charts and covers forecasts, drivers, levels and a what-if."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PNG = b"\x89PNG\r\n\x1a\n"


def _shortage(*args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "shortage_radar", *args], capture_output=True, text=True,
                          timeout=900)
    assert done.returncode == 0, done.stderr


def test_walkthrough_runs_from_any_folder_and_saves_its_charts(demo_panel, tmp_path):
    run = tmp_path / "run"  # the layout `shortage demo --out DIR` writes
    run.mkdir()
    (run / "panel").symlink_to(demo_panel.source)
    uri, store = f"sqlite:///{run / 'mlflow.db'}", f"sqlite:///{run / 'store.db'}"
    last = demo_panel["monthly_reports"]["month"].max()
    _shortage("train", "--data", str(run / "panel"), "--tracking-uri", uri)
    for month in (last - 1, last):
        _shortage("score", "--data", str(run / "panel"), "--month", str(month), "--out",
                  str(run / f"watchlist-{month}.csv"), "--tracking-uri", uri, "--store", store, "--no-report")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "walkthrough.ipynb"
    command = [sys.executable, "-m", "jupytext", "--to", "ipynb", "--execute", "-o", str(out),
               str(ROOT / "notebooks" / "walkthrough.py")]  # docs/report.md, "The analyst notebook"
    done = subprocess.run(command, cwd=elsewhere, capture_output=True, text=True, timeout=900,
                          env={**os.environ, "SHORTAGE_RUN": str(run), "MPLBACKEND": ""})
    assert done.returncode == 0, done.stderr[-3000:]

    cells = json.loads(out.read_text(encoding="utf-8"))["cells"]
    outputs = [o for cell in cells for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = "".join("".join(o.get("text", "")) for o in outputs)
    for shown in ("drivers:", "impact points", "what-if (", "levels raised:"):
        assert shown in text
    library = importlib.util.find_spec("shortage_radar.models.whatif") is not None
    assert ("what-if (what_if)" if library else "what-if (re-score of a modified panel)") in text
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 3  # supply with forecasts, risk trend, what-if: shown in the notebook
    saved = sorted(p.name for p in (run / "walkthrough").glob("*.png"))
    assert len(saved) == 3 and any(n.endswith("-supply.png") for n in saved) and any(
        n.startswith("whatif-") for n in saved)
    for name in saved:
        data = (run / "walkthrough" / name).read_bytes()
        assert data.startswith(PNG) and len(data) > 5_000
    assert not list(elsewhere.iterdir())  # nothing written relative to where it was run
