"""A dirty demo panel: every injected bad row is quarantined with its reason, every clean row kept."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from shortage_radar.contract.panel import read_panel
from shortage_radar.contract.reasons import Reason
from conftest import small_demo_config
from shortage_radar.demo import simulate_panel, write_panel
from shortage_radar.demo.dirty import INJECTIONS, inject_bad_rows


@pytest.fixture(scope="module", params=[0, 1, 7])
def seeded(request):
    return request.param, simulate_panel(small_demo_config(seed=request.param))


def test_every_reason_is_injected():
    assert {i.reason for i in INJECTIONS} == set(Reason)


def test_injected_rows_quarantined_and_clean_rows_kept(seeded, tmp_path):
    seed, clean_tables = seeded
    dirty, manifest = inject_bad_rows(clean_tables, seed=seed)
    panel = read_panel(write_panel(dirty, tmp_path / "dirty"))
    got = panel.quarantine[["table", "row", "reason"]].astype({"row": int})
    expected = manifest[["table", "row", "reason"]].astype({"row": int})
    expected["row"] += 1  # the manifest counts data rows; the quarantine gives the CSV line (header = line 1)
    key = ["table", "row"]
    pd.testing.assert_frame_equal(got.sort_values(key).reset_index(drop=True),
                                  expected.sort_values(key).reset_index(drop=True))
    for name, frame in clean_tables.items():
        assert panel.results[name].kept == len(frame), name


def test_cli_json_counts_equal_the_quarantine_file(tmp_path):
    panel_dir, qfile = tmp_path / "panel", tmp_path / "quarantine.csv"
    run = [sys.executable, "-m", "shortage_radar"]
    made = subprocess.run([*run, "simulate", "--out", str(panel_dir), "--dirty", "--seed", "3"],
                          capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    result = subprocess.run([*run, "validate", "--data", str(panel_dir), "--json", "--quarantine", str(qfile)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    quarantine = pd.read_csv(qfile)
    manifest = pd.read_csv(panel_dir / "_dirty_manifest.csv")
    assert summary["quarantined"] == len(quarantine) == len(manifest) == sum(summary["by_reason"].values())
    assert summary["by_reason"] == manifest["reason"].value_counts().to_dict()
