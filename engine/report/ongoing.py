"""The "in shortage now" section: varieties whose shortage is ongoing, with its duration and producers affected."""

from __future__ import annotations

import pandas as pd

from shortage_radar.contract.panel import Panel


def _ongoing_events(known: Panel, month: pd.Period) -> pd.DataFrame:
    """Shortage events started by ``month`` and not ended before it (``known`` is cut at the month)."""
    if "shortage_events" not in known:
        return pd.DataFrame(columns=["variety_id", "start_month", "scope"])
    events = known["shortage_events"]
    open_ = (events["start_month"] <= month) & (events["end_month"].isna() | (events["end_month"] >= month))
    return events.loc[open_].assign(variety_id=lambda f: f["variety_id"].astype(str))


def _producers(known: Panel, month: pd.Period) -> dict[str, set[str]]:
    """Enterprises that reported each variety in the month."""
    if "monthly_reports" not in known:
        return {}
    reports = known["monthly_reports"]
    pairs = reports.loc[reports["month"] == month, ["variety_id", "enterprise_id"]].astype(str).drop_duplicates()
    return pairs.groupby("variety_id")["enterprise_id"].agg(set).to_dict()


def _suspended(known: Panel, month: pd.Period) -> dict[str, set[str]]:
    """Enterprises with a suspension of each variety running at the month."""
    if "suspensions" not in known:
        return {}
    s = known["suspensions"]
    running = (s["start_month"] <= month) & (s["actual_end_month"].isna() | (s["actual_end_month"] >= month))
    pairs = s.loc[running, ["variety_id", "enterprise_id"]].astype(str).drop_duplicates()
    return pairs.groupby("variety_id")["enterprise_id"].agg(set).to_dict()


def in_shortage(known: Panel, month: pd.Period, ongoing_ids: list[str]) -> list[dict]:
    """One record per variety in shortage at ``month``: since when, for how many months, scope, producers."""
    if not ongoing_ids:
        return []
    events = _ongoing_events(known, month)
    first = events.sort_values("start_month").drop_duplicates("variety_id").set_index("variety_id")
    producers, suspended = _producers(known, month), _suspended(known, month)
    records = []
    for vid in ongoing_ids:
        since = first["start_month"].get(vid)
        makers, stopped = producers.get(vid, set()), suspended.get(vid, set())
        records.append({
            "variety_id": vid, "since": None if since is None else str(since),
            "months": None if since is None else int((month - since).n) + 1,
            "scope": None if vid not in first.index or pd.isna(first.at[vid, "scope"]) else str(first.at[vid, "scope"]),
            "producers": len(makers | stopped), "suspended": sorted(stopped),
        })
    return records
