"""Procured volumes delivered in full (按照采购协议足量供货): deliveries well below the contracted volume."""

from __future__ import annotations

import numpy as np
import pandas as pd

from shortage_radar.audit import findings
from shortage_radar.audit.context import AuditInput

number = findings.number


def under_delivery(inp: AuditInput) -> pd.DataFrame:
    """Delivered below ``ratio`` of the contract in each of the last ``months`` months (t included)."""
    cfg, g = inp.cfg.under_delivery, inp.grid
    contracted = g.get("contracted_volume")[:, -cfg.months:]
    delivered = g.get("delivered_volume")[:, -cfg.months:]
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(contracted > 0, delivered / contracted, np.nan)
    short = (share < cfg.ratio).all(axis=1)  # NaN (not reported, no contract) never counts as short
    rows = np.flatnonzero(short)
    keys = g.keys.iloc[rows]
    detail = [f"delivered {number(delivered[r, -1])} of {number(contracted[r, -1])} contracted in {inp.month} "
              f"({share[r, -1]:.0%}); below {cfg.ratio:.0%} in each of the last {cfg.months} month(s) "
              f"(lowest {np.min(share[r]):.0%})" for r in rows]
    severity = np.where((share[rows] < cfg.high_ratio).all(axis=1), "high", "medium")
    return findings.frame(inp.month, "under_delivery", severity, inp.province_of(keys["enterprise_id"]),
                          keys["enterprise_id"], keys["variety_id"], detail)
