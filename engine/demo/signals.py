"""Market-side tables: ``procurement`` (purchases and prices per province) and ``institution_reports``.

Purchases are what provinces' channels received (so they show rationing), priced at the market
price (cut at procurement selection, marked up in shortages) with a provincial level.
Sentinel institutions report a variety short at a rate that grows with provincial unmet
demand, on top of a variety-specific false-alarm rate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from shortage_radar.demo import columns as col
from shortage_radar.demo.settings import DemoConfig
from shortage_radar.demo.timeline import Timeline
from shortage_radar.demo.world import World

if TYPE_CHECKING:
    from shortage_radar.demo.panel import Truth


def _month_province_variety(shape: tuple[int, int, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Indices of a [V, R, T] array in (month, province, variety) row order."""
    n_v, n_r, n_t = shape
    t, r, v = np.meshgrid(np.arange(n_t), np.arange(n_r), np.arange(n_v), indexing="ij")
    return t.ravel(), r.ravel(), v.ravel()


def _keys(world: World, timeline: Timeline, keys: dict[str, np.ndarray], t: np.ndarray, r: np.ndarray,
          v: np.ndarray) -> dict[str, pd.api.extensions.ExtensionArray]:
    """The key columns (month, province, variety_id) of a province-level table."""
    return {
        "month": col.months(t, timeline.labels),
        "province": col.text(r, world.province_names),
        "variety_id": col.text(v, keys["variety"]),
    }


def procurement_table(rng: np.random.Generator, world: World, shipped: np.ndarray, price: np.ndarray,
                      timeline: Timeline, keys: dict[str, np.ndarray], cfg: DemoConfig) -> pd.DataFrame:
    """One row per (month, province, variety): purchased volume and average price."""
    m, r = cfg.market, cfg.reporting
    volume = np.transpose(shipped * rng.lognormal(0.0, m.volume_noise_sigma, shipped.shape), (2, 1, 0))
    level = rng.lognormal(0.0, m.province_price_sigma, world.n_provinces)
    unit = price[:, None, :] * level[None, :, None] * rng.lognormal(0.0, m.price_noise_sigma, shipped.shape)
    unit = np.transpose(unit, (2, 1, 0))
    volume = col.number(volume.ravel(), r.volume_decimals)
    t, p, v = _month_province_variety(shipped.shape)
    frame = _keys(world, timeline, keys, t, p, v)
    frame["purchase_volume"] = volume
    frame["avg_price"] = col.positive(unit.ravel(), r.price_decimals, present=volume > 0)
    return pd.DataFrame(frame)


def _tightness(truth: Truth) -> np.ndarray:
    """[V, R, T] how far channel stock has fallen below its target (0 = at or above target, 1 = empty)."""
    target = truth.cover[:, :, None] * truth.demand.province
    return np.clip(1.0 - truth.supply.stock_start / target, 0.0, 1.0)


def institution_reports_table(rng: np.random.Generator, world: World, truth: Truth, keys: dict[str, np.ndarray],
                              cfg: DemoConfig) -> pd.DataFrame:
    """One row per (month, province, variety) with at least one institution reporting it short."""
    c = cfg.institutions
    institutions = np.rint(c.per_million * world.population)
    false_alarm = rng.lognormal(np.log(c.false_alarm.median), c.false_alarm.sigma, world.n_varieties)
    rate = (false_alarm[:, None, None] + c.sensitivity * np.clip(truth.unmet.province, 0.0, 1.0)
            + c.tightness_sensitivity * _tightness(truth))
    counts = rng.poisson(institutions[None, :, None] * rate)
    counts = np.transpose(counts, (2, 1, 0))
    t, r, v = np.nonzero(counts)
    frame = _keys(world, truth.timeline, keys, t, r, v)
    frame["reports"] = col.integer(counts[t, r, v])
    return pd.DataFrame(frame)
