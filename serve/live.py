"""Live scoring: posted rows of one month merged into the latest run's panel, validated by the contract, scored.

Nothing is written to the store; the result is the risk the champion model gives with the new rows.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from shortage_radar.contract.panel import Panel
from shortage_radar.contract.schemas import KnownIds, key_columns, required_columns, schema_for
from shortage_radar.contract.settings import contract_config
from shortage_radar.contract.validate import validate_table

if TYPE_CHECKING:
    from shortage_radar.models.train import TrainedModels

LIVE_TABLES: tuple[str, ...] = ("monthly_reports", "suspensions", "procurement", "institution_reports")
# The column that says which month a posted row belongs to (a suspension belongs to the month it was reported).
MONTH_OF = {"monthly_reports": "month", "suspensions": "reported_month", "procurement": "month",
            "institution_reports": "month"}


class Rejected(ValueError):
    """Posted rows break the contract: 422 with each bad row and its reason."""

    def __init__(self, message: str, rows: list[dict] | None = None) -> None:
        super().__init__(message)
        self.rows = rows or []


@dataclass(frozen=True)
class Merged:
    panel: Panel
    varieties: frozenset[str]
    counts: dict[str, int]


def _cell(value) -> str | None:
    """A JSON cell as the text a CSV file would hold (so the contract parses it the same way)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return None if math.isnan(value) else repr(value)
    return str(value)


def raw_frame(rows: list[dict]) -> pd.DataFrame:
    """Posted rows as a raw all-text table, as read_panel sees a file."""
    columns = list(dict.fromkeys(c for row in rows for c in row))
    data = {c: [_cell(row.get(c)) for row in rows] for c in columns}
    return pd.DataFrame(data, dtype=pd.StringDtype("pyarrow")) if columns else pd.DataFrame(index=range(len(rows)))


def _known(panel: Panel) -> KnownIds:
    def ids(table: str, column: str) -> frozenset[str]:
        return frozenset(panel[table][column].dropna().astype(str)) if table in panel else frozenset()

    return KnownIds(varieties=ids("varieties", "variety_id"), enterprises=ids("enterprises", "enterprise_id"))


def _rejects(table: str, quarantine: pd.DataFrame) -> list[dict]:
    return [{"table": table, "row": int(r["row"]), "reason": str(r["reason"]),
             "column": None if pd.isna(r["column"]) else str(r["column"]),
             "detail": None if pd.isna(r["detail"]) else str(r["detail"])} for r in quarantine.to_dict("records")]


def validate_rows(panel: Panel, table: str, rows: list[dict], month: pd.Period) -> pd.DataFrame:
    """The posted rows of ``table`` typed by the contract schema; Rejected with reasons if any row is bad."""
    cfg = contract_config()
    schema = schema_for(table, _known(panel), cfg)
    raw = raw_frame(rows)
    missing = [c for c in required_columns(schema) if c not in raw.columns]
    if missing:
        raise Rejected(f"{table}: required column(s) {', '.join(missing)} missing "
                       f"(expected {', '.join(required_columns(schema))})")
    unknown = [c for c in raw.columns if c not in schema.columns]
    if unknown:
        raise Rejected(f"{table}: unknown column(s) {', '.join(unknown)} (expected {', '.join(schema.columns)})")
    result = validate_table(table, "request", raw, schema, cfg)
    bad = _rejects(table, result.quarantine)
    kept_rows = [i + 1 for i in range(len(raw)) if i + 1 not in set(result.quarantine["row"].astype(int))]
    column = MONTH_OF[table]
    for position, value in zip(kept_rows, result.clean[column], strict=True):
        if value != month:
            bad.append({"table": table, "row": position, "reason": "wrong_month", "column": column,
                        "detail": f"{column} {value} is not the posted month {month}"})
    if bad:
        bad.sort(key=lambda r: (r["table"], r["row"]))
        raise Rejected(f"{len(bad)} posted row(s) of {table} break the contract", bad)
    return result.clean


def merge(panel: Panel, month: pd.Period, posted: dict[str, list[dict]], extra_varieties: list[str]) -> Merged:
    """The panel with the posted rows in (a posted row replaces a stored row with the same key)."""
    tables = dict(panel.tables)
    counts: dict[str, int] = {}
    varieties = set(extra_varieties)
    known = _known(panel).varieties
    unknown = sorted(set(extra_varieties) - known)
    if unknown:
        raise Rejected(f"variety_ids not in the panel: {', '.join(unknown[:20])}")
    for table in LIVE_TABLES:
        rows = posted.get(table) or []
        if not rows:
            continue
        if table not in tables:
            raise Rejected(f"{table}: the panel of the latest run has no such table, so its model has no use "
                           f"for these rows")
        clean = validate_rows(panel, table, rows, month)
        base = tables[table]
        merged = pd.concat([base, clean], ignore_index=True)
        tables[table] = merged.drop_duplicates(key_columns(schema_for(table)), keep="last").reset_index(drop=True)
        counts[table] = len(clean)
        varieties.update(clean["variety_id"].astype(str))
    if not varieties:
        raise Rejected("nothing to score: post rows for some varieties or list them in variety_ids")
    return Merged(Panel(source=panel.source, tables=tables, quarantine=panel.quarantine, results=panel.results),
                  frozenset(varieties), counts)


def score_live(merged: Merged, month: pd.Period, models: TrainedModels) -> pd.DataFrame:
    """Score ``month`` on the merged panel (the one scoring path); keep the posted varieties' rows."""
    from shortage_radar.api import score

    scored = score(merged.panel, models, month)
    return scored[scored["variety_id"].astype(str).isin(merged.varieties)].reset_index(drop=True)


def describe(rejected: Rejected) -> str:
    """One line for logs."""
    return f"{rejected} {json.dumps(rejected.rows[:3])}"
