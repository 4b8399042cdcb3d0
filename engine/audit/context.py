"""What the audit of month t may look at: the panel as known at the end of t, over a window of months."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from shortage_radar.audit.filing import known_reports
from shortage_radar.audit.grid import ReportGrid, report_grid
from shortage_radar.audit.settings import AuditConfig
from shortage_radar.contract.panel import Panel

GRID_COLUMNS = ("production", "sales", "inventory", "capacity", "ex_factory_price", "contracted_volume",
                "delivered_volume")


@dataclass(frozen=True)
class AuditInput:
    """The known reports of the window (all of them, and as a grid whose last month is t) and context tables."""

    month: pd.Period
    cfg: AuditConfig
    reports: pd.DataFrame
    grid: ReportGrid
    provinces: pd.Series          # enterprise_id -> province
    suspensions: pd.DataFrame | None
    procurement: pd.DataFrame | None

    def province_of(self, enterprise_ids) -> np.ndarray:
        """Each enterprise's province (None when unknown)."""
        found = pd.Series(np.asarray(enterprise_ids, dtype=object)).map(self.provinces)
        return found.where(found.notna(), None).to_numpy()


def window_months(cfg: AuditConfig) -> int:
    """Months before t that any check looks back on."""
    return max(cfg.implausible_value.history_months, cfg.missing_report.recent_months + 1,
               cfg.under_delivery.months, cfg.price_spike.recent_months) + 1


def audit_input(panel: Panel, month: pd.Period, cfg: AuditConfig) -> AuditInput:
    """The audit's view of ``panel`` at the end of ``month``."""
    months = pd.period_range(month - window_months(cfg), month, freq="M")
    reports = panel.get("monthly_reports")
    if reports is None:
        reports = pd.DataFrame({c: pd.Series(dtype=float) for c in ("enterprise_id", "variety_id", *GRID_COLUMNS)})
        reports["month"] = pd.Series(dtype="period[M]")
    else:
        reports = known_reports(reports[reports["month"].between(months[0], month)], month, cfg)
    enterprises = panel.get("enterprises")
    provinces = (pd.Series(enterprises["province"].astype(object).to_numpy(),
                           index=enterprises["enterprise_id"].astype(str).to_numpy())
                 if enterprises is not None else pd.Series(dtype=object))
    suspensions = panel.get("suspensions")
    if suspensions is not None:
        suspensions = suspensions[suspensions["reported_month"] <= month]
    procurement = panel.get("procurement")
    if procurement is not None:
        procurement = procurement[procurement["month"].between(months[0], month)]
    return AuditInput(month=month, cfg=cfg, reports=reports, grid=report_grid(reports, months, GRID_COLUMNS),
                      provinces=provinces, suspensions=suspensions, procurement=procurement)
