"""Which as-of months the models can score on a panel, and the guard every scoring path calls first.

A month can be scored from the panel's first dated month (features need at least one known row) to
its last reported month (after it nothing is known, so the watchlist would be empty or invented).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from shortage_radar.contract.panel import Panel
from shortage_radar.errors import ShortageRadarError
from shortage_radar.features.grid import month_span


class MonthNotScorable(ShortageRadarError, ValueError):
    """The as-of month is outside the panel's scorable months: one line saying which months can be scored."""

    component = "month"


@dataclass(frozen=True)
class ScorableMonths:
    """The first and last as-of month the models can score on a panel (inclusive)."""

    first: pd.Period
    last: pd.Period

    def __contains__(self, month: pd.Period) -> bool:
        return self.first <= month <= self.last

    def __str__(self) -> str:
        return f"{self.first} .. {self.last}"

    def check(self, month: pd.Period) -> ScorableMonths:
        """Refuse ``month`` with one line naming the scorable months unless it is one of them."""
        if month not in self:
            where = "after the panel's last reported month" if month > self.last else "before the panel's first month"
            raise MonthNotScorable(f"month {month} cannot be scored ({where}); scorable months: {self}")
        return self


def from_span(span: tuple[pd.Period, pd.Period] | None, source: object) -> ScorableMonths:
    """The scorable months of a panel whose dated rows span ``span`` (None: no dated rows)."""
    if span is None:
        raise MonthNotScorable(f"{source}: the panel has no dated rows, so no month can be scored")
    return ScorableMonths(pd.Period(span[0], freq="M"), pd.Period(span[1], freq="M"))


def scorable_months(panel: Panel) -> ScorableMonths:
    """The panel's scorable months; MonthNotScorable when it has no dated rows at all."""
    return from_span(month_span(panel), panel.source)


def check_scorable(panel: Panel, month: pd.Period) -> ScorableMonths:
    """Refuse ``month`` unless the models can score it on ``panel`` (call before anything is written)."""
    return scorable_months(panel).check(month)
