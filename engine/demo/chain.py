"""The monthly loop over the supply chain: channel orders -> producers -> shipments -> patients.

One Python iteration per month; everything inside is vectorised over pairs (N) and
variety-provinces (V x R). Returns the latent history the reported tables are drawn from.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shortage_radar.demo.demand import Demand
from shortage_radar.demo.distribution import ChannelState, channel_month, channel_orders
from shortage_radar.demo.settings import DemoConfig
from shortage_radar.demo.supply import MonthInputs, ProducerState, producer_month
from shortage_radar.demo.vbp import VbpPlan
from shortage_radar.demo.world import World

PAIR_SERIES = ("orders", "production", "sales", "inventory", "capacity", "api_stock")
PROVINCE_SERIES = ("shipped", "dispensed", "stock_start")


@dataclass(frozen=True)
class SupplyPath:
    """[N, T] latent producer history, plus [V, R, T] channel history."""

    orders: np.ndarray      # orders sent to the pair at its share
    production: np.ndarray
    sales: np.ndarray
    inventory: np.ndarray   # end of month
    capacity: np.ndarray    # nominal monthly capacity
    api_stock: np.ndarray   # months of normal use on hand, end of month
    stop_code: np.ndarray   # suspension reason code while stopped (0 = producing)
    cause_code: np.ndarray  # cause of any unfilled own orders
    shipped: np.ndarray     # [V, R, T] units shipped to each province (its purchases)
    dispensed: np.ndarray   # [V, R, T] demand served
    stock_start: np.ndarray  # [V, R, T] channel stock at the start of the month

    @property
    def lost(self) -> np.ndarray:
        """[N, T] own orders not delivered."""
        return np.maximum(self.orders - self.sales, 0.0)


def anticipated_change(profile: np.ndarray) -> np.ndarray:
    """[V, T] anticipated month-on-month demand change (known seasonality and trend)."""
    change = np.ones_like(profile)
    change[:, 1:] = profile[:, 1:] / profile[:, :-1]
    return change


def _start(world: World, demand: Demand, cover: np.ndarray, weight: np.ndarray,
           cfg: DemoConfig) -> tuple[ProducerState, ChannelState]:
    """A market in balance at the first month's demand."""
    first = demand.province[:, :, 0]
    producers = ProducerState.steady(world, demand.national[world.pair_variety, 0] * weight, cfg)
    return producers, ChannelState(stock=cover * first, last_demand=first)


def simulate_chain(world: World, demand: Demand, plan: VbpPlan, api_available: np.ndarray, stops: np.ndarray,
                   cover: np.ndarray, cfg: DemoConfig) -> SupplyPath:
    """Run the supply chain over all months. ``stops`` [N, T] holds exogenous suspension and exit codes."""
    var = world.pair_variety
    n_months = stops.shape[1]
    change = anticipated_change(demand.profile)
    api_share = 1.0 - world.api_exposure[:, None] * (1.0 - api_available[world.variety_api[var]])
    producers, channel = _start(world, demand, cover, plan.weight[:, 0], cfg)
    pairs = {name: np.zeros((world.n_pairs, n_months)) for name in PAIR_SERIES}
    provinces = {name: np.zeros(demand.province.shape) for name in PROVINCE_SERIES}
    codes = {name: np.zeros((world.n_pairs, n_months), dtype=np.int8) for name in ("stop_code", "cause_code")}
    for t in range(n_months):
        ordered = channel_orders(channel, change[:, t], cover, cfg)
        orders = ordered.sum(axis=1)[var] * plan.weight[:, t]
        x = MonthInputs(orders=orders, change=change[var, t], api_share=api_share[:, t], stops=stops[:, t],
                        squeeze=plan.squeeze[:, t], contracted=plan.contracted[:, t])
        month = producer_month(world, producers, x, cfg)
        flow = channel_month(world, channel, ordered, month.sales, demand.province[:, :, t], cfg)
        for name, value in (("orders", orders), ("production", month.production), ("sales", month.sales),
                            ("inventory", producers.inventory), ("capacity", producers.capacity),
                            ("api_stock", producers.api_stock)):
            pairs[name][:, t] = value
        for name in PROVINCE_SERIES:
            provinces[name][:, :, t] = getattr(flow, name)
        codes["stop_code"][:, t], codes["cause_code"][:, t] = month.stop_code, month.cause_code
    return SupplyPath(**pairs, **provinces, **codes)
