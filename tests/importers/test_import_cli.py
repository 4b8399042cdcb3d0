"""``shortage import``: one clear line and exit 1 on an unusable source; a summary on success."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from importer_helpers import canada_slice  # noqa: F401 (fixture)


def _shortage(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "shortage_radar", *args], capture_output=True, text=True,
                          timeout=300, cwd=cwd)


def test_import_canada_writes_a_panel_and_a_summary(canada_slice, tmp_path):
    args = [a for folder in canada_slice for a in ("--src", str(folder))]
    run = _shortage("import", "canada", *args, "--out", str(tmp_path / "panel"), cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "shortage_events" in run.stdout
    summary = json.loads((tmp_path / "panel" / "_import_summary.json").read_text())
    assert summary["first_month"] <= summary["last_month"] == "2018-04"
    valid = _shortage("validate", "--data", str(tmp_path / "panel"), "--json", cwd=tmp_path)
    assert valid.returncode == 0 and json.loads(valid.stdout)["quarantined"] == 0


def test_missing_or_empty_source_is_one_line(tmp_path):
    for src in (tmp_path / "nowhere", tmp_path):
        run = _shortage("import", "canada", "--src", str(src), "--out", str(tmp_path / "p"), cwd=tmp_path)
        assert run.returncode == 1
        assert len(run.stderr.strip().splitlines()) == 1 and str(src) in run.stderr
    run = _shortage("import", "openfda", "--src", str(tmp_path), "--out", str(tmp_path / "p"), cwd=tmp_path)
    assert run.returncode == 1 and "openFDA" in run.stderr
