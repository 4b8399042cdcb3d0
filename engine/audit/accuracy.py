"""Data accuracy (审核数据的准确性): stock that does not follow from the flows, implausible figures."""

from __future__ import annotations

import numpy as np
import pandas as pd

from shortage_radar.audit import findings
from shortage_radar.audit.context import AuditInput
from shortage_radar.audit.figures import HIGH, NONE, judged_columns, physical_levels, stock_gaps

number = findings.number


def _pair_frame(inp: AuditInput, check: str, rows: np.ndarray, levels: np.ndarray, detail: list[str]) -> pd.DataFrame:
    keys = inp.grid.keys.iloc[rows]
    severity = [findings.LEVEL_NAMES[int(level)] for level in levels]
    return findings.frame(inp.month, check, severity, inp.province_of(keys["enterprise_id"]), keys["enterprise_id"],
                          keys["variety_id"], detail)


def stock_flow(inp: AuditInput) -> pd.DataFrame:
    """Inventory that does not follow from last month's inventory + production - sales."""
    g = inp.grid
    prod, sales, inv = g.get("production"), g.get("sales"), g.get("inventory")
    level, gap, scale = stock_gaps(prod[:, -2:], sales[:, -2:], inv[:, -2:], inp.cfg.stock_flow)
    rows = np.flatnonzero(level[:, -1] > NONE)
    expected = inv[:, -2] + prod[:, -1] - sales[:, -1]
    detail = [f"inventory {number(inv[r, -1])} but last month's {number(inv[r, -2])} + production "
              f"{number(prod[r, -1])} - sales {number(sales[r, -1])} = {number(expected[r])}"
              f" (gap {number(gap[r, -1])}, {abs(gap[r, -1]) / scale[r, -1]:.0%} of the flows)" for r in rows]
    return _pair_frame(inp, "stock_flow", rows, level[rows, -1], detail)


def _judged(inp: AuditInput) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Per column: history level, ratio to the history's edge, physical level, in month t."""
    g, cfg = inp.grid, inp.cfg.implausible_value
    physical = physical_levels(g.get("production"), g.get("sales"), g.get("inventory"), g.get("capacity"), cfg)
    out = {}
    for column, (level, ratio) in judged_columns(g.values, cfg).items():
        phys = physical[column][:, -1] if column in physical else np.zeros(len(level), np.int8)
        out[column] = (level[:, -1], ratio[:, -1], phys)
    return out


def _why(inp: AuditInput, column: str, r: int, ratio: float, history: int, physical: int) -> str:
    g, cfg = inp.grid, inp.cfg.implausible_value
    value = g.values[column][r, -1]
    parts = [f"{column} {number(value)}"]
    if value > cfg.absolute_max:
        parts.append(f"above any possible monthly volume ({number(cfg.absolute_max)})")
    elif history:
        parts.append(f"{ratio:,.0f}x beyond the pair's reports of the last {cfg.history_months} months")
    if physical and column == "production":
        parts.append(f"capacity {number(g.get('capacity')[r, -1])}")
    if physical and column == "sales":
        allowed = g.get("inventory")[r, -2] + g.get("production")[r, -1]
        parts.append(f"last inventory + production only {number(allowed)}")
    return ", ".join(parts)


def implausible_value(inp: AuditInput) -> pd.DataFrame:
    """Figures far outside the pair's own history, above what can exist, or physically inconsistent."""
    judged = _judged(inp)
    rows: list[int] = []
    levels: list[int] = []
    detail: list[str] = []
    for column, (history, ratio, physical) in judged.items():
        worst = np.maximum(history, physical)
        for r in np.flatnonzero(worst > NONE):
            rows.append(int(r))
            levels.append(int(worst[r]))
            detail.append(_why(inp, column, int(r), float(ratio[r]), int(history[r]), int(physical[r])))
    return _pair_frame(inp, "implausible_value", np.array(rows, dtype=int), np.array(levels), detail)


def high_rows(inp: AuditInput) -> np.ndarray:
    """Pairs with a high-severity implausible figure in month t."""
    hit = np.zeros(len(inp.grid.keys), bool)
    for history, _, physical in _judged(inp).values():
        hit |= np.maximum(history, physical) >= HIGH
    return hit
