"""Merge the observations of each Drug Shortages Canada report into one row, point in time.

Amended reports are one report (same Report ID in several exports and snapshot days): the values
a company filed (anticipated start, estimated end, reason, discontinuation date) are taken as first
seen; what happened (status, actual start and end, reversal) as last seen. When a later snapshot is
the first to show that a shortage began (status actual or resolved, or an actual start date) or
ended (resolved or avoided, or an actual end date) where an earlier one did not, the month of that
snapshot is when it became public, and the panel uses it instead of a back-dated month.
"""

from __future__ import annotations

import pandas as pd

FILED = ("anticipated_start", "estimated_end", "reason", "disc_date")
OUTCOME = ("status", "actual_start", "actual_end", "reversal")
IDENTITY = ("kind", "din", "company", "ingredients", "form", "route", "created")
CLOSED = ("resolved", "avoided")
HAPPENED = ("actual", "resolved")


def _first_public(obs: pd.DataFrame, flag: pd.Series) -> pd.Series:
    """Per report, the date ``flag`` first held, when an earlier observation did not show it (else NaT)."""
    first_any = obs.groupby("report_id")["seen"].min()
    first_true = obs[flag.to_numpy()].groupby("report_id")["seen"].min()
    later = first_true[first_true > first_any.reindex(first_true.index)]
    return later.reindex(first_any.index)


def merge_observations(obs: pd.DataFrame, statuses: dict[str, str]) -> pd.DataFrame:
    """One row per report seen in at least one export, with the public dates of its start and end."""
    obs = obs.assign(status=obs["status"].str.lower().map(statuses)).sort_values(
        ["report_id", "seen", "in_export"], kind="stable")
    gone = obs[obs["event"].fillna("") == "disappeared"].groupby("report_id")["seen"].max()
    visible = obs[obs["event"].fillna("") != "disappeared"]
    exports = visible[visible["in_export"].astype(bool)]
    identity = exports.drop_duplicates("report_id", keep="last").set_index("report_id")[list(IDENTITY)]
    filed = visible.groupby("report_id")[list(FILED)].first()
    outcome = visible.drop_duplicates("report_id", keep="last").set_index("report_id")[list(OUTCOME)]
    begun = visible["actual_start"].notna() | visible["status"].isin(HAPPENED)
    ended = visible["actual_end"].notna() | visible["status"].isin(CLOSED)
    reversed_ = visible["reversal"].fillna("").str.lower().eq("yes")
    dates = pd.DataFrame({
        "start_public": _first_public(visible, begun),
        "end_public": _first_public(visible, ended),
        "reversed_public": _first_public(visible, reversed_),
        "last_seen": visible.groupby("report_id")["seen"].max(),
        "disappeared": gone,
        "observed_until": exports.groupby("report_id")["observed_until"].max(),
    })
    merged = identity.join(filed).join(outcome).join(dates, how="left")
    return merged.reset_index()


def merge_counts(obs: pd.DataFrame, merged: pd.DataFrame) -> dict[str, int]:
    """What the merge did, for the import summary."""
    exported = obs[obs["in_export"].astype(bool)]
    return {"observations": int(len(obs)), "export_rows": int(len(exported)),
            "reports": int(len(merged)),
            "reports_in_several_exports": int((exported.groupby("report_id").size() > 1).sum()),
            "history_only_reports": int(obs["report_id"].nunique() - len(merged))}
