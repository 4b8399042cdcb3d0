"""Audit one month of a panel: every configured check on what was known at the end of that month."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from shortage_radar.audit import findings
from shortage_radar.audit.accuracy import implausible_value, stock_flow
from shortage_radar.audit.compliance import late_report, missing_report
from shortage_radar.audit.context import AuditInput, audit_input
from shortage_radar.audit.delivery import under_delivery
from shortage_radar.audit.prices import price_spike
from shortage_radar.audit.settings import AuditConfig, audit_config
from shortage_radar.contract.months import FIRST_YEAR, LAST_YEAR, MONTH_RE
from shortage_radar.contract.panel import Panel
from shortage_radar.errors import ArgumentError

CHECK_FUNCTIONS: dict[str, Callable[[AuditInput], pd.DataFrame]] = {
    "missing_report": missing_report,
    "late_report": late_report,
    "stock_flow": stock_flow,
    "implausible_value": implausible_value,
    "under_delivery": under_delivery,
    "price_spike": price_spike,
}


def as_month(month: pd.Period | str) -> pd.Period:
    """A month given as a Period or ``YYYY-MM`` text; :class:`ArgumentError` for anything else."""
    if isinstance(month, pd.Period):
        return month.asfreq("M")
    if not MONTH_RE.match(str(month).strip()):
        raise ArgumentError(f"month {month!r}: expected YYYY-MM ({FIRST_YEAR}-01 .. {LAST_YEAR}-12)")
    return pd.Period(str(month).strip(), freq="M")


def audit(panel: Panel, month: pd.Period | str, config: AuditConfig | None = None) -> pd.DataFrame:
    """One row per finding of month t (``month, check, severity, province, enterprise_id, variety_id, detail``)."""
    cfg = config or audit_config()
    inp = audit_input(panel, as_month(month), cfg)
    return findings.finish([CHECK_FUNCTIONS[name](inp) for name in cfg.checks])
