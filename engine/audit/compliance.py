"""Reporting compliance: pairs that did not report this month (拒报) and reports filed late (迟报)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from shortage_radar.audit import findings
from shortage_radar.audit.context import AuditInput
from shortage_radar.audit.filing import days_late, deadlines, filed_late, known_month

DISCONTINUED = "discontinued"


def _discontinued(inp: AuditInput) -> set[tuple[str, str]]:
    """Pairs with a filed discontinuation that started by t: they are not expected to report."""
    s = inp.suspensions
    if s is None or not len(s):
        return set()
    gone = s[(s["reason"] == DISCONTINUED).fillna(False).to_numpy() & (s["start_month"] <= inp.month).to_numpy()]
    return set(zip(gone["enterprise_id"].astype(str), gone["variety_id"].astype(str), strict=True))


def _months_silent(reported: np.ndarray) -> np.ndarray:
    """Months in a row, up to and including t, without a report."""
    flipped = reported[:, ::-1]
    first = np.where(flipped.any(axis=1), flipped.argmax(axis=1), flipped.shape[1])
    return first


def missing_report(inp: AuditInput) -> pd.DataFrame:
    """A pair that reported in the recent months but has no report known for t."""
    cfg = inp.cfg.missing_report
    grid = inp.grid
    recent = grid.reported[:, -1 - cfg.recent_months:-1]
    expected = recent.any(axis=1) & ~grid.reported[:, -1]
    gone = _discontinued(inp)
    if gone:
        expected &= ~np.array([(e, v) in gone for e, v in zip(grid.keys["enterprise_id"], grid.keys["variety_id"],
                                                               strict=True)], dtype=bool)
    idx = np.flatnonzero(expected)
    silent = _months_silent(grid.reported[idx])
    last = grid.months[-1 - silent]
    keys = grid.keys.iloc[idx]
    detail = [f"no report for {inp.month} filed by its deadline; last report {m}, {s} month(s) without a report; "
              f"reported in {int(r)} of the {cfg.recent_months} months before"
              for m, s, r in zip(last, silent, recent[idx].sum(axis=1), strict=True)]
    severity = np.where(silent >= cfg.high_after_months, "high", "medium")
    return findings.frame(inp.month, "missing_report", severity, inp.province_of(keys["enterprise_id"]),
                          keys["enterprise_id"], keys["variety_id"], detail)


def late_report(inp: AuditInput) -> pd.DataFrame:
    """Reports that became known this month although they were due earlier (filed after the deadline)."""
    reports = inp.reports
    late = filed_late(reports, inp.cfg) & (known_month(reports, inp.cfg) == inp.month)
    rows = reports[late.to_numpy()]
    if not len(rows):
        return findings.empty()
    days = days_late(rows, inp.cfg).to_numpy()
    due = deadlines(rows["month"], inp.cfg)
    detail = [f"report for {m} filed {f:%Y-%m-%d}, {int(d)} day(s) after the deadline {due_:%Y-%m-%d}"
              for m, f, d, due_ in zip(rows["month"], rows["filed_on"], days, due, strict=True)]
    severity = np.where(days >= inp.cfg.late_report.high_after_days, "high", "medium")
    return findings.frame(inp.month, "late_report", severity, inp.province_of(rows["enterprise_id"].astype(str)),
                          rows["enterprise_id"], rows["variety_id"], detail)
