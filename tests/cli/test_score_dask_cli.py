"""``shortage score --engine dask`` end to end: the same watchlist file and analyst report as the local engine."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import small_demo_config

pytest.importorskip("distributed")

MONTH = "2022-09"


def _shortage(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    out = subprocess.run([sys.executable, "-m", "shortage_radar", *args], capture_output=True, text=True,
                         timeout=900, env=env)
    assert out.returncode == 0, out.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    """A month-partitioned small panel, models trained locally, then scored by both engines."""
    from shortage_radar.demo import simulate_panel
    from shortage_radar.demo.writer import write_partitions

    root = tmp_path_factory.mktemp("score-dask")
    folder = write_partitions(simulate_panel(small_demo_config()), root / "panel")
    uri = f"sqlite:///{root / 'mlflow.db'}"
    env = {k: v for k, v in os.environ.items() if k != "SHORTAGE_DASK_ADDRESS"}
    _shortage("train", "--data", str(folder), "--until", MONTH, "--tracking-uri", uri, env=env)
    outs = {}
    for engine in ("local", "dask"):
        out = root / engine / "watchlist.csv"
        out.parent.mkdir()
        _shortage("score", "--engine", engine, "--data", str(folder), "--month", MONTH, "--out", str(out),
                  "--tracking-uri", uri, "--store", f"sqlite:///{root / engine / 'store.db'}", env=env)
        outs[engine] = out
    return outs


def test_the_watchlist_file_is_byte_identical(scored):
    local, dask = (scored[e].read_bytes() for e in ("local", "dask"))
    assert local.count(b"\n") > 100
    assert dask == local


def test_the_analyst_report_draws_the_same_varieties(scored):
    local, dask = (scored[e].with_name(f"report-{MONTH}.html").read_text(encoding="utf-8") for e in ("local", "dask"))
    assert len(local) > 10_000
    assert dask == local
