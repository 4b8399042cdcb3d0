"""``shortage validate`` as a user runs it: exit codes, one-line errors, JSON and quarantine file."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest


def shortage(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "shortage_radar", *args], capture_output=True, text=True,
                          timeout=120)


def _bad_panel(tables, write_panel):
    bad = {**tables["monthly_reports"].iloc[0].to_dict(), "production": "-4"}
    tables["monthly_reports"] = pd.concat([tables["monthly_reports"], pd.DataFrame([bad])], ignore_index=True)
    return write_panel(tables)


def test_json_counts_match_the_quarantine_file(tables, write_panel, tmp_path):
    folder = _bad_panel(tables, write_panel)
    qfile = tmp_path / "q.csv"
    result = shortage("validate", "--data", str(folder), "--json", "--quarantine", str(qfile))
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert set(summary) == {"ok", "tables", "quarantined", "by_reason"}
    assert summary["ok"] is True
    quarantine = pd.read_csv(qfile)
    assert summary["quarantined"] == len(quarantine) == 1
    assert summary["by_reason"] == {"negative_value": 1}
    assert summary["tables"]["monthly_reports"] == {"rows": 17, "kept": 16, "quarantined": 1}


def test_table_output_names_reasons(tables, write_panel):
    result = shortage("validate", "--data", str(_bad_panel(tables, write_panel)))
    assert result.returncode == 0
    assert "monthly_reports" in result.stdout and "negative_value" in result.stdout


def _one_line_failure(result: subprocess.CompletedProcess, *needles: str) -> None:
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in lines[0]


def test_missing_varieties_exits_1(tables, write_panel):
    folder = write_panel(tables)
    (folder / "varieties.csv").unlink()
    _one_line_failure(shortage("validate", "--data", str(folder)), "varieties.csv", "varieties")


def test_missing_production_column_exits_1(tables, write_panel):
    tables["monthly_reports"] = tables["monthly_reports"].drop(columns=["production"])
    _one_line_failure(shortage("validate", "--data", str(write_panel(tables))), "monthly_reports.csv",
                      "'production'")


def test_garbage_file_exits_1(tables, write_panel):
    folder = write_panel(tables)
    (folder / "procurement.csv").write_bytes(bytes(range(256)) * 64)
    _one_line_failure(shortage("validate", "--data", str(folder)), "procurement.csv", "CSV")


def test_missing_folder_exits_1(tmp_path):
    _one_line_failure(shortage("validate", "--data", str(tmp_path / "nope")), "does not exist")


def test_json_error_is_one_object(tmp_path):
    result = shortage("validate", "--data", str(tmp_path / "nope"), "--json")
    assert result.returncode == 1
    assert json.loads(result.stdout)["ok"] is False


@pytest.mark.parametrize("args", [("validate",), ("validate", "--data"), ("validate", "--bogus", "x"),
                                  ("no-such-command",)])
def test_bad_arguments_one_line(args):
    result = shortage(*args)
    assert result.returncode == 2
    assert len([line for line in result.stderr.splitlines() if line.strip()]) == 1, result.stderr
