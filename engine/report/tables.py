"""The watchlist table of the report: one record per row, with names and the change since last month."""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

KEYS = ["entity", "variety_id", "enterprise_id"]
# Watchlist extension columns shown when the frame has them (contract v1.1); absent ones are left out.
OPTIONAL = ("impact", "level_reason", "drivers_zh")


def normalise(watchlist: pd.DataFrame, month: pd.Period | None = None) -> pd.DataFrame:
    """Contract watchlist rows (of ``month`` when given) with string ids and plain numbers."""
    frame = watchlist.copy()
    frame["enterprise_id"] = frame["enterprise_id"].fillna("").astype(str).replace({"nan": "", "<NA>": ""})
    frame["variety_id"] = frame["variety_id"].astype(str)
    frame["entity"] = frame["entity"].astype(str)
    frame["month"] = frame["month"].astype(str)
    if month is not None:
        frame = frame[frame["month"] == str(month)]
    frame["drivers"] = frame["drivers"].fillna("").astype(str) if "drivers" in frame else ""
    frame["ongoing"] = frame["ongoing"].fillna(False).astype(bool) if "ongoing" in frame else False
    frame["warning_level"] = frame["warning_level"].astype(int)
    frame["rank"] = frame["rank"].astype(int)
    frame["risk"] = frame["risk"].astype(float)
    return frame.sort_values(["entity", "rank"], ascending=[False, True], kind="stable").reset_index(drop=True)


def severity(level: pd.Series) -> np.ndarray:
    """0 for no warning, 1 blue .. 4 red: larger is more severe (levels count down from 4 to 1)."""
    lv = level.to_numpy(dtype=float)
    return np.where(lv > 0, 5 - lv, 0)


def changes(current: pd.DataFrame, previous: pd.DataFrame | None) -> pd.DataFrame:
    """Per current row: change of level (new/up/down/same, '' without a previous month), old level, rank move."""
    if previous is None:
        return pd.DataFrame({"change": "", "prev_level": np.nan, "rank_move": np.nan}, index=current.index)
    prev = previous[[*KEYS, "warning_level", "rank"]].rename(columns={"warning_level": "prev_level",
                                                                      "rank": "prev_rank"})
    merged = current[KEYS].merge(prev.drop_duplicates(KEYS), on=KEYS, how="left")
    merged.index = current.index
    now = severity(current["warning_level"])
    before = severity(merged["prev_level"].fillna(0))
    change = np.select([(now > 0) & (before == 0), now > before, now < before], ["new", "up", "down"], "same")
    return pd.DataFrame({"change": change, "prev_level": merged["prev_level"],
                         "rank_move": merged["prev_rank"] - current["rank"]}, index=current.index)


def _number(value: float) -> float | None:
    return None if pd.isna(value) else float(value)


def optional_columns(frame: pd.DataFrame) -> list[str]:
    """The extension columns present in ``frame`` with at least one value."""
    return [c for c in OPTIONAL if c in frame and frame[c].notna().any()]


def _optional(value) -> float | str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return round(float(value), 3) if isinstance(value, numbers.Number) else str(value)


def table_records(current: pd.DataFrame, previous: pd.DataFrame | None) -> list[dict]:
    """The rows the page's table shows, in watchlist order (varieties first, by rank)."""
    moved = changes(current, previous)
    extra = optional_columns(current)
    records = []
    for row, chg in zip(current.itertuples(index=False), moved.itertuples(index=False), strict=True):
        records.append({
            **{c: _optional(getattr(row, c)) for c in extra},
            "entity": row.entity, "variety_id": row.variety_id, "enterprise_id": row.enterprise_id,
            "rank": int(row.rank), "risk": round(float(row.risk), 6), "level": int(row.warning_level),
            "tier": str(row.response_tier), "drivers": row.drivers, "ongoing": bool(row.ongoing),
            "change": chg.change, "prev_level": None if pd.isna(chg.prev_level) else int(chg.prev_level),
            "rank_move": _number(chg.rank_move),
        })
    return records


def level_counts(current: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Rows per entity and warning level, for the page's summary line."""
    counts = current.groupby(["entity", "warning_level"]).size()
    return {str(e): {str(int(lv)): int(n) for (ent, lv), n in counts.items() if ent == e}
            for e in current["entity"].unique()}
