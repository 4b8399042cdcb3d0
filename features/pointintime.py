"""What was known at the end of month t: the panel as an analyst would have seen it then."""

from __future__ import annotations

import pandas as pd

from shortage_radar.audit.filing import known_reports
from shortage_radar.audit.settings import audit_config
from shortage_radar.contract.panel import Panel

MONTH_KEYED = ("monthly_reports", "institution_reports", "procurement")
END_COLUMNS = {"suspensions": ("actual_end_month",), "shortage_events": ("end_month",),
               "supply_disruptions": ("end_month",)}
KNOWN_FROM = {"suspensions": "reported_month", "shortage_events": "start_month", "supply_disruptions": "start_month"}


def _rows_up_to(frame: pd.DataFrame, month: pd.Period) -> pd.DataFrame:
    """The rows dated by ``month``; the frame itself when that is all of them (the monthly run scores
    the panel's last month: no copy of its largest tables). Panels are never changed in place."""
    known = frame["month"] <= month
    if known.all() and frame.index.equals(pd.RangeIndex(len(frame))):
        return frame
    return frame[known].reset_index(drop=True)


def as_known_at(panel: Panel, month: pd.Period) -> Panel:
    """Drop rows not yet known at the end of ``month`` and blank ends that lie after it.

    A monthly report filed after its deadline (``filed_on``) is known only from the month it was filed in.
    """
    tables = {}
    for name, frame in panel.tables.items():
        if name in MONTH_KEYED:
            tables[name] = _rows_up_to(frame, month)
            if name == "monthly_reports":
                tables[name] = known_reports(tables[name], month, audit_config())
            continue
        if name in KNOWN_FROM:
            frame = frame[frame[KNOWN_FROM[name]] <= month].copy()
            for column in END_COLUMNS[name]:
                frame[column] = frame[column].where(frame[column] <= month)
        tables[name] = frame.reset_index(drop=True)
    return Panel(source=panel.source, tables=tables, quarantine=panel.quarantine, results=panel.results)
