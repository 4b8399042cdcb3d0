"""Abnormally high prices (价格异常): a price far above its own recent level and above its peers this month.

Procurement prices are judged per (variety, province) against the variety's other provinces;
ex-factory prices per (enterprise, variety) against the variety's other producers.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from shortage_radar.audit import findings
from shortage_radar.audit.context import AuditInput
from shortage_radar.audit.settings import PriceConfig


def _spikes(prices: np.ndarray, groups: np.ndarray, cfg: PriceConfig) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows spiking in the last month: (rows, own ratio, peer ratio) from a [rows, months] price grid."""
    now = prices[:, -1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        own = now / np.nanmedian(prices[:, -1 - cfg.recent_months:-1], axis=1)
        peer_median = pd.Series(now).groupby(groups).transform("median").to_numpy()
        peers = pd.Series(~np.isnan(now)).groupby(groups).transform("sum").to_numpy()
        peer = np.where(peers >= 2, now / peer_median, np.inf)  # no peers: the own level decides
    spike = (own >= cfg.own_ratio) & (peer >= cfg.peer_ratio)
    rows = np.flatnonzero(spike)
    return rows, own[rows], peer[rows]


def _procurement_grid(inp: AuditInput) -> tuple[pd.DataFrame, np.ndarray]:
    table = inp.procurement
    months = inp.grid.months
    v_codes, varieties = pd.factorize(table["variety_id"], sort=True)
    p_codes, provinces = pd.factorize(table["province"], sort=True)
    rows, pairs = pd.factorize(v_codes.astype(np.int64) * len(provinces) + p_codes, sort=True)
    keys = pd.DataFrame({"variety_id": np.asarray(varieties, dtype=object)[pairs // len(provinces)],
                         "province": np.asarray(provinces, dtype=object)[pairs % len(provinces)]})
    cols = pd.PeriodIndex(table["month"], freq="M").asi8 - months[0].ordinal
    grid = np.full((len(keys), len(months)), np.nan)
    grid[rows, cols] = table["avg_price"].to_numpy(dtype=float)
    return keys, grid


def _words(kind: str, now: float, own: float, peer: float, cfg: PriceConfig, peers: str) -> str:
    against = f", {peer:.1f}x the median of {peers}" if np.isfinite(peer) else " (no other to compare with)"
    return (f"{kind} {now:,.2f} CNY/unit is {own:.1f}x its median of the last {cfg.recent_months} months"
            f"{against}")


def price_spike(inp: AuditInput) -> pd.DataFrame:
    """Procurement and ex-factory prices far above their own recent level and their peers."""
    cfg = inp.cfg.price_spike
    parts = []
    if inp.procurement is not None and len(inp.procurement):
        keys, grid = _procurement_grid(inp)
        rows, own, peer = _spikes(grid, keys["variety_id"].to_numpy(), cfg)
        k = keys.iloc[rows]
        detail = [_words("procurement price", grid[r, -1], o, p, cfg, "the variety's other provinces")
                  for r, o, p in zip(rows, own, peer, strict=True)]
        parts.append(findings.frame(inp.month, "price_spike", np.where(own >= cfg.high_ratio, "high", "medium"),
                                    k["province"], None, k["variety_id"], detail))
    prices = inp.grid.get("ex_factory_price")
    if len(prices):
        keys = inp.grid.keys
        rows, own, peer = _spikes(prices, keys["variety_id"].to_numpy(), cfg)
        k = keys.iloc[rows]
        detail = [_words("ex-factory price", prices[r, -1], o, p, cfg, "the variety's other producers")
                  for r, o, p in zip(rows, own, peer, strict=True)]
        parts.append(findings.frame(inp.month, "price_spike", np.where(own >= cfg.high_ratio, "high", "medium"),
                                    inp.province_of(k["enterprise_id"]), k["enterprise_id"], k["variety_id"], detail))
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else findings.empty()
