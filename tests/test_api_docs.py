"""docs/api.md's example runs, prints nothing, and equals what `shortage train` + `shortage score` write."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd

from conftest import small_demo_config

ROOT = Path(__file__).resolve().parents[1]


def _example() -> str:
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "docs" / "api.md").read_text(encoding="utf-8"), re.S)
    return next(b for b in blocks if "watchlist-api.csv" in b)


def _shortage(*args: str, cwd: Path) -> None:
    subprocess.run([sys.executable, "-m", "shortage_radar", *args], cwd=cwd, check=True, capture_output=True,
                   text=True)


def test_the_api_example_equals_the_cli_and_prints_nothing(tmp_path):
    from shortage_radar.demo import simulate_panel, write_panel

    panel = write_panel(simulate_panel(small_demo_config()), tmp_path / "panel")
    env = {**os.environ, "SHORTAGE_PANEL": str(panel)}
    ran = subprocess.run([sys.executable, "-c", _example()], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr[-2000:]
    assert ran.stdout == ""
    mine = pd.read_csv(tmp_path / "watchlist-api.csv", keep_default_na=False)

    month = mine["month"].iloc[0]
    uri, store = f"sqlite:///{tmp_path / 'mlflow.db'}", f"sqlite:///{tmp_path / 'store.db'}"
    _shortage("train", "--data", str(panel), "--tracking-uri", uri, cwd=tmp_path)
    _shortage("score", "--data", str(panel), "--month", month, "--out", "cli.csv", "--tracking-uri", uri,
              "--store", store, "--no-report", cwd=tmp_path)
    theirs = pd.read_csv(tmp_path / "cli.csv", keep_default_na=False)

    assert len(mine) > 50 and list(mine.columns) == list(theirs.columns)
    keys = ["entity", "variety_id", "enterprise_id", "month"]
    assert mine[keys].equals(theirs[keys])
    assert (mine["risk"] - theirs["risk"]).abs().max() <= 1e-9
    for column in ("warning_level", "response_tier", "rank", "drivers"):
        assert mine[column].equals(theirs[column]), column
