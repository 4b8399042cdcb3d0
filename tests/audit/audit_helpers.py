"""Shared helpers of the audit tests: a demo-like panel with faults placed where the test knows."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from conftest import small_demo_config
from shortage_radar.audit import audit
from shortage_radar.contract.panel import Panel, read_panel
from shortage_radar.demo import simulate_panel, write_panel
from shortage_radar.demo.audit_faults import inject_audit_faults


def clean_demo_tables(n_varieties: int = 120, n_enterprises: int = 300, n_months: int = 48, seed: int = 11):
    """A demo-like panel whose reports have no mistyped figures (so every finding on an untouched pair is false)."""
    cfg = small_demo_config(n_varieties, n_enterprises, n_months, seed)
    filing = cfg.reporting.filing.model_copy(update={"unit_error_prob": 0.0, "typo_prob": 0.0})
    cfg = cfg.model_copy(update={"reporting": cfg.reporting.model_copy(update={"filing": filing})})
    return simulate_panel(cfg)


def faulty_panel(folder: Path, per_check: int, seed: int) -> tuple[Panel, pd.DataFrame]:
    """The clean demo-like panel with ``per_check`` faults of every check, and the manifest."""
    tables, manifest = inject_audit_faults(clean_demo_tables(), per_check=per_check, seed=seed, months=8)
    return read_panel(write_panel(tables, folder)), manifest


def audit_months(panel: Panel, months) -> pd.DataFrame:
    """Findings of every listed month."""
    return pd.concat([audit(panel, m) for m in sorted(set(months))], ignore_index=True)


def found(manifest: pd.DataFrame, findings: pd.DataFrame) -> pd.Series:
    """Per manifest row: whether a finding of its check names its month and series."""
    pair = manifest["enterprise_id"].notna()
    keys = ["check", "month", "variety_id"]
    on_pair = manifest[pair].merge(findings[keys + ["enterprise_id"]].drop_duplicates(), how="left",
                                   on=keys + ["enterprise_id"], indicator=True)
    by_province = findings[findings["enterprise_id"].isna()][keys + ["province"]].drop_duplicates()
    on_series = manifest[~pair].merge(by_province, how="left", on=keys + ["province"], indicator=True)
    hit = pd.Series(False, index=manifest.index)
    hit[pair[pair].index] = (on_pair["_merge"] == "both").to_numpy()
    hit[(~pair)[~pair].index] = (on_series["_merge"] == "both").to_numpy()
    return hit
