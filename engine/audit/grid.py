"""Monthly reports as dense [pair, month] arrays over a window of months (NaN = not reported)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

PAIR = ["enterprise_id", "variety_id"]


@dataclass(frozen=True)
class ReportGrid:
    """Rows = (enterprise, variety) pairs (``keys``), columns = ``months``; ``values`` name -> float [P, T]."""

    keys: pd.DataFrame
    months: pd.PeriodIndex
    values: dict[str, np.ndarray] = field(default_factory=dict)
    reported: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), bool))

    def get(self, name: str) -> np.ndarray:
        """The column's array, or all-NaN when the panel lacks the column."""
        return self.values.get(name, np.full(self.reported.shape, np.nan))


def report_grid(reports: pd.DataFrame, months: pd.PeriodIndex, columns: tuple[str, ...]) -> ReportGrid:
    """Scatter the reports of ``months`` into [pair, month] arrays (pairs sorted by variety, enterprise)."""
    pos = (pd.PeriodIndex(reports["month"], freq="M").asi8 - months[0].ordinal).astype(np.int64)
    inside = (pos >= 0) & (pos < len(months))
    rows = reports[inside]
    pos = pos[inside]
    keys = rows[PAIR].astype(str).drop_duplicates().sort_values(["variety_id", "enterprise_id"], kind="stable")
    keys = keys.reset_index(drop=True)
    index = pd.MultiIndex.from_frame(keys).get_indexer(pd.MultiIndex.from_frame(rows[PAIR].astype(str)))
    shape = (len(keys), len(months))
    reported = np.zeros(shape, bool)
    reported[index, pos] = True
    values = {}
    for column in columns:
        if column in rows:
            arr = np.full(shape, np.nan)
            arr[index, pos] = rows[column].to_numpy(dtype=float, na_value=np.nan)
            values[column] = arr
    return ReportGrid(keys=keys, months=months, values=values, reported=reported)
