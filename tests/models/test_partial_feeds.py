"""Only some feeds: varieties, procurement and shortage_events still train, score and backtest."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

KEPT = ("varieties", "procurement", "shortage_events")


def _shortage(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    run = subprocess.run([sys.executable, "-m", "shortage_radar", *args], capture_output=True, text=True,
                         timeout=900, cwd=cwd)
    assert run.returncode == 0, run.stderr
    return run


@pytest.fixture(scope="module")
def partial(demo_panel, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("partial")
    for name in KEPT:
        shutil.copy(Path(demo_panel.source) / f"{name}.csv", folder / f"{name}.csv")
    return folder


def test_partial_panel_trains_scores_and_backtests(partial: Path, tmp_path: Path):
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    _shortage("train", "--data", str(partial), "--tracking-uri", uri, cwd=tmp_path)
    month = pd.read_csv(partial / "procurement.csv")["month"].max()
    _shortage("score", "--data", str(partial), "--month", month, "--out", str(tmp_path / "w.csv"),
              "--tracking-uri", uri, cwd=tmp_path)
    watch = pd.read_csv(tmp_path / "w.csv")
    varieties = pd.read_csv(partial / "varieties.csv")
    assert set(watch["entity"]) == {"variety"}  # no pair data, so no enterprise rows
    assert sorted(watch["variety_id"]) == sorted(varieties["variety_id"])
    assert watch["risk"].between(0, 1).all()

    months = sorted(pd.read_csv(partial / "procurement.csv")["month"].unique())
    _shortage("backtest", "--data", str(partial), "--start", months[-24], "--end", months[-1],
              "--out", str(tmp_path / "bt.csv"), cwd=tmp_path)
    metrics = json.loads((tmp_path / "bt.metrics.json").read_text())
    assert metrics["variety"]["pr_auc"] is not None
    assert "history" in metrics["baselines"] and "stock_rule" not in metrics["baselines"]
