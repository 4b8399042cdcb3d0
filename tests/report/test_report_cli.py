"""``shortage report``: a month's current run from the score store to one HTML file; one-line errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from report_helpers import make_watchlist, report_data


def _shortage(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "shortage_radar", *args], capture_output=True, text=True,
                          timeout=300)


@pytest.fixture(scope="module")
def stored(demo_panel, tmp_path_factory) -> tuple[str, pd.Period]:
    """A SQLite store with current runs for two consecutive months of the demo panel."""
    from shortage_radar.store import open_store

    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'store.db'}"
    store = open_store(url)
    month = demo_panel["monthly_reports"]["month"].max()
    for m, seed in ((month - 1, 2), (month, 1)):
        run = store.begin_run(m, data_path=str(Path(demo_panel.source).resolve()), fingerprint="f",
                              model_versions={"test": "1"}, config_hash="c")
        store.finish_run(run, make_watchlist(demo_panel, m, seed), pd.DataFrame())
    store.engine.dispose()
    return url, month


def test_report_of_a_stored_run(stored, demo_panel, tmp_path):
    url, month = stored
    out = tmp_path / "r.html"
    done = _shortage("report", "--month", str(month), "--out", str(out), "--store", url)
    assert done.returncode == 0, done.stderr
    data = report_data(out)
    expected = make_watchlist(demo_panel, month, 1)
    assert len(data["rows"]) == len(expected)
    assert data["previous_month"] == str(month - 1)
    assert data["rows"][0]["variety_id"] == expected[expected["entity"] == "variety"].nsmallest(1, "rank")[
        "variety_id"].iloc[0]
    assert str(out) in done.stdout.replace("\n", "")


@pytest.mark.parametrize("case", ["no_run", "bad_month", "no_data", "bad_store"])
def test_errors_are_one_line(stored, tmp_path, case):
    url, month = stored
    args = {"no_run": ["--month", str(month - 5), "--store", url],
            "bad_month": ["--month", "2024-13", "--store", url],
            "no_data": ["--month", str(month), "--store", url, "--data", str(tmp_path / "absent")],
            "bad_store": ["--month", str(month), "--store", f"sqlite:///{tmp_path}/no/such/dir/x.db"]}[case]
    done = _shortage("report", "--out", str(tmp_path / "r.html"), *args)
    assert done.returncode != 0
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "r.html").exists()


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    """A small panel trained, registered and scored for two months (the service tests' world)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "serve"))
    from serve_helpers import build_world

    return build_world(str(tmp_path_factory.getbasetemp()))


def test_with_the_models_that_scored_the_run_the_policy_and_single_points_of_failure_are_shown(scored, tmp_path):
    month = str(scored.months[1])
    common = ["report", "--month", month, "--store", scored.store_url, "--tracking-uri", scored.tracking_uri]
    done = subprocess.run([sys.executable, "-m", "shortage_radar", *common, "--out", str(tmp_path / "a.html")],
                          capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    data = report_data(tmp_path / "a.html")
    assert data["policy"]["fitted_on"] and {r["level"] for r in data["policy"]["levels"]} == {1, 2, 3, 4}
    assert isinstance(data["criticality"], list)  # computed: every enterprise suspending in turn
    assert "single points of failure" in done.stdout
    skipped = subprocess.run([sys.executable, "-m", "shortage_radar", *common, "--out", str(tmp_path / "b.html"),
                              "--no-criticality"], capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert skipped.returncode == 0, skipped.stderr
    assert report_data(tmp_path / "b.html")["criticality"] is None
    assert report_data(tmp_path / "b.html")["policy"] == data["policy"]


def test_models_other_than_the_runs_are_not_shown_as_its_policy(stored, tmp_path):
    url, month = stored  # runs recorded with model_versions {"test": "1"}; no tracking store at all
    done = _shortage("report", "--month", str(month), "--out", str(tmp_path / "r.html"), "--store", url,
                     "--tracking-uri", f"sqlite:///{tmp_path / 'none.db'}")
    assert done.returncode == 0, done.stderr
    data = report_data(tmp_path / "r.html")
    assert data["policy"] is None and data["criticality"] is None
    assert "no warning policy or single points of failure shown" in done.stdout
    assert not (tmp_path / "none.db").exists()  # reading models never creates a tracking store
