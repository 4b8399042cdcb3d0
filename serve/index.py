"""In-memory index of the current watchlists, so a risk lookup is a dict access, not a database query."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

import pandas as pd
import sqlalchemy as sa

from shortage_radar.contract.panel import Panel
from shortage_radar.store import RunRecord, Store
from shortage_radar.store.schema import runs as runs_table


def row_dict(rec: dict) -> dict:
    """A stored watchlist row as the API sends it (drivers as a list, no empty enterprise id)."""
    drivers = _split(rec.get("drivers"))
    impact = rec.get("impact")
    return {"entity": rec["entity"], "variety_id": str(rec["variety_id"]),
            "enterprise_id": str(rec["enterprise_id"]) if rec["entity"] == "enterprise" else None,
            "month": str(rec["month"]), "horizon": int(rec["horizon"]), "risk": float(rec["risk"]),
            "warning_level": int(rec["warning_level"]), "response_tier": str(rec["response_tier"]),
            "rank": int(rec["rank"]), "drivers": drivers, "ongoing": bool(rec["ongoing"]),
            "impact": None if impact is None or pd.isna(impact) else int(impact),
            "level_reason": _text(rec.get("level_reason")), "drivers_zh": _split(rec.get("drivers_zh")),
            "risk_curve": _curve(rec)}


def _curve(rec: dict) -> dict[str, float] | None:
    """Risk of an onset within 1, 2, 3 and 6 months (None on runs written before v1.1)."""
    values = {key: rec.get(f"risk_{key}") for key in ("1m", "2m", "3m", "6m")}
    if any(v is None or pd.isna(v) for v in values.values()):
        return None
    return {key: float(v) for key, v in values.items()}


def _text(value) -> str | None:
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _split(value) -> list[str]:
    """A ``;``-separated drivers cell as a list (empty cell, empty list)."""
    return [d.strip() for d in (_text(value) or "").split(";") if d.strip()]


@dataclass(frozen=True)
class Provinces:
    """Province of each enterprise, and provinces where each variety has a monitored producer."""

    enterprise: dict[str, str] = field(default_factory=dict)
    variety: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def from_panel(cls, panel: Panel | None) -> Provinces:
        if panel is None or "enterprises" not in panel:
            return cls()
        ent = panel["enterprises"].dropna(subset=["province"])
        by_ent = dict(zip(ent["enterprise_id"].astype(str), ent["province"].astype(str), strict=True))
        by_var: dict[str, set[str]] = {}
        if "monthly_reports" in panel:
            pairs = panel["monthly_reports"][["enterprise_id", "variety_id"]].drop_duplicates()
            for e, v in zip(pairs["enterprise_id"].astype(str), pairs["variety_id"].astype(str), strict=True):
                if e in by_ent:
                    by_var.setdefault(v, set()).add(by_ent[e])
        return cls(by_ent, {v: frozenset(p) for v, p in by_var.items()})

    def match(self, row: dict, province: str) -> bool:
        if row["entity"] == "enterprise":
            return self.enterprise.get(row["enterprise_id"]) == province
        return province in self.variety.get(row["variety_id"], frozenset())


@dataclass(frozen=True)
class MonthIndex:
    """One run's rows, ranked, with lookups by variety and by enterprise."""

    run: RunRecord
    rows: tuple[dict, ...]
    variety: dict[str, dict]
    enterprise: dict[str, tuple[dict, ...]]
    answers: dict[str, bytes] = field(default_factory=dict, compare=False, repr=False)  # routes/common.py

    @classmethod
    def build(cls, run: RunRecord, frame: pd.DataFrame) -> MonthIndex:
        rows = tuple(row_dict(r) for r in frame.to_dict(orient="records"))
        variety = {r["variety_id"]: r for r in rows if r["entity"] == "variety"}
        enterprise: dict[str, list[dict]] = {}
        for r in rows:
            if r["entity"] == "enterprise":
                enterprise.setdefault(r["enterprise_id"], []).append(r)
        return cls(run, rows, variety, {k: tuple(sorted(v, key=lambda r: r["rank"])) for k, v in enterprise.items()})


def current_runs(store: Store) -> dict[str, int]:
    """month -> run id of every month's current run (one small query)."""
    query = sa.select(runs_table.c.month, runs_table.c.run_id).where(runs_table.c.is_current)
    with store.engine.connect() as conn:
        return {m: int(r) for m, r in conn.execute(query)}


def variety_histories(store: Store, max_months: int) -> dict[str, tuple[dict, ...]]:
    """variety id -> its (month, risk, level, rank, run) in every month's current run, oldest first, at most
    ``max_months``: a few values per variety and month, rebuilt only when the set of current runs changes."""
    frame = store.variety_history()
    frame = frame.assign(month=frame["month"].astype(str), risk=frame["risk"].astype(float),
                         warning_level=frame["warning_level"].astype(int), rank=frame["rank"].astype(int),
                         run_id=frame["run_id"].astype(int))
    points = frame.drop(columns="variety_id").to_dict(orient="records")
    by_variety: dict[str, list[dict]] = {}
    for variety, point in zip(frame["variety_id"].astype(str), points, strict=True):
        by_variety.setdefault(variety, []).append(point)
    return {v: tuple(p[-max_months:]) for v, p in by_variety.items()}


class WatchlistIndex:
    """The latest month always in memory; other months loaded on first use and kept (a few, LRU); every
    variety's history over the current runs."""

    def __init__(self, store: Store, keep_months: int, history_months: int) -> None:
        self.store = store
        self.keep = keep_months
        self.history_months = history_months
        self.current: dict[str, int] = {}
        self.history: dict[str, tuple[dict, ...]] = {}
        self.latest: MonthIndex | None = None
        self._past: OrderedDict[int, MonthIndex] = OrderedDict()
        self._lock = threading.Lock()

    def refresh(self) -> bool:
        """Re-read the current runs; rebuild the latest month when its run changed. True if it did."""
        current = current_runs(self.store)
        latest_month = max(current) if current else None
        changed = latest_month is not None and (self.latest is None or self.latest.run.run_id != current[latest_month])
        if changed:
            run = self.store.run(current[latest_month])
            self.latest = MonthIndex.build(run, self.store.run_rows(run.run_id))
        elif latest_month is None:
            self.latest = None
        if current != self.current or not current:
            self.history = variety_histories(self.store, self.history_months)
        self.current = current
        return changed

    def month(self, month: str | None) -> MonthIndex | None:
        """The index of ``month``'s current run (latest month when None); None when the month has no run."""
        latest = self.latest
        if month is None or (latest is not None and latest.run.month == month):
            return latest
        run_id = self.current.get(month)
        if run_id is None:
            return None
        with self._lock:
            if run_id in self._past:
                self._past.move_to_end(run_id)
                return self._past[run_id]
        built = MonthIndex.build(self.store.run(run_id), self.store.run_rows(run_id))
        with self._lock:
            self._past[run_id] = built
            while len(self._past) > self.keep:
                self._past.popitem(last=False)
        return built
