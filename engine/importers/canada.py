"""Drug Shortages Canada (voluntary 2013-2016, mandatory 2017-2018 and 2023) -> common report rows."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from shortage_radar.importers.canada_merge import CLOSED, HAPPENED, merge_counts, merge_observations
from shortage_radar.importers.canada_read import (
    SourceError,
    SourceFiles,
    export_observations,
    find_files,
    history_observations,
    voluntary_reports,
)
from shortage_radar.importers.dates import coalesce, later, to_month
from shortage_radar.importers.reports import COLUMNS, identify, map_reasons, usable
from shortage_radar.importers.settings import RealDataConfig

EXPORT_KINDS = ("dsc_export", "dsc_shortages", "dsc_discontinuations", "dsc_created")


def _month(frame: pd.DataFrame, column: str) -> pd.Series:
    return to_month(frame[column])


def _seen_month(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values).dt.to_period("M").astype("period[M]")


def _not_after(months: pd.Series, limit: pd.Series) -> pd.Series:
    """Actual dates cannot lie after the last observation (typos like 2108): those read as missing."""
    return months.where(~(months > limit))


def _shortage_dates(r: pd.DataFrame, created: pd.Series, last: pd.Series) -> dict[str, pd.Series]:
    """Start as filed; when it began and ended as far as the public could tell (see canada_merge)."""
    actual = _not_after(_month(r, "actual_start"), last)
    anticipated = _month(r, "anticipated_start")
    begun = later(coalesce(actual, anticipated), created, _seen_month(r["start_public"]))
    ended = r["status"].isin(CLOSED) | r["actual_end"].notna()
    end_at = coalesce(_not_after(_month(r, "actual_end"), last), last.where(ended))  # no date: when last seen
    return {"filed_start": coalesce(anticipated, actual, created),
            "event_start": begun.where(r["status"].isin(HAPPENED)),
            "end": later(end_at, _seen_month(r["end_public"])).where(ended),
            "expected_end": _month(r, "estimated_end")}


def _discontinuation_dates(r: pd.DataFrame, created: pd.Series, last: pd.Series) -> dict[str, pd.Series]:
    """Planned date as filed; never a shortage; ends only if reversed (when the reversal was shown)."""
    reversed_ = r["reversal"].fillna("").str.lower().eq("yes")
    return {"filed_start": coalesce(_month(r, "disc_date"), created),
            "event_start": pd.Series(pd.NaT, index=r.index, dtype="period[M]"),
            "end": coalesce(_seen_month(r["reversed_public"]), last).where(reversed_),
            "expected_end": pd.Series(pd.NaT, index=r.index, dtype="period[M]")}


def _dsc_reports(merged: pd.DataFrame, cfg: RealDataConfig) -> pd.DataFrame:
    """Merged mandatory-era reports -> report rows (shortage and discontinuation alike)."""
    created = _month(merged, "created")
    last = _seen_month(merged["last_seen"])
    shortage = merged["kind"].eq("shortage")
    s = _shortage_dates(merged, created, last)
    d = _discontinuation_dates(merged, created, last)
    rows = pd.DataFrame({k: s[k].where(shortage, d[k]) for k in s})
    rows["end"] = coalesce(rows["end"], _seen_month(merged["disappeared"]))
    rows["reason"] = map_reasons(merged["reason"], cfg).where(shortage, "discontinued")
    base = merged.assign(source="dsc", reported=created, **rows)
    return identify(base, merged["ingredients"], merged["form"], merged["route"], merged["company"], cfg)


def _voluntary_rows(raw: pd.DataFrame, cfg: RealDataConfig) -> pd.DataFrame:
    """Voluntary-era records: posted at their start (or at their last update, if that was earlier).

    A resolved record ended, as far as anyone could tell, at its last update; a current one is open.
    """
    start = to_month(raw["start"])
    updated = to_month(raw["updated"])
    resolved = raw["status"].str.lower().eq("resolved")
    avoided = resolved & (updated < start)
    base = raw.assign(
        source="voluntary", kind="shortage", reported=start.where(~(updated < start), updated),
        filed_start=start, event_start=start.where(~avoided), expected_end=pd.NaT,
        end=updated.where(resolved),
        reason=pd.Series("other", index=raw.index, dtype="string").where(
            raw["discontinued"].fillna("").str.lower().ne("yes"), "discontinued"))
    base["expected_end"] = base["expected_end"].astype("period[M]")
    return identify(base, raw["ingredients"], raw["form"], raw["route"], raw["company"], cfg)


def _observations(files: SourceFiles, cfg: RealDataConfig) -> pd.DataFrame:
    parts = [export_observations(p, cfg.canada.files[k]) for k in EXPORT_KINDS for p in files.get(k)]
    parts += [history_observations(p) for p in files.get("dsc_history")]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def canada_reports(folders: list[Path], cfg: RealDataConfig) -> tuple[pd.DataFrame, dict, SourceFiles]:
    """Every usable report of the folders as common report rows, and what was merged or dropped."""
    files = find_files(folders, cfg.canada)
    parts, summary = [], {}
    obs = _observations(files, cfg)
    if len(obs) and obs["in_export"].any():
        merged = merge_observations(obs, cfg.canada.statuses)
        summary["dsc"] = merge_counts(obs, merged)
        parts.append(_dsc_reports(merged, cfg))
    for path in files.get("voluntary"):
        raw = voluntary_reports(path, cfg.canada.files["voluntary"])
        summary.setdefault("voluntary", {})["records"] = int(len(raw))
        parts.append(_voluntary_rows(raw, cfg))
    if not parts:
        raise SourceError("no shortage or discontinuation reports found in " + ", ".join(map(str, folders)))
    reports = pd.concat([p.reindex(columns=list(COLUMNS)) for p in parts], ignore_index=True)
    reports, dropped = usable(reports)
    summary["dropped"] = dropped
    return reports, summary, files
