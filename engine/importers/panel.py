"""Common report rows -> the contract tables (varieties, enterprises, suspensions, events, disruptions).

* `suspensions`: every report (shortage or discontinuation), starting at max(start as filed, posting
  month) so that it is never known before it was posted; several reports of one company, variety and
  start month (package sizes, re-filings) are one row.
* `supply_disruptions` (pair labels) and `shortage_events` (variety labels): reports whose shortage
  actually began, from the month that became public, merged into episodes per pair and per variety.
* A source sees nothing after the last month it covers (``observed_until``): a shortage starting
  later is unknown, and a shortage report still open then is closed the month after, when the
  panel goes on without that source (what followed is not known; a later source re-reports what
  was still short). Discontinuations stay open: they are permanent. Ends after the panel's last
  month are not known yet.
"""

from __future__ import annotations

import pandas as pd

from shortage_radar.importers.dates import later, month_text
from shortage_radar.importers.episodes import collapse_keys, episodes
from shortage_radar.importers.names import display_name
from shortage_radar.importers.settings import RealDataConfig

PAIR = ["enterprise_id", "variety_id"]


def _within(months: pd.Series, last: pd.Period) -> pd.Series:
    """Months after ``last`` are not known yet: missing."""
    return months.where(~(months > last))


def close_unseen(reports: pd.DataFrame, last: pd.Period) -> pd.DataFrame:
    """Open shortage reports of a source that stops before the panel does end when it stops."""
    stopped = reports["kind"].eq("shortage") & reports["end"].isna() & (reports["observed_until"] < last)
    closed = reports["end"].where(~stopped, reports["observed_until"] + 1)
    return reports.assign(end=closed)


def suspensions(reports: pd.DataFrame, last: pd.Period, cfg: RealDataConfig) -> pd.DataFrame:
    """Every report as a suspension, never starting before it was posted; one row per key."""
    start = later(reports["filed_start"], reports["reported"])
    end = _within(reports["end"], last)
    rows = pd.DataFrame({
        "enterprise_id": reports["enterprise_id"], "variety_id": reports["variety_id"], "start_month": start,
        "reported_month": reports["reported"],
        "expected_end_month": reports["expected_end"].where(~(reports["expected_end"] < start)),
        "actual_end_month": later(end, start).where(end.notna()), "reason": reports["reason"]})
    out = collapse_keys(rows, [*PAIR, "start_month"], cfg.reason_priority)
    return out[["enterprise_id", "variety_id", "start_month", "reported_month", "expected_end_month",
                "actual_end_month", "reason"]]


def _happened(reports: pd.DataFrame, last: pd.Period) -> pd.DataFrame:
    """Actual shortages begun within their source's coverage, ends clamped to at least their start."""
    known = reports[reports["event_start"].notna() & ~(reports["event_start"] > reports["observed_until"])
                    & ~(reports["event_start"] > last)]
    end = _within(known["end"], last)
    return known.assign(start=known["event_start"], end=later(end, known["event_start"]).where(end.notna()))


def disruptions(reports: pd.DataFrame, last: pd.Period, cfg: RealDataConfig) -> pd.DataFrame:
    """Pair labels: episodes of actual shortages per company and variety."""
    out = episodes(_happened(reports, last), PAIR, cfg.reason_priority)
    return out.rename(columns={"start": "start_month", "end": "end_month"})[[*PAIR, "start_month", "end_month"]]


def shortage_events(reports: pd.DataFrame, last: pd.Period, cfg: RealDataConfig) -> pd.DataFrame:
    """Variety labels: episodes of actual shortages per variety (ongoing while any report is open)."""
    out = episodes(_happened(reports, last), ["variety_id"], cfg.reason_priority)
    return pd.DataFrame({"variety_id": out["variety_id"], "start_month": out["start"], "end_month": out["end"],
                         "scope": cfg.scope, "provinces": pd.NA, "reason": out["reason"]})


def varieties(reports: pd.DataFrame, reference: pd.DataFrame) -> pd.DataFrame:
    """One row per variety; its generic name is the commonest spelling of its ingredient key (any form).

    No Canadian or US list plays the part of the national shortage or key monitoring lists, so
    both flags are false (deriving them from the reports would reveal later reports).
    """
    keys = reports[["variety_id", "ingredient_key", "dosage_form"]].drop_duplicates("variety_id")
    keys = keys.sort_values("variety_id", kind="stable").reset_index(drop=True)
    names = display_name(reports["ingredients"], reports["ingredient_key"])
    ref = reference.reindex(keys["ingredient_key"].to_numpy())
    essential = ref["essential"].astype("boolean")
    if reference.attrs.get("has_essential_list"):
        essential = essential.fillna(False)
    return pd.DataFrame({
        "variety_id": keys["variety_id"], "generic_name": names.reindex(keys["ingredient_key"]).to_numpy(),
        "dosage_form": keys["dosage_form"], "on_shortage_list": False, "on_key_monitoring_list": False,
        "vbp_batch": pd.NA, "essential": essential.to_numpy(),
        "therapeutic_class": ref["therapeutic_class"].to_numpy()})


def enterprises(reports: pd.DataFrame, cfg: RealDataConfig) -> pd.DataFrame:
    """One row per company key, named by its commonest spelling."""
    names = display_name(reports["company"], reports["enterprise_id"])
    ids = pd.Index(sorted(reports["enterprise_id"].dropna().unique()))
    return pd.DataFrame({"enterprise_id": ids, "name": names.reindex(ids).to_numpy(), "province": cfg.province,
                         "is_reserve": False})


def _as_text(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Months as YYYY-MM, booleans as true/false, rows sorted by the table's key."""
    out = frame.copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.PeriodDtype):
            out[col] = month_text(out[col])
        elif out[col].dtype == bool or str(out[col].dtype) == "boolean":
            out[col] = out[col].map({True: "true", False: "false"}).astype("string")
    out = out.astype({c: "string" for c in out.columns if out[c].dtype == object})
    return out.sort_values(keys, kind="stable").reset_index(drop=True)


def contract_tables(reports: pd.DataFrame, reference: pd.DataFrame, cfg: RealDataConfig) -> dict[str, pd.DataFrame]:
    """All contract tables of the panel, as text, sorted, ready to write."""
    last = reports["observed_until"].max()
    reports = close_unseen(reports, last)
    tables = {
        "varieties": (varieties(reports, reference), ["variety_id"]),
        "enterprises": (enterprises(reports, cfg), ["enterprise_id"]),
        "suspensions": (suspensions(reports, last, cfg), [*PAIR, "start_month"]),
        "shortage_events": (shortage_events(reports, last, cfg), ["variety_id", "start_month"]),
        "supply_disruptions": (disruptions(reports, last, cfg), [*PAIR, "start_month"]),
    }
    return {name: _as_text(frame, keys) for name, (frame, keys) in tables.items()}
