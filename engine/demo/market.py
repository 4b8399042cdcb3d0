"""Prices: list price with inflation, the procurement cut at selection, and shortage markups."""

from __future__ import annotations

import numpy as np

from shortage_radar.demo.settings import DemoConfig
from shortage_radar.demo.timeline import Timeline
from shortage_radar.demo.vbp import VbpPlan
from shortage_radar.demo.world import World


def retail_price(world: World, timeline: Timeline, plan: VbpPlan, national_unmet: np.ndarray,
                 cfg: DemoConfig) -> np.ndarray:
    """[V, T] market price: inflation; cut at selection; markup with unmet demand while not procured."""
    m = cfg.market
    t = np.arange(timeline.n)[None, :]
    procured = (plan.select_month[:, None] >= 0) & (t >= plan.select_month[:, None])
    inflation = (1 + m.inflation_per_year) ** timeline.years[None, :]
    cut = np.where(procured, 1 - plan.price_cut[:, None], 1.0)
    markup = np.where(procured, 1.0, 1 + m.shortage_markup * np.clip(national_unmet, 0.0, 1.0))
    return world.list_price[:, None] * inflation * cut * markup


def ex_factory_price(rng: np.random.Generator, world: World, price: np.ndarray, cfg: DemoConfig) -> np.ndarray:
    """[N, T] producer's ex-factory price: its share of the market price, with small noise."""
    noise = rng.lognormal(0.0, cfg.market.price_noise_sigma, (world.n_pairs, price.shape[1]))
    return price[world.pair_variety] * world.ex_factory_ratio[:, None] * noise
