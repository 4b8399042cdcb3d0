"""Per-province summary of the audit, for each local authority (审核本地区企业填报数据)."""

from __future__ import annotations

import pandas as pd

from shortage_radar.audit.context import audit_input
from shortage_radar.audit.run import as_month, audit
from shortage_radar.audit.settings import AuditConfig, audit_config
from shortage_radar.contract.panel import Panel

SUMMARY_COLUMNS = ["province", "monitored_pairs", "reported_on_time", "missing", "late_filed",
                   "pairs_with_findings", "findings", "high"]


def province_summary(panel: Panel, month: pd.Period | str, found: pd.DataFrame | None = None,
                     config: AuditConfig | None = None) -> pd.DataFrame:
    """Monitored pairs (reported at t or in the recent months), reported on time, missing, late, findings."""
    cfg = config or audit_config()
    month = as_month(month)
    found = audit(panel, month, cfg) if found is None else found
    inp = audit_input(panel, month, cfg)
    grid = inp.grid
    recent = grid.reported[:, -1 - cfg.missing_report.recent_months:].any(axis=1)
    pairs = grid.keys[recent].assign(province=inp.province_of(grid.keys.loc[recent, "enterprise_id"]),
                                      reported=grid.reported[recent, -1])
    base = pairs.groupby("province", dropna=False).agg(monitored_pairs=("variety_id", "size"),
                                                       reported_on_time=("reported", "sum"))
    by_check = found.groupby(["province", "check"], dropna=False).size().unstack(fill_value=0)
    pair_rows = found[found["enterprise_id"].notna()]
    out = base.join(pd.DataFrame({
        "missing": by_check.get("missing_report"),
        "late_filed": by_check.get("late_report"),
        "pairs_with_findings": pair_rows.drop_duplicates(["enterprise_id", "variety_id"]).groupby(
            "province", dropna=False).size(),
        "findings": found.groupby("province", dropna=False).size(),
        "high": found[found["severity"] == "high"].groupby("province", dropna=False).size(),
    }), how="outer")
    out = out.astype(float).fillna(0).astype(int).reset_index().rename(columns={"index": "province"})
    return out.reindex(columns=SUMMARY_COLUMNS).sort_values("province", na_position="last").reset_index(drop=True)


def summary_counts(found: pd.DataFrame) -> dict:
    """Counts per check, severity and province (the CLI's ``--json`` object)."""
    def counts(column: str) -> dict[str, int]:
        return {str(k): int(v) for k, v in found[column].fillna("(none)").value_counts().sort_index().items()}

    return {"findings": int(len(found)), "by_check": counts("check"), "by_severity": counts("severity"),
            "by_province": counts("province")}
