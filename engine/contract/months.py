"""What a month is in this project: ``YYYY-MM`` with a year the engine can represent and reason about.

One definition for the panel reader, the command line and the HTTP API, so that a month one of them
accepts never crashes another (pandas has no year 0, and nothing here predates 1900).
"""

from __future__ import annotations

import re

FIRST_YEAR, LAST_YEAR = 1900, 2199  # the contract's range of months; outside it a month is unparseable
MONTH_PATTERN = r"^(19|20|21)\d{2}-(0[1-9]|1[0-2])$"  # YYYY-MM within FIRST_YEAR .. LAST_YEAR
MONTH_RE = re.compile(MONTH_PATTERN)


def year_in_range(year: int) -> bool:
    """True for the years a contract month may have."""
    return FIRST_YEAR <= year <= LAST_YEAR
