"""Inject every kind of bad row the contract names, so validation can be shown to catch each.

Bad rows are appended after the clean rows of each table (clean rows keep their places),
and a manifest lists each injected row with the reason it must be quarantined under.
Each injected row breaks exactly one rule, so its primary reason is known.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd

from shortage_radar.contract.reasons import Reason

MANIFEST_FILE = "_dirty_manifest.csv"


@dataclass(frozen=True)
class Injection:
    """One bad row: a copy of a clean row of ``table`` with ``edit`` applied."""

    table: str
    reason: Reason
    edit: Callable[[dict], dict]
    note: str
    needs: str | None = None  # an optional column the table must have for this row to be bad


def _set(**changes: object) -> Callable[[dict], dict]:
    return lambda row: {**row, **changes}


def _shift_month(column: str, months: int, source: str | None = None) -> Callable[[dict], dict]:
    """Set ``column`` to the month of ``source`` (default: ``column``) plus ``months``."""

    def edit(row: dict) -> dict:
        base = pd.Period(str(row[source or column]), freq="M")
        return {**row, column: str(base + months)}

    return edit


INJECTIONS: tuple[Injection, ...] = (
    Injection("varieties", Reason.DUPLICATE_KEY, _set(), "exact copy of a variety row"),
    Injection("varieties", Reason.UNPARSEABLE_BOOL,
              _set(variety_id="VDIRTY-BOOL", on_shortage_list="maybe"), "new variety, boolean 'maybe'"),
    Injection("varieties", Reason.MISSING_VALUE, _set(variety_id=None), "empty variety_id"),
    Injection("varieties", Reason.NEGATIVE_VALUE, _set(variety_id="VDIRTY-NEG", vbp_batch="-2"), "negative batch"),
    Injection("enterprises", Reason.DUPLICATE_KEY, _set(name="renamed duplicate"), "enterprise id seen before"),
    Injection("enterprises", Reason.UNPARSEABLE_BOOL, _set(enterprise_id="EDIRTY-BOOL", is_reserve="sometimes"),
              "new enterprise, boolean 'sometimes'"),
    Injection("monthly_reports", Reason.NEGATIVE_VALUE, _set(production="-120"), "negative production"),
    Injection("monthly_reports", Reason.NEGATIVE_VALUE, _set(inventory="-5"), "negative inventory"),
    Injection("monthly_reports", Reason.NON_POSITIVE_PRICE, _set(ex_factory_price="0"), "zero ex-factory price"),
    Injection("monthly_reports", Reason.UNKNOWN_VARIETY, _set(variety_id="V-NOT-LISTED"), "variety not listed"),
    Injection("monthly_reports", Reason.UNKNOWN_ENTERPRISE, _set(enterprise_id="E-NOT-LISTED"),
              "enterprise not listed"),
    Injection("monthly_reports", Reason.DUPLICATE_KEY, _set(), "exact copy of a report"),
    Injection("monthly_reports", Reason.UNPARSEABLE_MONTH, _set(month="2021-13"), "month 13"),
    Injection("monthly_reports", Reason.UNPARSEABLE_MONTH, _set(month="March 2021"), "month in words"),
    Injection("monthly_reports", Reason.UNPARSEABLE_NUMBER, _set(sales="12abc"), "sales not a number"),
    Injection("monthly_reports", Reason.MISSING_VALUE, _set(enterprise_id=None), "empty enterprise_id"),
    Injection("monthly_reports", Reason.UNPARSEABLE_DATE, _set(filed_on="2021-02-30"), "filed on 30 February",
              needs="filed_on"),
    Injection("suspensions", Reason.UNKNOWN_CATEGORY, _set(reason="alien_invasion"), "reason not a category"),
    Injection("suspensions", Reason.LATE_REPORT, _shift_month("reported_month", 3, "start_month"),
              "filed 3 months after the start"),
    Injection("suspensions", Reason.END_BEFORE_START, _shift_month("expected_end_month", -2, "start_month"),
              "expected end before start"),
    Injection("suspensions", Reason.UNKNOWN_ENTERPRISE, _set(enterprise_id="E-NOT-LISTED"), "enterprise not listed"),
    Injection("suspensions", Reason.DUPLICATE_KEY, _set(reason="other"), "same key, filed twice"),
    Injection("institution_reports", Reason.NEGATIVE_VALUE, _set(reports="-3"), "negative count"),
    Injection("institution_reports", Reason.UNPARSEABLE_NUMBER, _set(reports="2.5"), "count not an integer"),
    Injection("institution_reports", Reason.UNKNOWN_VARIETY, _set(variety_id="V-NOT-LISTED"), "variety not listed"),
    Injection("procurement", Reason.NON_POSITIVE_PRICE, _set(avg_price="-1.5"), "negative price"),
    Injection("procurement", Reason.NEGATIVE_VALUE, _set(purchase_volume="-10"), "negative purchase"),
    Injection("procurement", Reason.DUPLICATE_KEY, _set(), "exact copy of a purchase row"),
    Injection("procurement", Reason.UNPARSEABLE_MONTH, _set(month="2020-00"), "month 00"),
    Injection("shortage_events", Reason.UNKNOWN_CATEGORY, _set(scope="galactic"), "scope not a category"),
    Injection("shortage_events", Reason.END_BEFORE_START, _shift_month("end_month", -1, "start_month"),
              "ends before it starts"),
    Injection("shortage_events", Reason.DUPLICATE_KEY, _set(), "exact copy of an event"),
    Injection("supply_disruptions", Reason.END_BEFORE_START, _shift_month("end_month", -1, "start_month"),
              "ends before it starts"),
    Injection("supply_disruptions", Reason.UNKNOWN_VARIETY, _set(variety_id="V-NOT-LISTED"), "variety not listed"),
)


def _template(frame: pd.DataFrame, position: int) -> dict:
    """A clean row to copy, as plain Python values (missing -> None)."""
    row = frame.iloc[position % len(frame)].to_dict()
    return {k: (None if pd.isna(v) else v) for k, v in row.items()}


def inject_bad_rows(
    tables: Mapping[str, pd.DataFrame], seed: int = 0
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """Append one bad row per injection; return the new tables and the manifest (table, row, reason)."""
    out = {name: frame.astype("string[pyarrow]") for name, frame in tables.items()}  # cells as a file holds them
    manifest: list[dict] = []
    for i, injection in enumerate(INJECTIONS):
        frame, clean = out.get(injection.table), tables.get(injection.table)
        if frame is None or clean is None or clean.empty or (injection.needs and injection.needs not in frame):
            continue
        bad = injection.edit(_template(clean, seed + 7 * i))  # copy a clean row, never an injected one
        row = pd.DataFrame([bad], columns=frame.columns).astype("string[pyarrow]")
        out[injection.table] = pd.concat([frame, row], ignore_index=True)
        manifest.append({"table": injection.table, "row": len(out[injection.table]),
                         "reason": injection.reason.value, "note": injection.note})
    return out, pd.DataFrame(manifest, columns=["table", "row", "reason", "note"])
