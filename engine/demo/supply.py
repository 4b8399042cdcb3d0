"""Producers, one month at a time: planning, API stock, production, and sales with spill-over.

Producers plan from last month's orders (times the anticipated seasonal change), so surges
and outages hit stock first. Orders a producer cannot fill spill over to the variety's other
producers with stock to spare; with one or two producers there is no one to spill to.
Capacity grows slowly while orders keep exceeding it (so a market recovers after an exit);
procurement winners size their capacity for the contracted volume when they win.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shortage_radar.demo import reasons
from shortage_radar.demo.settings import DemoConfig
from shortage_radar.demo.world import World


@dataclass
class ProducerState:
    """What every pair carries from one month to the next."""

    inventory: np.ndarray
    api_stock: np.ndarray   # months of expected use on hand
    api_use: np.ndarray     # the monthly use those months are counted in
    api_floor: np.ndarray   # smallest use counted (keeps months finite for idle producers)
    capacity: np.ndarray
    seen: np.ndarray        # orders seen last month (own + share of the variety's unfilled)

    @classmethod
    def steady(cls, world: World, orders: np.ndarray, cfg: DemoConfig) -> ProducerState:
        """The state of a market in balance at the given orders."""
        return cls(inventory=world.pair_target_months * orders, api_stock=world.api_target.copy(),
                   api_use=orders.copy(), api_floor=cfg.supply.api_use_floor * orders,
                   capacity=world.headroom * orders, seen=orders.copy())


@dataclass(frozen=True)
class ProducerMonth:
    """One month's outcome for every pair."""

    production: np.ndarray
    sales: np.ndarray
    stop_code: np.ndarray   # suspension reason while stopped (exogenous, exit or API), 0 = producing
    cause_code: np.ndarray  # cause of any unfilled own orders


@dataclass(frozen=True)
class MonthInputs:
    """Exogenous inputs of one month, per pair."""

    orders: np.ndarray      # orders sent to the pair at its share
    change: np.ndarray      # anticipated demand change since last month
    api_share: np.ndarray   # share of wanted API the market can supply
    stops: np.ndarray       # exogenous suspension / exit code
    squeeze: np.ndarray     # usable share of capacity
    contracted: np.ndarray  # procurement contract volume (winners size capacity for it)


def per_variety(world: World, values: np.ndarray) -> np.ndarray:
    """Sum pair values by variety."""
    return np.bincount(world.pair_variety, weights=values, minlength=world.n_varieties)


def _produce(world: World, st: ProducerState, wanted: np.ndarray, use: np.ndarray, api_share: np.ndarray,
             cfg: DemoConfig) -> tuple[np.ndarray, np.ndarray]:
    """Output limited by API on hand (topped up from the market); returns output and API shortfall share.

    API stock is kept in months of the pair's expected use ``use``; a producer buys what its
    target needs (at most ``api_refill_max_months`` of use), and the market supplies ``api_share`` of it.
    """
    on_hand = st.api_stock * st.api_use
    need = world.api_target * use - on_hand + wanted
    buy = np.clip(need, 0.0, cfg.supply.api_refill_max_months * use) * api_share
    output = np.minimum(wanted, on_hand + buy)
    st.api_use = np.maximum(use, st.api_floor)
    st.api_stock = (on_hand + buy - output) / st.api_use
    shortfall = np.divide(wanted - output, wanted, out=np.zeros_like(wanted), where=wanted > 0)
    return output, shortfall


def _sell(world: World, orders: np.ndarray, available: np.ndarray, usable: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Fill own orders, spill the unfilled to producers with stock to spare; returns sales and orders seen."""
    first = np.minimum(orders, available)
    spare = available - first
    unfilled = per_variety(world, orders - first)
    spare_total = per_variety(world, spare)
    take = np.divide(unfilled, spare_total, out=np.zeros_like(unfilled), where=spare_total > 0)
    sales = first + spare * np.minimum(take, 1.0)[world.pair_variety]
    usable_total = per_variety(world, usable)[world.pair_variety]
    share = np.divide(usable, usable_total, out=np.zeros_like(usable), where=usable_total > 0)
    return sales, first + unfilled[world.pair_variety] * share


def _causes(stops: np.ndarray, api_gap: np.ndarray, squeezed: np.ndarray, cfg: DemoConfig) -> np.ndarray:
    """Cause code of lost supply: suspension or exit, else API, else squeeze, else other."""
    api = api_gap > cfg.suspensions.api_binding_tolerance
    return np.select([stops != reasons.NONE, api, squeezed],
                     [stops, reasons.code("api_shortage"), reasons.code("economic")],
                     reasons.code("other")).astype(np.int8)


def producer_month(world: World, st: ProducerState, x: MonthInputs, cfg: DemoConfig) -> ProducerMonth:
    """Advance every pair by one month (updates ``st`` in place)."""
    s = cfg.supply
    expected = np.maximum(st.seen * x.change, x.contracted)
    plan = np.maximum(expected + s.restock_rate * (world.pair_target_months * expected - st.inventory), 0.0)
    running = x.stops == reasons.NONE
    st.capacity = np.maximum(st.capacity, x.contracted * world.headroom)
    usable = st.capacity * x.squeeze * running
    output, api_gap = _produce(world, st, np.minimum(plan, usable), expected, x.api_share, cfg)
    available = st.inventory + output
    sales, seen = _sell(world, x.orders, available, usable)
    st.inventory = available - sales
    binding = running & (seen > st.capacity)
    st.capacity = st.capacity + binding * s.capacity_expansion_rate * (seen * s.expansion_headroom - st.capacity)
    st.seen = seen
    api_stop = running & (api_gap >= cfg.suspensions.api_trigger_shortfall)
    return ProducerMonth(
        production=output,
        sales=sales,
        stop_code=np.where(api_stop, reasons.code("api_shortage"), x.stops).astype(np.int8),
        cause_code=_causes(x.stops, api_gap, (x.squeeze < 1) & (usable < plan), cfg),
    )
