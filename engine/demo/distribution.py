"""The distribution channel, one month at a time: orders, allocation to provinces, dispensing.

Distributors and hospitals in each province hold a few weeks of stock and order to refill
it; producers' shipments are split by those orders, tilted towards the provinces where the
goods are made. Patients are served from channel stock, so a supply cut becomes unmet
demand only once the channel runs dry, and provinces far from the producers run dry first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shortage_radar.demo.settings import DemoConfig
from shortage_radar.demo.world import World


@dataclass
class ChannelState:
    """[V, R] channel stock and the demand seen last month."""

    stock: np.ndarray
    last_demand: np.ndarray


@dataclass(frozen=True)
class ChannelMonth:
    """[V, R] one month of the channel."""

    orders: np.ndarray
    shipped: np.ndarray
    dispensed: np.ndarray
    stock_start: np.ndarray  # channel stock before this month's shipments arrive


def coverage(rng: np.random.Generator, world: World, cfg: DemoConfig) -> np.ndarray:
    """[V, R] months of demand the channel aims to hold (variety norm x provincial variation)."""
    c = cfg.channel
    variety = rng.lognormal(np.log(c.coverage_months.median), c.coverage_months.sigma, world.n_varieties)
    return variety[:, None] * rng.lognormal(0.0, c.province_sigma, (world.n_varieties, world.n_provinces))


def home_share(world: World, sales: np.ndarray) -> np.ndarray:
    """[V, R] share of each variety's sales this month made by enterprises located in each province."""
    n_v, n_r = world.n_varieties, world.n_provinces
    row = world.pair_variety * n_r + world.enterprise_province[world.pair_enterprise]
    made = np.bincount(row, weights=sales, minlength=n_v * n_r).reshape(n_v, n_r)
    total = made.sum(axis=1, keepdims=True)
    return np.divide(made, total, out=np.zeros_like(made), where=total > 0)


def channel_orders(st: ChannelState, change: np.ndarray, cover: np.ndarray, cfg: DemoConfig) -> np.ndarray:
    """[V, R] orders: expected demand plus part of the gap to the stock target (capped: no endless panic)."""
    c = cfg.channel
    expected = st.last_demand * change[:, None]
    wanted = expected + c.restock_rate * (cover * expected - st.stock)
    return np.clip(wanted, 0.0, c.max_order_months * expected)


def _split(total: np.ndarray, orders: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Split ``total`` [V] over provinces by ``weight`` without exceeding orders; leftovers go where still short."""
    norm = weight.sum(axis=1, keepdims=True)
    first = np.minimum(orders, total[:, None] * np.divide(weight, norm, out=np.zeros_like(weight), where=norm > 0))
    left = total - first.sum(axis=1)
    short = orders - first
    short_total = short.sum(axis=1)
    top_up = np.divide(left, short_total, out=np.zeros_like(left), where=short_total > 0)
    return first + short * np.minimum(top_up, 1.0)[:, None]


def channel_month(world: World, st: ChannelState, orders: np.ndarray, sales: np.ndarray, demand: np.ndarray,
                  cfg: DemoConfig) -> ChannelMonth:
    """Ship producers' sales to provinces, serve patients from stock (updates ``st`` in place)."""
    national = np.bincount(world.pair_variety, weights=sales, minlength=world.n_varieties)
    weight = orders * (1.0 + cfg.distribution.home_bias * home_share(world, sales))
    shipped = _split(national, orders, weight)
    stock_start = st.stock
    available = stock_start + shipped
    dispensed = np.minimum(demand, available)
    st.stock = available - dispensed
    st.last_demand = demand
    return ChannelMonth(orders=orders, shipped=shipped, dispensed=dispensed, stock_start=stock_start)
