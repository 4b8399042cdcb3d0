"""``shortage demo``, the README's first command, end to end: panel, watchlist, report, store and MLflow champions.

The MLflow part starts the real ``mlflow ui`` on the demo's tracking database and asks it for the champion alias,
as an analyst would look at the run, the registered models and their aliases.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pandas as pd
import pytest

CONTRACT_COLUMNS = ["entity", "variety_id", "enterprise_id", "month", "horizon", "risk", "warning_level",
                    "response_tier", "rank", "drivers"]
MLFLOW_UI_SECONDS = 120  # the UI server takes ~20 s to start on a busy 2-core machine


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    folder = tmp_path_factory.mktemp("demo")
    run = subprocess.run([sys.executable, "-m", "shortage_radar", "demo", "--out", str(folder / "out")],
                         capture_output=True, text=True, timeout=900, cwd=folder)
    assert run.returncode == 0, run.stderr[-3000:]
    return folder / "out", run


def test_demo_writes_the_contract_watchlist_and_the_report(demo_run):
    out, run = demo_run
    [watchlist_file] = out.glob("watchlist-*.csv")
    month = watchlist_file.stem.removeprefix("watchlist-")
    watchlist = pd.read_csv(watchlist_file, dtype={"enterprise_id": str, "month": str})
    assert list(watchlist.columns[:10]) == CONTRACT_COLUMNS
    assert set(watchlist["entity"]) == {"variety", "enterprise"} and set(watchlist["month"]) == {month}
    assert watchlist["risk"].between(0, 1).all() and set(watchlist["warning_level"]) <= {0, 1, 2, 3, 4}
    for line in (str(watchlist_file), f"report-{month}.html", "red I"):
        assert line in run.stdout.replace("\n", "")
    assert (out / f"report-{month}.html").stat().st_size > 100_000  # plotly inlined: no network needed
    html = (out / f"report-{month}.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/json" id="report-data">(.*?)</script>', html, re.S)[1])
    assert data["policy"]["fitted_on"] and isinstance(data["criticality"], list)  # policy and the what-if view
    warned = watchlist[watchlist["warning_level"].isin([1, 2, 3])]
    assert not warned["ongoing"].astype(bool).any()  # levels 1-3 only for shortages still to come


def test_demo_shows_its_steps_and_keeps_library_noise_off_the_console(demo_run):
    _, run = demo_run
    assert "shortage demo:" in run.stdout and "workspace:" in run.stdout
    for noise in ("WARNING", "Successfully registered", "UserWarning", "INFO"):
        assert noise not in run.stderr, run.stderr[-2000:]


def test_demo_records_both_months_in_the_store(demo_run):
    from shortage_radar.store import open_store

    out, _ = demo_run
    store = open_store(f"sqlite:///{out.parent / 'shortage-workspace' / 'store.db'}", create=False)  # the workspace
    months = sorted(r.month for r in store.runs() if r.is_current)
    assert len(months) == 2 and (pd.Period(months[1]) - pd.Period(months[0])).n == 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _alias(base: str, name: str) -> dict | None:
    try:
        answer = httpx.get(f"{base}/api/2.0/mlflow/registered-models/alias", params={"name": name,
                                                                                     "alias": "champion"}, timeout=5)
    except httpx.TransportError:
        return None
    return answer.json()["model_version"] if answer.status_code == 200 else None


def test_the_mlflow_ui_shows_the_registered_champions(demo_run):
    out, _ = demo_run
    mlflow = shutil.which("mlflow", path=str(Path(sys.executable).parent))
    assert mlflow, "mlflow's command is not installed beside this Python"
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    tracking = f"sqlite:///{out.parent / 'shortage-workspace' / 'mlflow.db'}"  # the demo's workspace
    log = out / "mlflow-ui.log"
    # The UI needs no background job runners (MLflow 3 starts a dozen by default, slow on a busy machine).
    env = {**os.environ, "MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false"}
    with log.open("w") as sink:
        ui = subprocess.Popen([mlflow, "ui", "--backend-store-uri", tracking, "--port", str(port),
                               "--workers", "1"], stdout=sink, stderr=subprocess.STDOUT, cwd=out, env=env)
    try:
        deadline, version = time.monotonic() + MLFLOW_UI_SECONDS, None
        while version is None and time.monotonic() < deadline and ui.poll() is None:
            time.sleep(1)
            version = _alias(base, "shortage-variety")
        tail = log.read_text(errors="replace")[-1500:]
        assert version is not None, f"mlflow ui never answered for the shortage-variety champion: {tail}"
        assert "champion" in version["aliases"] and version["status"] == "READY"
        assert _alias(base, "shortage-enterprise") is not None
        assert "<html" in httpx.get(base, timeout=10).text  # the UI page itself
    finally:
        ui.terminate()
        ui.wait(timeout=30)
