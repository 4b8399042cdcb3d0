"""The report's view of past runs: each variety's risk and level in every stored month, compactly."""

from __future__ import annotations

import pandas as pd

HISTORY_COLUMNS = ["variety_id", "month", "risk", "warning_level", "rank"]


def run_history(history: pd.DataFrame | None, month: pd.Period, max_months: int) -> dict:
    """``{"months": [...], "rows": {variety_id: [[risk, level, rank] or None per month]}}``.

    ``history`` is ``Store.variety_history()`` (the current run of every month); only months up to the
    report's month are kept (a report never shows what was scored later), at most ``max_months``.
    """
    if history is None or history.empty:
        return {"months": [], "rows": {}}
    frame = history.reindex(columns=HISTORY_COLUMNS).copy()
    frame["month"] = frame["month"].astype(str)
    months = sorted(m for m in frame["month"].unique() if m <= str(month))[-max_months:]
    frame = frame[frame["month"].isin(months)]
    position = {m: i for i, m in enumerate(months)}
    rows: dict[str, list] = {}
    for rec in frame.itertuples(index=False):
        points = rows.setdefault(str(rec.variety_id), [None] * len(months))
        points[position[rec.month]] = [round(float(rec.risk), 4), int(rec.warning_level), int(rec.rank)]
    return {"months": months, "rows": rows}


def with_current(history: pd.DataFrame | None, current: pd.DataFrame, month: pd.Period) -> pd.DataFrame:
    """The stored history with the report's own variety rows as its month (a run being written is not stored yet)."""
    own = current.loc[current["entity"] == "variety", ["variety_id", "risk", "warning_level", "rank"]]
    own = own.assign(month=str(month))
    if history is None or history.empty:
        return own.reindex(columns=HISTORY_COLUMNS)
    past = history[history["month"].astype(str) != str(month)].reindex(columns=HISTORY_COLUMNS)
    return pd.concat([past, own.reindex(columns=HISTORY_COLUMNS)], ignore_index=True)
