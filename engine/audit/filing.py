"""When a monthly report was due and when it became known (contract v1.1, ``filed_on``).

A month's report is due by ``deadline_day`` of the following month. The contract treats a
month's reports as known at the end of that month; that holds for reports filed by the
deadline (and for reports without ``filed_on``). A report filed after the deadline is known
only at the end of the month it was filed in.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shortage_radar.audit.settings import AuditConfig

DAY = np.timedelta64(1, "D")


def deadlines(months: pd.Series, cfg: AuditConfig) -> pd.Series:
    """The filing deadline of each report month (a day in the following month)."""
    start_next = (pd.PeriodIndex(months, freq="M") + 1).to_timestamp()
    return pd.Series(start_next + pd.Timedelta(days=cfg.filing.deadline_day - 1), index=months.index)


def filed_late(reports: pd.DataFrame, cfg: AuditConfig) -> pd.Series:
    """True where ``filed_on`` is after the report month's deadline (False without ``filed_on``)."""
    if "filed_on" not in reports or not reports["filed_on"].notna().any():
        return pd.Series(False, index=reports.index)
    return (reports["filed_on"] > deadlines(reports["month"], cfg)).fillna(False).astype(bool)


def days_late(reports: pd.DataFrame, cfg: AuditConfig) -> pd.Series:
    """Whole days between the deadline and ``filed_on`` (NaN without ``filed_on``)."""
    return (reports["filed_on"] - deadlines(reports["month"], cfg)) / pd.Timedelta(days=1)


def known_month(reports: pd.DataFrame, cfg: AuditConfig) -> pd.Series:
    """The month at whose end each report was known: its own month, or the month a late report was filed."""
    months = reports["month"]
    late = filed_late(reports, cfg)
    if not late.any():
        return months
    filed = reports.loc[late, "filed_on"].dt.to_period("M")
    known = months.copy()
    known[late] = np.maximum(filed.to_numpy(), months[late].to_numpy())
    return known


def on_time(reports: pd.DataFrame, cfg: AuditConfig) -> pd.DataFrame:
    """The reports known at the end of their own month: what the feature grid is built from."""
    late = filed_late(reports, cfg)
    return reports if not late.any() else reports[~late.to_numpy()].reset_index(drop=True)


def known_reports(reports: pd.DataFrame, month: pd.Period, cfg: AuditConfig) -> pd.DataFrame:
    """The reports known at the end of ``month`` (reports of later months and late filings still to come)."""
    known = known_month(reports, cfg) <= month
    if known.all() and reports.index.equals(pd.RangeIndex(len(reports))):
        return reports
    return reports[known.to_numpy()].reset_index(drop=True)
