"""``shortage audit``: findings file by extension (atomic), ``--json`` summary, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from conftest import small_tables, write_tables

RUN = [sys.executable, "-m", "shortage_radar", "audit"]


@pytest.fixture(scope="module")
def panel_dir(tmp_path_factory):
    tables = small_tables()
    reports = tables["monthly_reports"]
    reports.loc[(reports["enterprise_id"] == "E2") & (reports["variety_id"] == "V3") & (reports["month"] == "2022-03"),
                "inventory"] = "500"
    return write_tables(tables, tmp_path_factory.mktemp("audit") / "panel")


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_writes_the_findings_and_prints_a_json_summary(panel_dir, tmp_path, suffix):
    out = tmp_path / f"findings{suffix}"
    run = subprocess.run([*RUN, "--data", str(panel_dir), "--month", "2022-03", "--out", str(out), "--json"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    found = pd.read_csv(out) if suffix == ".csv" else pd.read_parquet(out)
    assert list(found.columns) == ["month", "check", "severity", "province", "enterprise_id", "variety_id", "detail"]
    assert summary["findings"] == len(found) and summary["by_check"] == {"stock_flow": 1}
    assert [p["province"] for p in summary["provinces"]] == ["Beijing", "Hebei"]
    assert not list(tmp_path.glob(".*partial"))


@pytest.mark.parametrize("args, words", [
    (["--month", "2022-13"], "--month '2022-13'"),
    (["--month", "2022-03", "--data", "/nonexistent/panel"], "panel folder does not exist"),
    (["--month", "2022-03", "--out", "x.txt"], "unknown output format"),
])
def test_bad_arguments_are_one_line_and_exit_1(panel_dir, tmp_path, args, words):
    base = {"--data": str(panel_dir), "--out": str(tmp_path / "f.csv")}
    given = dict(zip(args[::2], args[1::2], strict=True))
    argv = [a for k, v in {**base, **given}.items() for a in (k, v)]
    run = subprocess.run([*RUN, *argv], capture_output=True, text=True, timeout=300)
    assert run.returncode == 1
    assert words in run.stderr and len(run.stderr.strip().splitlines()) == 1
