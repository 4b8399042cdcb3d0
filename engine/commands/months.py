"""Parse a ``YYYY-MM`` command-line month or fail with one line."""

from __future__ import annotations

import pandas as pd

from shortage_radar.commands.console import fail
from shortage_radar.contract.months import FIRST_YEAR, LAST_YEAR, MONTH_RE


def parse_month(text: str, option: str) -> pd.Period:
    if not MONTH_RE.match(text.strip()):
        fail(f"{option} {text!r}: expected a month as YYYY-MM ({FIRST_YEAR}-01 .. {LAST_YEAR}-12)")
    return pd.Period(text.strip(), freq="M")
