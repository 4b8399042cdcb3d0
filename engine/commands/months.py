"""Parse a ``YYYY-MM`` command-line month or fail with one line."""

from __future__ import annotations

import re

import pandas as pd

from shortage_radar.commands.console import fail

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def parse_month(text: str, option: str) -> pd.Period:
    if not _MONTH.match(text.strip()):
        fail(f"{option} {text!r}: expected a month as YYYY-MM")
    return pd.Period(text.strip(), freq="M")
