"""Inject audit faults at known places: every check of ``shortage audit`` has rows it must find.

Each fault goes to its own (enterprise, variety) pair or (variety, province) purchase series, at
a month where it is well defined (the pair reported in the months the check looks back on), and
a manifest names the audit month and the rows where the finding must appear. Used by
``shortage simulate --dirty`` and by the audit's recall test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from shortage_radar.audit.settings import AuditConfig, audit_config

MANIFEST_FILE = "_audit_manifest.csv"
MANIFEST_COLUMNS = ["check", "month", "enterprise_id", "variety_id", "province", "note"]
PAIR = ["enterprise_id", "variety_id"]
SPIKE = 3.0             # a spiked price is this many times the true one
STOCK_SLIP = 0.6        # a mis-keyed inventory is off by this share of the pair's flows
UNDER_DELIVERED = 0.3   # a short delivery is this share of the contracted volume
STEADY_MIN_SHARE = 0.1  # unit errors go to figures whose own 12 months never fell below this share of them


def _ordinals(months: pd.Series) -> np.ndarray:
    """Month ordinals of ``YYYY-MM`` cells, each distinct label parsed once."""
    codes, labels = pd.factorize(months.astype(str))
    return pd.PeriodIndex(list(labels), freq="M").asi8[codes]


@dataclass
class Faults:
    """The tables being edited, the series already used, and the manifest so far."""

    reports: pd.DataFrame
    procurement: pd.DataFrame | None
    rng: np.random.Generator
    cfg: AuditConfig
    last: int                      # last month ordinal of the panel
    used: set
    manifest: list[dict]

    def __post_init__(self) -> None:
        r = self.reports
        self.ordinal = _ordinals(r["month"])
        self.pair = list(zip(r["enterprise_id"].to_numpy(dtype=object), r["variety_id"].to_numpy(dtype=object),
                             strict=True))
        on_time = _on_time(r, self.cfg)
        self.row = {(p, m): i for i, (p, m, ok) in enumerate(zip(self.pair, self.ordinal, on_time, strict=True))
                    if ok}  # faults go to reports filed by their deadline (known in their own month)

    def at(self, pair, month: int) -> int | None:
        return self.row.get((pair, month))

    def value(self, i: int, column: str) -> float:
        return float(self.reports[column].iat[i])

    def set(self, i: int, column: str, value) -> None:
        self.reports.iloc[i, self.reports.columns.get_loc(column)] = value

    def record(self, check: str, month: int, pair, note: str, province: str | None = None) -> None:
        self.used.add(pair)
        self.manifest.append({"check": check, "month": str(pd.Period(ordinal=month, freq="M")),
                              "enterprise_id": pair[0], "variety_id": pair[1], "province": province, "note": note})


def _on_time(reports: pd.DataFrame, cfg: AuditConfig) -> np.ndarray:
    """Rows without ``filed_on`` or filed by the deadline (the 10th of the following month)."""
    filed = pd.Series(pd.to_datetime(reports["filed_on"], errors="coerce").to_numpy())
    due = (pd.PeriodIndex.from_ordinals(_ordinals(reports["month"]) + 1, freq="M").to_timestamp()
           + pd.Timedelta(days=cfg.filing.deadline_day - 1))
    return (filed.isna() | (filed <= due)).to_numpy()


def _candidates(f: Faults, earliest: int, latest: int) -> np.ndarray:
    """On-time report rows in the month range, in a seeded random order."""
    rows = [i for i in np.flatnonzero((f.ordinal >= earliest) & (f.ordinal <= latest))
            if f.row.get((f.pair[i], int(f.ordinal[i]))) == i]
    return f.rng.permutation(np.array(rows, dtype=np.int64))


def _history(f: Faults, pair, month: int, months: int) -> list[int] | None:
    rows = [f.at(pair, month - k) for k in range(1, months + 1)]
    return None if any(r is None for r in rows) else rows


def _missing(f: Faults, i: int) -> bool:
    pair, t = f.pair[i], int(f.ordinal[i])
    if _history(f, pair, t, f.cfg.missing_report.recent_months) is None:
        return False
    f.set(i, "_drop", True)
    f.record("missing_report", t, pair, "report removed")
    return True


def _late(f: Faults, i: int) -> bool:
    pair, m = f.pair[i], int(f.ordinal[i])
    delay = int(f.rng.integers(5, 41))
    due = pd.Period(ordinal=m, freq="M").to_timestamp(how="end").normalize() + pd.Timedelta(
        days=f.cfg.filing.deadline_day)
    filed = due + pd.Timedelta(days=delay)
    known = pd.Period(filed, freq="M").ordinal
    if known > f.last:
        return False
    f.set(i, "filed_on", f"{filed:%Y-%m-%d}")
    f.record("late_report", known, pair, f"report for {pd.Period(ordinal=m, freq='M')} filed {delay} days late")
    return True


def _flows_ok(f: Faults, rows: list[int]) -> bool:
    return all(np.isfinite(f.value(r, c)) for r in rows for c in ("production", "sales", "inventory"))


def _stock(f: Faults, i: int) -> bool:
    pair, t = f.pair[i], int(f.ordinal[i])
    before = f.at(pair, t - 1)
    if before is None or not _flows_ok(f, [before, i]):
        return False
    scale = max(f.value(before, "inventory"), f.value(i, "inventory"), f.value(i, "production"), f.value(i, "sales"))
    if scale < 20 * f.cfg.stock_flow.absolute_tolerance:
        return False
    f.set(i, "inventory", round(f.value(i, "inventory") + STOCK_SLIP * scale))
    f.record("stock_flow", t, pair, f"inventory raised by {STOCK_SLIP:.0%} of the flows")
    return True


def _unit_error(f: Faults, i: int) -> bool:
    pair, t = f.pair[i], int(f.ordinal[i])
    column = ("production", "sales")[len(f.manifest) % 2]
    rows = _history(f, pair, t, f.cfg.implausible_value.history_months)
    value = f.value(i, column)
    if rows is None or not value >= 1000 or min(f.value(r, column) for r in rows) < STEADY_MIN_SHARE * value:
        return False
    up = f.rng.random() < 0.5
    f.set(i, column, round(value * 1000 if up else value / 1000))
    f.record("implausible_value", t, pair, f"{column} {'x' if up else '/'} 1000 (unit error)")
    return True


def _short(f: Faults, i: int) -> bool:
    pair, t = f.pair[i], int(f.ordinal[i])
    months = f.cfg.under_delivery.months
    rows = [f.at(pair, t - k) for k in range(months)]
    if any(r is None for r in rows):
        return False
    contracted = [f.value(r, "contracted_volume") for r in rows]
    delivered = [f.value(r, "delivered_volume") for r in rows]
    if not all(c > 0 and d >= f.cfg.under_delivery.ratio * c for c, d in zip(contracted, delivered, strict=True)):
        return False
    for r, c in zip(rows, contracted, strict=True):
        f.set(r, "delivered_volume", round(UNDER_DELIVERED * c))
    f.record("under_delivery", t, pair, f"delivered {UNDER_DELIVERED:.0%} of the contract for {months} months")
    return True


def _ex_factory_spike(f: Faults, i: int) -> bool:
    pair, t = f.pair[i], int(f.ordinal[i])
    rows = _history(f, pair, t, f.cfg.price_spike.recent_months)
    if rows is None or not np.isfinite(f.value(i, "ex_factory_price")) or not all(
            np.isfinite(f.value(r, "ex_factory_price")) for r in rows):
        return False
    f.set(i, "ex_factory_price", round(f.value(i, "ex_factory_price") * SPIKE, 2))
    f.record("price_spike", t, pair, f"ex-factory price x {SPIKE:g}")
    return True


def _procurement_spikes(f: Faults, n: int, earliest: int) -> None:
    """Spike ``n`` purchase prices of (variety, province) series with a full recent history and peers."""
    p = f.procurement
    months = _ordinals(p["month"])
    near = np.flatnonzero(months >= earliest - f.cfg.price_spike.recent_months)
    variety = p["variety_id"].to_numpy(dtype=object)[near]
    province = p["province"].to_numpy(dtype=object)[near]
    month = months[near]
    row = {(v, q, m): i for i, v, q, m in zip(near, variety, province, month, strict=True)}
    peers = pd.Series(1, index=pd.MultiIndex.from_arrays([variety, month])).groupby(level=[0, 1]).size()
    done = 0
    for i in f.rng.permutation(near[(month >= earliest) & (month <= f.last)]):
        v, q, t = str(p["variety_id"].iat[i]), str(p["province"].iat[i]), int(months[i])
        if done >= n or ("procurement", v, q) in f.used or peers.get((v, t), 0) < 3:
            continue
        if any((v, q, t - j) not in row for j in range(1, f.cfg.price_spike.recent_months + 1)):
            continue
        p.iloc[i, p.columns.get_loc("avg_price")] = round(float(p["avg_price"].iat[i]) * SPIKE, 2)
        f.used.add(("procurement", v, q))
        f.manifest.append({"check": "price_spike", "month": str(pd.Period(ordinal=t, freq="M")),
                           "enterprise_id": None, "variety_id": v, "province": q,
                           "note": f"purchase price x {SPIKE:g}"})
        done += 1


PAIR_FAULTS: dict[str, Callable[[Faults, int], bool]] = {
    "missing_report": _missing, "late_report": _late, "stock_flow": _stock, "implausible_value": _unit_error,
    "under_delivery": _short, "price_spike": _ex_factory_spike,
}


def _place(f: Faults, check: str, n: int, earliest: int) -> None:
    done = 0
    for i in _candidates(f, earliest, f.last - 2):
        if done >= n:
            return
        if f.pair[i] in f.used:
            continue
        done += PAIR_FAULTS[check](f, int(i))


def inject_audit_faults(tables: dict[str, pd.DataFrame], per_check: int, seed: int, months: int = 24,
                        cfg: AuditConfig | None = None) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """Put ``per_check`` faults of every check (price spikes: half purchase, half ex-factory) in the last
    ``months`` months; return the edited tables and the manifest of where each must be found."""
    cfg = cfg or audit_config()
    reports = tables["monthly_reports"].copy()
    if "filed_on" not in reports:
        reports["filed_on"] = None
    reports["filed_on"] = reports["filed_on"].astype(object)
    reports["_drop"] = False
    procurement = tables["procurement"].copy() if "procurement" in tables else None
    last = int(_ordinals(reports["month"]).max())
    f = Faults(reports=reports, procurement=procurement, rng=np.random.default_rng(seed), cfg=cfg, last=last,
               used=set(), manifest=[])
    earliest = last - months + 1
    for check in PAIR_FAULTS:
        n = per_check - per_check // 2 if check == "price_spike" and procurement is not None else per_check
        _place(f, check, n, earliest)
    if procurement is not None:
        _procurement_spikes(f, per_check // 2, earliest)
    out = dict(tables)
    out["monthly_reports"] = reports[~reports["_drop"].to_numpy()].drop(columns="_drop").reset_index(drop=True)
    if procurement is not None:
        out["procurement"] = procurement
    return out, pd.DataFrame(f.manifest, columns=MANIFEST_COLUMNS)
