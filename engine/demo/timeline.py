"""The panel's months: labels (``YYYY-MM``), month of year, and month lookups."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from shortage_radar.demo.settings import CalendarConfig

MONTHS_PER_YEAR = 12


@dataclass(frozen=True)
class Timeline:
    """``n`` consecutive months starting at ``start`` (a pandas monthly Period)."""

    start: pd.Period
    n: int

    @classmethod
    def from_config(cls, cfg: CalendarConfig) -> Timeline:
        """The timeline of a calendar config."""
        return cls(pd.Period(cfg.start_month, freq="M"), cfg.n_months)

    @property
    def labels(self) -> np.ndarray:
        """``YYYY-MM`` label of each month index."""
        return self.labels_upto(self.n)

    def labels_upto(self, n: int) -> np.ndarray:
        """``YYYY-MM`` labels of month indices ``0 .. n-1`` (may run past the panel's end)."""
        return np.array([str(self.start + i) for i in range(n)], dtype=object)

    @property
    def month_of_year(self) -> np.ndarray:
        """Calendar month (1..12) of each month index."""
        return (self.start.month - 1 + np.arange(self.n)) % MONTHS_PER_YEAR + 1

    @property
    def years(self) -> np.ndarray:
        """Years elapsed since the start, per month index (fractional)."""
        return np.arange(self.n) / MONTHS_PER_YEAR

    def index_of(self, month: str) -> int:
        """Month index of a ``YYYY-MM`` label (may fall outside ``0..n-1``)."""
        return (pd.Period(month, freq="M") - self.start).n
