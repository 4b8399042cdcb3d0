"""`shortage score` into the store: re-runs, a run killed half way, `shortage runs list|show`."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest


def _shortage(*args: str, cwd: Path, env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    run = subprocess.run([sys.executable, "-m", "shortage_radar", *args], capture_output=True, text=True,
                         timeout=900, cwd=cwd, env=env)
    if check:
        assert run.returncode == 0, run.stderr
    return run


@pytest.fixture(scope="module")
def trained(demo_panel, tmp_path_factory):
    folder = tmp_path_factory.mktemp("monthly")
    uri = f"sqlite:///{folder / 'mlflow.db'}"
    _shortage("train", "--data", str(demo_panel.source), "--tracking-uri", uri, cwd=folder)
    month = demo_panel["monthly_reports"]["month"].max()
    return folder, uri, month


def _score(trained, panel_dir: Path, store: str, month: pd.Period, out: str) -> subprocess.CompletedProcess:
    folder, uri, _ = trained
    return _shortage("score", "--data", str(panel_dir), "--month", str(month), "--out", str(folder / out),
                     "--tracking-uri", uri, "--store", store, cwd=folder)


@pytest.fixture
def panel_dir(demo_panel) -> Path:
    return Path(demo_panel.source)


def _with_bad_rows(panel_dir: Path, folder: Path) -> Path:
    """A copy of the panel with two rows that break the contract (a negative sales figure, a duplicate variety)."""
    dirty = folder / "dirty"
    shutil.copytree(panel_dir, dirty, dirs_exist_ok=True)
    bad = {"monthly_reports": lambda f: f.iloc[[0]].assign(sales="-5"), "varieties": lambda f: f.iloc[[0]]}
    for name, pick in bad.items():
        frame = pd.read_csv(dirty / f"{name}.csv", dtype=str, keep_default_na=False)
        pd.concat([frame, pick(frame)]).to_csv(dirty / f"{name}.csv", index=False)
    return dirty


def test_score_writes_file_and_store_and_summary(trained, panel_dir, store_url):
    from shortage_radar.store import open_store

    folder, _, month = trained
    _score(trained, panel_dir, store_url, month - 1, "prev.csv")
    run = _score(trained, _with_bad_rows(panel_dir, folder), store_url, month, "now.csv")
    assert f"newly orange or red since {month - 1}" in run.stdout and "levels (varieties): red I" in run.stdout
    assert "quarantined rows: 2 (" in run.stdout and "monthly_reports 1" in run.stdout
    assert "writing run 2 to the store" in run.stdout and str(folder / "now.csv") in run.stdout
    report = folder / f"report-{month}.html"  # the analyst report, beside the watchlist
    assert str(report) in run.stdout and "药品短缺预警" in report.read_text(encoding="utf-8")
    current = open_store(store_url).current_run(month)
    assert current.quarantined == 2 and current.status == "succeeded" and len(current.fingerprint) == 16
    assert sorted(open_store(store_url).quarantined(current.run_id)["table_name"]) == ["monthly_reports", "varieties"]
    stored = open_store(store_url).watchlist(month)
    written = pd.read_csv(folder / "now.csv", dtype={"enterprise_id": str}, keep_default_na=False)
    assert len(stored) == len(written) > 0
    assert sorted(stored["variety_id"] + stored["enterprise_id"]) == sorted(written["variety_id"]
                                                                           + written["enterprise_id"])


def test_a_run_killed_half_way_leaves_the_previous_results_current(trained, panel_dir, store_url, tmp_path):
    """SIGKILL inside the commit (after the score rows went in): the earlier run stays current and whole."""
    from shortage_radar.store import open_store

    folder, uri, month = trained
    _score(trained, panel_dir, store_url, month, "first.csv")
    store = open_store(store_url)
    before = store.current_run(month)
    rows_before = store.watchlist(month)

    marker = tmp_path / "in-commit"
    env = {**os.environ, "SHORTAGE_TEST_PAUSE_IN_COMMIT": str(marker)}
    proc = subprocess.Popen([sys.executable, "-m", "shortage_radar", "score", "--data", str(panel_dir), "--month",
                             str(month), "--out", str(folder / "killed.csv"), "--tracking-uri", uri,
                             "--store", store_url], cwd=folder, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 600
    while not marker.exists():
        assert proc.poll() is None, "the run ended before reaching the commit"
        assert time.monotonic() < deadline
        time.sleep(0.2)
    # Paused with every row written and the flags flipped, uncommitted: readers still see the earlier run.
    reader = open_store(store_url)
    assert reader.current_run(month).run_id == before.run_id
    pd.testing.assert_frame_equal(reader.watchlist(month), rows_before)
    reader.engine.dispose()
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)

    store = open_store(store_url)  # a new process would see the same: rows of the killed run were never committed
    assert store.current_run(month).run_id == before.run_id
    pd.testing.assert_frame_equal(store.watchlist(month), rows_before)
    killed = store.runs()[0]
    assert killed.run_id != before.run_id and killed.status == "running" and not killed.is_current
    assert store.run_rows(killed.run_id).empty
    assert not (folder / "killed.csv").exists()


def test_runs_list_and_show(trained, panel_dir, store_url):
    folder, _, month = trained
    _score(trained, panel_dir, store_url, month, "a.csv")
    listed = _shortage("runs", "list", "--store", store_url, cwd=folder)
    assert "succeeded" in listed.stdout and str(month) in listed.stdout
    shown = _shortage("runs", "show", "1", "--store", store_url, cwd=folder)
    assert "is_current" in shown.stdout and "Top 10 varieties" in shown.stdout
    missing = _shortage("runs", "show", "99", "--store", store_url, cwd=folder, check=False)
    assert missing.returncode == 1 and "not in the store" in missing.stderr


def test_a_run_that_raises_is_recorded_failed_and_leaves_the_previous_run_current(trained, demo_panel, store_url,
                                                                                  monkeypatch):
    import shortage_radar as sr
    from shortage_radar.models.backend import LocalBackend
    from shortage_radar.store import open_store

    _, uri, month = trained
    store = open_store(store_url)
    models = sr.champions(uri)
    _, good = sr.monthly_run(demo_panel, month, models, store)
    rows_before = store.watchlist(month)

    def broken(*args, **kwargs):
        raise RuntimeError("features exploded")

    monkeypatch.setattr(LocalBackend, "score", broken)
    with pytest.raises(RuntimeError):
        sr.monthly_run(demo_panel, month, models, store)
    failed = store.runs()[0]
    assert failed.status == "failed" and "features exploded" in failed.error and not failed.is_current
    assert store.current_run(month).run_id == good
    pd.testing.assert_frame_equal(store.watchlist(month), rows_before)


def test_the_monthly_run_scores_exactly_like_score_month_and_reports_progress(trained, demo_panel, store_url):
    import shortage_radar as sr
    from shortage_radar.models.monthly import score_month
    from shortage_radar.models.policy import warning_policy
    from shortage_radar.models.settings import model_config

    _, uri, month = trained
    models = sr.champions(uri)
    assert len(models.versions) == 1 + (models.enterprise is not None)
    seen: list[tuple[str, int, int]] = []
    watchlist, run_id = sr.monthly_run(demo_panel, month, models, store_url,
                                       progress=lambda *event: seen.append(event))
    expected = score_month(demo_panel, month, models.variety, models.enterprise, warning_policy(), model_config())
    pd.testing.assert_frame_equal(watchlist, expected)
    steps = [step for step, _, _ in seen]
    assert f"features as known at {month}" in steps and f"writing run {run_id} to the store" in steps
    assert all(0 <= done <= total for _, done, total in seen)


def test_score_with_an_unreachable_store_fails_at_once_in_one_line(trained, panel_dir):
    folder, uri, month = trained
    run = _shortage("score", "--data", str(panel_dir), "--month", str(month), "--out", str(folder / "x.csv"),
                    "--tracking-uri", uri, "--store", "postgresql+psycopg://u:secret@127.0.0.1:1/x", cwd=folder,
                    check=False)
    assert run.returncode == 1 and "Traceback" not in run.stderr and "secret" not in run.stderr
    assert run.stderr.strip().startswith("error: score store postgresql+psycopg://u:***@127.0.0.1:1/x")
    assert not (folder / "x.csv").exists()
