"""What the audit of month t may look at: the panel as known at the end of t, over a window of months."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from shortage_radar.audit.filing import known_month, known_reports
from shortage_radar.audit.grid import ReportGrid, report_grid
from shortage_radar.audit.settings import AuditConfig
from shortage_radar.contract.panel import Panel, RowFilter
from shortage_radar.contract.parse import parse_date, parse_month
from shortage_radar.contract.settings import contract_config

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


AUDITED_TABLES = ("varieties", "enterprises", "monthly_reports", "suspensions", "procurement")
WINDOWED_TABLES = ("monthly_reports", "procurement")


def window_rows(month: pd.Period, cfg: AuditConfig) -> RowFilter:
    """A ``read_panel`` row filter keeping what the audit of ``month`` reads: the window's reports and
    purchases (and reports of earlier months that may have been filed late), nothing of other tables."""
    first = month - window_months(cfg)

    def keep(table: str, raw: pd.DataFrame) -> pd.DataFrame:
        if table not in AUDITED_TABLES:
            return raw.iloc[:0]
        if table not in WINDOWED_TABLES or "month" not in raw:
            return raw
        months = parse_month(raw["month"], contract_config())[0]
        keep = months.between(first, month)
        if table == "monthly_reports" and "filed_on" in raw:
            keep |= parse_date(raw["filed_on"], contract_config())[0].dt.to_period("M") == month
        return raw[keep.to_numpy()]

    return keep


def audit_input(panel: Panel, month: pd.Period, cfg: AuditConfig) -> AuditInput:
    """The audit's view of ``panel`` at the end of ``month``."""
    months = pd.period_range(month - window_months(cfg), month, freq="M")
    reports = panel.get("monthly_reports")
    if reports is None:
        reports = pd.DataFrame({c: pd.Series(dtype=float) for c in ("enterprise_id", "variety_id", *GRID_COLUMNS)})
        reports["month"] = pd.Series(dtype="period[M]")
    else:
        recent = reports["month"].between(months[0], month) | (known_month(reports, cfg) == month)
        reports = known_reports(reports[recent.to_numpy()], month, cfg)
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
