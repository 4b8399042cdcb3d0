"""Alerts: varieties whose warning level entered or left orange/red since the previous run, POSTed per subscription.

Each subscription (a webhook URL with optional filters by province, therapeutic class and level) gets one JSON
POST per run listing its changed varieties. A delivery is claimed in the store before it is sent, retried with
backoff on network errors, timeouts, 408, 429 and 5xx, and recorded with its outcome, so one run never alerts
one subscription twice (a failed delivery is tried again by the next call).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import httpx
import numpy as np
import pandas as pd
import yaml
from pydantic import ValidationError

from shortage_radar.config import FrozenModel, load_config
from shortage_radar.contract.panel import Panel, read_panel
from shortage_radar.errors import ArgumentError, ConfigError
from shortage_radar.store import RunRecord, Store
from shortage_radar.store.alerts import DELIVERED, EMPTY, FAILED, claim, finish

RETRY_STATUS = frozenset({408, 429})


class Subscription(FrozenModel):
    name: str
    url: str
    provinces: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    levels: tuple[int, ...] = ()


class AlertsConfig(FrozenModel):
    timeout_seconds: float
    retries: int
    backoff_seconds: float
    backoff_factor: float
    severe_levels: tuple[int, ...]
    send_down: bool
    subscriptions: tuple[Subscription, ...]


@lru_cache(maxsize=1)
def alerts_config() -> AlertsConfig:
    """configs/alerts.yaml, read once."""
    return load_config("alerts", AlertsConfig)


def load_subscriptions(path: Path) -> list[Subscription]:
    """A YAML file with ``subscriptions: [{name, url, provinces?, classes?, levels?}, ...]``; one-line errors."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        items = raw.get("subscriptions") if isinstance(raw, dict) else None
        if not isinstance(items, list):
            raise ConfigError(f"{path}: expected a list under 'subscriptions'")
        subs = [Subscription.model_validate(item) for item in items]
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not YAML ({str(exc).splitlines()[0]})") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ConfigError(f"{path}: subscriptions: {'.'.join(map(str, first['loc']))}: {first['msg']}") from None
    names = [s.name for s in subs]
    if len(set(names)) != len(names):
        raise ConfigError(f"{path}: subscription names must be unique")
    return subs


def webhook(url: str) -> Subscription:
    """A subscription to every change, named by its URL (``--webhook``)."""
    if not url.startswith(("http://", "https://")):
        raise ArgumentError(f"--webhook {url!r}: expected an http:// or https:// URL")
    return Subscription(name=f"webhook {url}"[:100], url=url)


def previous_run(store: Store, month: pd.Period) -> RunRecord | None:
    """The current run of the latest month before ``month`` that has one."""
    earlier = [m for m in store.months() if m < month]
    return store.current_run(earlier[-1]) if earlier else None


def _change(now: np.ndarray, before: np.ndarray, severe: list[int]) -> np.ndarray:
    is_now, was = np.isin(now, severe), np.isin(before, severe)
    change = np.full(len(now), "", dtype=object)
    change[is_now & ~was] = "new"
    change[is_now & was & (now < before)] = "escalated"  # orange -> red
    change[is_now & was & (now > before)] = "down"       # red -> orange
    change[~is_now & was & (now != 0)] = "down"
    change[~is_now & was & (now == 0)] = "resolved"
    return change


def level_changes(store: Store, month: pd.Period, cfg: AlertsConfig) -> tuple[RunRecord, RunRecord | None,
                                                                              pd.DataFrame]:
    """The month's current run, the previous one, and its variety rows whose level entered or left the severe
    levels (``change``: new, escalated, down, resolved)."""
    run = store.current_run(month)
    if run is None:
        raise ArgumentError(f"no run for {month} in the score store: run `shortage score --month {month}` first")
    before = previous_run(store, month)
    now = store.run_rows(run.run_id, entity="variety")
    prev = store.run_rows(before.run_id, entity="variety") if before is not None else now.iloc[:0]
    rows = now.merge(prev[["variety_id", "warning_level", "risk"]].rename(
        columns={"warning_level": "previous_level", "risk": "previous_risk"}), on="variety_id", how="left")
    change = _change(rows["warning_level"].to_numpy(dtype=int),
                     rows["previous_level"].to_numpy(dtype=float), list(cfg.severe_levels))
    rows = rows.assign(change=change)
    keep = rows["change"].isin(["new", "escalated"] + (["down", "resolved"] if cfg.send_down else []))
    return run, before, rows[keep].reset_index(drop=True)


@dataclass(frozen=True)
class VarietyInfo:
    """Names, classes and producer provinces of varieties, from the run's panel."""

    names: pd.DataFrame                 # indexed by variety_id: generic_name, dosage_form, therapeutic_class
    provinces: dict[str, frozenset[str]]

    @classmethod
    def of(cls, panel: Panel) -> VarietyInfo:
        varieties = panel["varieties"].assign(variety_id=lambda f: f["variety_id"].astype(str))
        names = varieties.set_index("variety_id").reindex(columns=["generic_name", "dosage_form",
                                                                   "therapeutic_class"])
        provinces: dict[str, set[str]] = {}
        if "monthly_reports" in panel and "enterprises" in panel:
            pairs = panel["monthly_reports"][["enterprise_id", "variety_id"]].drop_duplicates().astype(str)
            where = panel["enterprises"][["enterprise_id", "province"]].dropna().astype(str)
            for v, p in pairs.merge(where, on="enterprise_id")[["variety_id", "province"]].itertuples(index=False):
                provinces.setdefault(v, set()).add(p)
        return cls(names, {v: frozenset(p) for v, p in provinces.items()})


def _text(value) -> str | None:
    return None if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA else str(value)


def _split(value) -> list[str]:
    return [d.strip() for d in (_text(value) or "").split(";") if d.strip()]


def items(changes: pd.DataFrame, info: VarietyInfo) -> list[dict]:
    """One JSON object per changed variety."""
    out = []
    for r in changes.to_dict("records"):
        v = str(r["variety_id"])
        name = info.names.loc[v] if v in info.names.index else None
        previous = r["previous_level"]
        out.append({
            "variety_id": v, "generic_name": _text(name["generic_name"]) if name is not None else None,
            "dosage_form": _text(name["dosage_form"]) if name is not None else None,
            "month": str(r["month"]), "change": r["change"], "warning_level": int(r["warning_level"]),
            "previous_level": None if pd.isna(previous) else int(previous), "risk": float(r["risk"]),
            "previous_risk": None if pd.isna(r["previous_risk"]) else float(r["previous_risk"]),
            "response_tier": str(r["response_tier"]), "level_reason": _text(r.get("level_reason")),
            "drivers": _split(r.get("drivers")), "drivers_zh": _split(r.get("drivers_zh")),
            "ongoing": bool(r["ongoing"]),
        })
    return out


def matches(item: dict, sub: Subscription, info: VarietyInfo) -> bool:
    """Whether a subscription's filters (all that are set) let this item through."""
    v = item["variety_id"]
    if sub.provinces and not (info.provinces.get(v, frozenset()) & set(sub.provinces)):
        return False
    if sub.classes:
        cls = _text(info.names.loc[v, "therapeutic_class"]) if v in info.names.index else None
        if cls not in sub.classes:
            return False
    return not sub.levels or item["warning_level"] in sub.levels or item["previous_level"] in sub.levels


@dataclass(frozen=True)
class Delivery:
    subscription: str
    url: str
    status: str        # delivered, failed, empty (nothing to send), skipped (already sent for this run)
    items: int
    attempts: int
    error: str | None = None


def post(client: httpx.Client, url: str, body: bytes, cfg: AlertsConfig,
         sleep: Callable[[float], None] = time.sleep) -> tuple[bool, int, str | None]:
    """POST with retries and exponential backoff: (delivered, attempts, last error)."""
    error = None
    for attempt in range(1, cfg.retries + 2):
        try:
            response = client.post(url, content=body, headers={"Content-Type": "application/json"})
            if response.is_success:
                return True, attempt, None
            error = f"HTTP {response.status_code}"
            if response.status_code < 500 and response.status_code not in RETRY_STATUS:
                return False, attempt, error
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"
        if attempt <= cfg.retries:
            sleep(cfg.backoff_seconds * cfg.backoff_factor ** (attempt - 1))
    return False, cfg.retries + 1, error


def send_alerts(store: Store, month: pd.Period, subscriptions: list[Subscription], panel: Panel | None = None,
                cfg: AlertsConfig | None = None, client: httpx.Client | None = None) -> list[Delivery]:
    """For the month's current run: one POST per subscription with its changed varieties; recorded, never twice."""
    cfg = cfg or alerts_config()
    if not subscriptions:
        raise ArgumentError("no alert subscriptions: pass --webhook URL or --config FILE (or list them in "
                            "configs/alerts.yaml)")
    run, before, changes = level_changes(store, month, cfg)
    info = VarietyInfo.of(panel if panel is not None else read_panel(Path(run.data_path)))
    every = items(changes, info)
    own = client is None
    client = client or httpx.Client(timeout=cfg.timeout_seconds)
    try:
        return [_deliver(store, run, before, sub, [i for i in every if matches(i, sub, info)], cfg, client)
                for sub in subscriptions]
    finally:
        if own:
            client.close()


def _deliver(store: Store, run: RunRecord, before: RunRecord | None, sub: Subscription, chosen: list[dict],
             cfg: AlertsConfig, client: httpx.Client) -> Delivery:
    body = json.dumps({"subscription": sub.name, "month": run.month, "run_id": run.run_id,
                       "previous_run_id": before.run_id if before is not None else None,
                       "previous_month": before.month if before is not None else None, "items": chosen},
                      ensure_ascii=False)
    if not claim(store.engine, run.run_id, sub.name, sub.url, body, len(chosen)):
        return Delivery(sub.name, sub.url, "skipped", len(chosen), 0)
    if not chosen:
        finish(store.engine, run.run_id, sub.name, EMPTY, 0)
        return Delivery(sub.name, sub.url, EMPTY, 0, 0)
    ok, attempts, error = post(client, sub.url, body.encode("utf-8"), cfg)
    finish(store.engine, run.run_id, sub.name, DELIVERED if ok else FAILED, attempts, error)
    return Delivery(sub.name, sub.url, DELIVERED if ok else FAILED, len(chosen), attempts, error)
