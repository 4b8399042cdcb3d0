"""Month-by-month supply: planning, API stock, production, sales with spill-over, capacity growth.

One loop over months, vectorised over producer pairs (N) and varieties (V). Producers plan
from last month's orders (times the anticipated seasonal change), so surges and outages hit
stock first. Orders a producer cannot fill spill over to the variety's other producers with
stock to spare; with one or two producers there is no one to spill to.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shortage_radar.demo import reasons
from shortage_radar.demo.demand import Demand
from shortage_radar.demo.settings import DemoConfig
from shortage_radar.demo.vbp import VbpPlan
from shortage_radar.demo.world import World


@dataclass(frozen=True)
class SupplyPath:
    """[N, T] latent supply history of every producer pair."""

    orders: np.ndarray      # orders sent to the pair at its normal share
    production: np.ndarray
    sales: np.ndarray
    inventory: np.ndarray   # end of month
    capacity: np.ndarray    # nominal monthly capacity
    api_stock: np.ndarray   # months of normal use on hand, end of month
    stop_code: np.ndarray   # suspension reason code while production is stopped (0 = producing)
    cause_code: np.ndarray  # cause of any unfilled own orders (for shortage reasons)
    lost: np.ndarray        # own orders not delivered


@dataclass
class _State:
    inventory: np.ndarray
    api_stock: np.ndarray
    capacity: np.ndarray
    seen: np.ndarray        # orders seen last month (own + share of the variety's unfilled)


@dataclass(frozen=True)
class _Month:
    production: np.ndarray
    sales: np.ndarray
    stop_code: np.ndarray
    cause_code: np.ndarray


def _per_variety(var: np.ndarray, values: np.ndarray, n_varieties: int) -> np.ndarray:
    return np.bincount(var, weights=values, minlength=n_varieties)


def _anticipated_change(profile: np.ndarray) -> np.ndarray:
    """[V, T] anticipated month-on-month demand change (known seasonality and trend)."""
    change = np.ones_like(profile)
    change[:, 1:] = profile[:, 1:] / profile[:, :-1]
    return change


def _produce(world: World, st: _State, plan: np.ndarray, usable: np.ndarray, api_share: np.ndarray,
             cfg: DemoConfig) -> tuple[np.ndarray, np.ndarray]:
    """Output limited by plan, usable capacity and API on hand; returns output and API shortfall share."""
    s = cfg.supply
    normal = world.share * world.base_demand[world.pair_variety]
    wanted = np.minimum(plan, usable)
    buy = np.clip(world.api_target - st.api_stock + wanted / normal, 0.0, s.api_refill_max_months) * api_share
    output = np.minimum(wanted, (st.api_stock + buy) * normal)
    st.api_stock = np.maximum(st.api_stock + buy - output / normal, 0.0)
    shortfall = np.where(wanted > 0, 1.0 - output / np.where(wanted > 0, wanted, 1.0), 0.0)
    return output, shortfall


def _sell(world: World, orders: np.ndarray, available: np.ndarray, usable: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Fill own orders, spill the unfilled to producers with stock to spare; returns sales and orders seen."""
    var, n_v = world.pair_variety, world.n_varieties
    first = np.minimum(orders, available)
    spare = available - first
    unfilled = _per_variety(var, orders - first, n_v)
    spare_total = _per_variety(var, spare, n_v)
    take = np.divide(unfilled, spare_total, out=np.zeros(n_v), where=spare_total > 0)
    sales = first + spare * np.minimum(take, 1.0)[var]
    usable_total = _per_variety(var, usable, n_v)
    share = np.divide(usable, usable_total[var], out=np.zeros_like(usable), where=usable_total[var] > 0)
    return sales, first + unfilled[var] * share


def _step(world: World, st: _State, t: int, orders: np.ndarray, change: np.ndarray, api_share: np.ndarray,
          stops: np.ndarray, squeeze: np.ndarray, cfg: DemoConfig) -> _Month:
    """Advance every pair by one month."""
    s, sp = cfg.supply, cfg.suspensions
    expected = st.seen * change
    plan = np.maximum(expected + s.restock_rate * (world.pair_target_months * expected - st.inventory), 0.0)
    running = stops == reasons.NONE
    usable = st.capacity * squeeze * running
    output, api_gap = _produce(world, st, plan, usable, api_share, cfg)
    available = st.inventory + output
    sales, seen = _sell(world, orders, available, usable)
    st.inventory = available - sales
    binding = running & (seen > st.capacity)
    st.capacity = st.capacity + binding * s.capacity_expansion_rate * (seen * s.expansion_headroom - st.capacity)
    st.seen = seen
    api_stop = running & (api_gap >= sp.api_trigger_shortfall)
    stop_code = np.where(api_stop, reasons.code("api_shortage"), stops)
    squeezed = (squeeze < 1) & (usable < plan)
    cause = np.where(stops != reasons.NONE, stops,
                     np.where(api_gap > sp.api_binding_tolerance, reasons.code("api_shortage"),
                              np.where(squeezed, reasons.code("economic"), reasons.code("other"))))
    return _Month(production=output, sales=sales, stop_code=stop_code, cause_code=cause)


def simulate_supply(world: World, demand: Demand, plan: VbpPlan, api_available: np.ndarray, stops: np.ndarray,
                    cfg: DemoConfig) -> SupplyPath:
    """Run the supply chain over all months. ``stops`` [N, T] holds exogenous suspension and exit codes."""
    var = world.pair_variety
    orders = demand.national[var] * plan.weight
    change = _anticipated_change(demand.profile)[var]
    api_share = 1.0 - world.api_exposure[:, None] * (1.0 - api_available[world.variety_api[var]])
    st = _State(inventory=world.pair_target_months * orders[:, 0], api_stock=world.api_target.copy(),
                capacity=world.headroom * orders[:, 0], seen=orders[:, 0].copy())
    shape = orders.shape
    out = {name: np.zeros(shape) for name in ("production", "sales", "inventory", "capacity", "api_stock")}
    stop_code = np.zeros(shape, dtype=np.int8)
    cause_code = np.zeros(shape, dtype=np.int8)
    for t in range(shape[1]):
        month = _step(world, st, t, orders[:, t], change[:, t], api_share[:, t], stops[:, t], plan.squeeze[:, t], cfg)
        out["production"][:, t], out["sales"][:, t] = month.production, month.sales
        out["inventory"][:, t], out["capacity"][:, t], out["api_stock"][:, t] = st.inventory, st.capacity, st.api_stock
        stop_code[:, t], cause_code[:, t] = month.stop_code, month.cause_code
    lost = np.maximum(orders - out["sales"], 0.0)
    return SupplyPath(orders=orders, stop_code=stop_code, cause_code=cause_code, lost=lost, **out)
