"""``--engine``: the local engine never loads the Dask engine; an unreachable scheduler is one line, exit 1."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

LOCAL_ONLY = """
import sys
from shortage_radar.cli import app
from shortage_radar.commands import backtest, forecast, score, train
from shortage_radar.models import backtest as b, forecasting, monthly, train as t
loaded = sorted(m for m in sys.modules if m.startswith("shortage_radar.distributed") or m == "distributed")
print(loaded)
"""


def test_the_local_path_does_not_import_the_dask_engine():
    out = subprocess.run([sys.executable, "-c", LOCAL_ONLY], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("command", ["score", "forecast"])
def test_unreachable_scheduler_is_one_line(tables, write_panel, tmp_path, command):
    pytest.importorskip("distributed")
    folder = write_panel(tables)
    args = [sys.executable, "-m", "shortage_radar", command, "--engine", "dask", "--data", str(folder),
            "--month", "2022-04", "--out", str(tmp_path / "out.csv")]
    if command == "score":
        args += ["--store", f"sqlite:///{tmp_path / 'store.db'}"]
    env = {**os.environ, "SHORTAGE_DASK_ADDRESS": "tcp://127.0.0.1:9" if command == "score" else "bogus://x:1"}
    out = subprocess.run(args, capture_output=True, text=True, timeout=120, env=env)
    assert out.returncode == 1
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "Dask scheduler" in lines[0] and "SHORTAGE_DASK_ADDRESS" in lines[0], out.stderr
