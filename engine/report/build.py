"""``build_report``: the watchlist, the detailed varieties' charts and the enterprise views in one offline HTML file."""

from __future__ import annotations

import time

import logging
from pathlib import Path

import numpy as np
import pandas as pd

from shortage_radar.contract.panel import Panel
from shortage_radar.contract.suspension_reasons import SUSPENSION_REASONS
from shortage_radar.features import as_known_at
from shortage_radar.models.policy import NAMES
from shortage_radar.report.criticality import criticality_records
from shortage_radar.report.figures import variety_figure
from shortage_radar.atomic import write_text
from shortage_radar.report.history import run_history, with_current
from shortage_radar.report.ongoing import in_shortage
from shortage_radar.report.page import render_page
from shortage_radar.report.quality import audit_payload
from shortage_radar.report.series import (
    compute_forecasts,
    known_suspensions,
    variety_forecasts,
    volume_history,
)
from shortage_radar.report.settings import ReportConfig, report_config
from shortage_radar.report.tables import level_counts, normalise, optional_columns, table_records

log = logging.getLogger(__name__)


def detailed_varieties(current: pd.DataFrame, cfg: ReportConfig) -> list[str]:
    """Variety ids that get a chart: the top ``detail_top`` by rank plus every warned one, capped at ``detail_max``."""
    rows = current[current["entity"] == "variety"].sort_values("rank", kind="stable")
    chosen = (np.arange(len(rows)) < cfg.detail_top) | (rows["warning_level"] > 0).to_numpy()
    return rows.loc[chosen, "variety_id"].head(cfg.detail_max).tolist()


def _flag(value) -> bool | None:
    return None if pd.isna(value) else bool(value)


def _text(value) -> str | None:
    return None if pd.isna(value) else str(value)


def producer_provinces(panel: Panel) -> dict[str, list[str]]:
    """Provinces where each variety has a monitored producer (what the province filter matches)."""
    if "enterprises" not in panel or "monthly_reports" not in panel:
        return {}
    ent = panel["enterprises"].dropna(subset=["province"])
    province = dict(zip(ent["enterprise_id"].astype(str), ent["province"].astype(str), strict=True))
    pairs = panel["monthly_reports"][["variety_id", "enterprise_id"]].astype(str).drop_duplicates()
    pairs = pairs.assign(province=pairs["enterprise_id"].map(province)).dropna(subset=["province"])
    return {v: sorted(set(p)) for v, p in pairs.groupby("variety_id")["province"]}


def variety_info(panel: Panel, ids: set[str]) -> dict[str, dict]:
    """Name, form, class, list membership and producer provinces of the varieties the page mentions."""
    table = panel["varieties"]
    table = table[table["variety_id"].astype(str).isin(ids)]
    provinces = producer_provinces(panel)
    info = {}
    for row in table.to_dict(orient="records"):
        info[str(row["variety_id"])] = {
            "provinces": provinces.get(str(row["variety_id"]), []),
            "name": _text(row.get("generic_name")), "form": _text(row.get("dosage_form")),
            "class": _text(row.get("therapeutic_class")), "shortage_list": _flag(row.get("on_shortage_list")),
            "key_list": _flag(row.get("on_key_monitoring_list")), "essential": _flag(row.get("essential")),
            "vbp_batch": None if pd.isna(row.get("vbp_batch")) else int(row["vbp_batch"]),
        }
    return info


def enterprise_info(panel: Panel, ids: set[str]) -> dict[str, dict]:
    if "enterprises" not in panel:
        return {}
    table = panel["enterprises"]
    table = table[table["enterprise_id"].astype(str).isin(ids)]
    return {str(r["enterprise_id"]): {"name": _text(r.get("name")), "province": _text(r.get("province")),
                                      "reserve": _flag(r.get("is_reserve"))} for r in table.to_dict(orient="records")}


def _suspension_records(frame: pd.DataFrame) -> list[dict]:
    return [{"enterprise_id": r.enterprise_id, "start": str(r.start_month), "reported": str(r.reported_month),
             "expected_end": _text(r.expected_end_month), "actual_end": _text(r.actual_end_month),
             "reason": str(r.reason)} for r in frame.itertuples(index=False)]


def variety_details(panel: Panel, month: pd.Period, ids: list[str], forecasts: pd.DataFrame | None,
                    labels: dict[str, dict], cfg: ReportConfig) -> dict[str, dict]:
    """Chart and suspension list per detailed variety, from what was known at the end of ``month``."""
    from shortage_radar.report.series import subset

    known = as_known_at(subset(panel, ids), month)
    first = month - (cfg.history_months - 1)
    history = volume_history(known, first, month)
    suspensions = known_suspensions(known, first)
    if forecasts is None:
        forecasts = compute_forecasts(panel, month, ids, cfg.forecast_horizon)
    fc = variety_forecasts(forecasts, month, cfg.forecast_horizon)
    names = {e: (f"{i['name']} ({e})" if i.get("name") else e) for e, i in labels.items()}
    by_variety = {k: g for k, g in history.groupby("variety_id", sort=False)}
    fc_by = {k: g for k, g in fc.groupby("variety_id", sort=False)}
    susp_by = {k: g for k, g in suspensions.groupby("variety_id", sort=False)}
    empty_h, empty_f, empty_s = history.iloc[:0], fc.iloc[:0], suspensions.iloc[:0]
    details = {}
    for vid in ids:
        susp = susp_by.get(vid, empty_s)
        details[vid] = {
            "figure": variety_figure(by_variety.get(vid, empty_h).sort_values("month"), fc_by.get(vid, empty_f),
                                     susp, month, first, cfg.forecast_horizon, names, cfg.value_decimals,
                                     cfg.chart_height),
            "suspensions": _suspension_records(susp),
            "has_forecast": vid in fc_by,
        }
    return details


def build_payload(panel: Panel, watchlist: pd.DataFrame, month: pd.Period, *, previous: pd.DataFrame | None,
                  forecasts: pd.DataFrame | None, cfg: ReportConfig, history: pd.DataFrame | None = None,
                  store_months: list[str] | None = None, criticality: pd.DataFrame | None = None,
                  policy: dict | None = None) -> dict:
    """Everything the page shows, as JSON-ready Python objects (``policy``: the model's fitted warning
    policy, ``WarningPolicy.summary()``, when the caller has it)."""
    current = normalise(watchlist, month)
    prev = normalise(previous, month - 1) if previous is not None else None
    prev = None if prev is not None and prev.empty else prev  # no rows of last month: nothing to compare
    detailed = detailed_varieties(current, cfg)
    details_ent = set(current["enterprise_id"]) - {""}
    variety_ids = set(current["variety_id"])
    if "suspensions" in panel:
        susp = panel["suspensions"]
        details_ent |= set(susp.loc[susp["variety_id"].astype(str).isin(detailed), "enterprise_id"].astype(str))
    ongoing = current.loc[(current["entity"] == "variety") & current["ongoing"], "variety_id"].tolist()
    shortage_now = in_shortage(as_known_at(panel, month), month, ongoing)
    critical = criticality_records(criticality, cfg.criticality_rows)
    for record in shortage_now:
        details_ent |= set(record["suspended"])
    details_ent |= {r["enterprise_id"] for r in critical or []}
    variety_ids |= {r["variety_id"] for r in critical or []}
    enterprises = enterprise_info(panel, details_ent)
    horizon = int(current["horizon"].iloc[0]) if len(current) and "horizon" in current else None
    return {
        "month": str(month), "previous_month": str(month - 1) if prev is not None else None,
        "horizon": horizon, "forecast_horizon": cfg.forecast_horizon, "history_months": cfg.history_months,
        "detail_rule": {"top": cfg.detail_top, "max": cfg.detail_max}, "page_rows": cfg.page_rows,
        "names": {str(k): list(v) for k, v in NAMES.items()},
        "counts": level_counts(current),
        "rows": table_records(current, prev),
        "varieties": variety_info(panel, variety_ids),
        "enterprises": enterprises,
        "details": variety_details(panel, month, detailed, forecasts, enterprises, cfg),
        "audit": audit_payload(panel, month, cfg.audit_findings_max),
        "policy": policy,
        "optional": optional_columns(current),
        "in_shortage": shortage_now,
        "history": run_history(with_current(history, current, month), month, cfg.trend_months),
        "store_months": sorted(set(store_months or []) | {str(month)}),
        "reasons": {code: list(words) for code, words in SUSPENSION_REASONS.items()},
        "criticality": critical,
    }


def build_report(panel: Panel, watchlist: pd.DataFrame, month: pd.Period, out: Path, *,
                 previous: pd.DataFrame | None = None, forecasts: pd.DataFrame | None = None,
                 config: ReportConfig | None = None, history: pd.DataFrame | None = None,
                 store_months: list[str] | None = None, criticality: pd.DataFrame | None = None,
                 policy: dict | None = None) -> Path:
    """Write the analyst report for ``month`` to ``out`` (one self-contained HTML file) and return its path.

    ``history`` is ``Store.variety_history()`` (risk trends, month comparison); ``store_months`` the months with
    a run in the store (the month picker of a served report); ``criticality`` the supplier criticality table of
    the what-if library (a "single points of failure" view; none without it); ``policy`` the warning policy
    in force (``WarningPolicy.summary()``).
    """
    cfg = config or report_config()
    month = pd.Period(month, freq="M")
    payload = build_payload(panel, watchlist, month, previous=previous, forecasts=forecasts, cfg=cfg,
                            history=history, store_months=store_months, criticality=criticality, policy=policy)
    out = write_text(Path(out), render_page(payload))  # atomic: a reader never sees half a file
    log.info("report for %s: %s", month, out)
    return out


def month_report(panel: Panel, store, month: pd.Period, watchlist: pd.DataFrame, out: Path,
                 policy: dict | None = None, criticality: pd.DataFrame | None = None) -> tuple[Path, float]:
    """The month's report, with changes since the previous month's current run in ``store``; path and seconds.

    ``policy``: the warning policy in force (``WarningPolicy.summary()``), shown beside the watchlist;
    ``criticality``: the supplier criticality table (the "single points of failure" view).
    """
    previous = store.watchlist(month - 1) if store.current_run(month - 1) is not None else None
    started = time.perf_counter()
    path = build_report(panel, watchlist, month, out, previous=previous, history=store.variety_history(),
                        store_months=[str(m) for m in store.months()], policy=policy, criticality=criticality)
    return path, time.perf_counter() - started
