"""The supplier criticality table for the report: per enterprise, the varieties that would turn orange or red if it
suspended (``models.whatif.supplier_criticality``'s frame, when the caller has one), single points of failure first."""

from __future__ import annotations

import pandas as pd

COLUMNS = ["supplier_rank", "enterprise_id", "variety_id", "risk_before", "risk_after", "level_before",
           "level_after", "newly"]


def criticality_records(table: pd.DataFrame | None, limit: int) -> list[dict] | None:
    """The table's rows as the page shows them (at most ``limit``, by supplier rank); None without a table (the
    view is hidden), [] for a table without rows (no enterprise's stop would turn a variety orange or red)."""
    if table is None or not set(COLUMNS) <= set(table.columns):
        return None
    if table.empty:
        return []
    frame = table.sort_values(["supplier_rank", "risk_after"], ascending=[True, False], kind="stable").head(limit)
    return [{"rank": int(r.supplier_rank), "enterprise_id": str(r.enterprise_id), "variety_id": str(r.variety_id),
             "risk_before": round(float(r.risk_before), 4), "risk_after": round(float(r.risk_after), 4),
             "level_before": int(r.level_before), "level_after": int(r.level_after), "newly": bool(r.newly)}
            for r in frame.itertuples(index=False)]
