"""The audit's output: one row per finding, validated by a pandera schema."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa

from shortage_radar.audit.settings import CHECKS
from shortage_radar.contract.months import MONTH_PATTERN

COLUMNS = ["month", "check", "severity", "province", "enterprise_id", "variety_id", "detail"]
SEVERITIES = ("high", "medium", "low")
LEVEL_NAMES = {1: "medium", 2: "high"}  # figures.py levels

FINDINGS_SCHEMA = pa.DataFrameSchema(
    {
        "month": pa.Column(str, pa.Check.str_matches(MONTH_PATTERN)),
        "check": pa.Column(str, pa.Check.isin(CHECKS)),
        "severity": pa.Column(str, pa.Check.isin(SEVERITIES)),
        "province": pa.Column(str, nullable=True),
        "enterprise_id": pa.Column(str, nullable=True),
        "variety_id": pa.Column(str),
        "detail": pa.Column(str, pa.Check.str_length(min_value=1)),
    },
    strict=True,
    ordered=True,
    name="audit_findings",
)


def empty() -> pd.DataFrame:
    """No findings, with the schema's columns."""
    return pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})


def frame(month: pd.Period, check: str, severity, province, enterprise_id, variety_id, detail) -> pd.DataFrame:
    """Findings of one check from equal-length sequences (``enterprise_id`` None on variety-level findings)."""
    n = len(detail)
    if n == 0:
        return empty()

    def text(values) -> np.ndarray:
        values = pd.Series(values if values is not None else [None] * n, dtype=object)
        return values.where(values.notna(), None).map(lambda v: None if v is None else str(v)).to_numpy()

    return pd.DataFrame({"month": str(month), "check": check, "severity": text(severity), "province": text(province),
                         "enterprise_id": text(enterprise_id), "variety_id": text(variety_id),
                         "detail": text(detail)}, columns=COLUMNS)


def finish(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """All findings in a stable order (check, severity, province, enterprise, variety), schema-checked."""
    parts = [p for p in parts if len(p)]
    out = pd.concat(parts, ignore_index=True) if parts else empty()
    order = {c: i for i, c in enumerate(CHECKS)}
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    out = out.assign(_c=out["check"].map(order), _s=out["severity"].map(rank))
    out = out.sort_values(["_c", "_s", "province", "enterprise_id", "variety_id"], kind="stable",
                          na_position="last").drop(columns=["_c", "_s"]).reset_index(drop=True)
    return FINDINGS_SCHEMA.validate(out)


def number(value: float) -> str:
    """A figure as words would carry it: thousands separated, huge values in scientific notation."""
    if not np.isfinite(value):
        return str(value)
    return f"{value:.3g}" if abs(value) >= 1e12 else f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}"
