"""Split each variety's national sales across provinces: last month's demand, home-province bias.

Distributors allocate by last month's provincial demand, tilted towards the provinces where
the goods are made; what a province cannot use goes to provinces still short. So a regional
surge or a home producer's outage leaves some provinces short while others are served.
"""

from __future__ import annotations

import numpy as np

from shortage_radar.demo.demand import Demand
from shortage_radar.demo.settings import DemoConfig
from shortage_radar.demo.supply import SupplyPath
from shortage_radar.demo.world import World


def home_share(world: World, sales: np.ndarray) -> np.ndarray:
    """[V, R, T] share of each variety's sales made by enterprises located in each province."""
    n_v, n_r = world.n_varieties, world.n_provinces
    row = world.pair_variety * n_r + world.enterprise_province[world.pair_enterprise]
    made = np.zeros((n_v * n_r, sales.shape[1]))
    np.add.at(made, row, sales)
    made = made.reshape(n_v, n_r, -1)
    total = made.sum(axis=1, keepdims=True)
    return np.divide(made, total, out=np.zeros_like(made), where=total > 0)


def allocate(world: World, demand: Demand, supply: SupplyPath, cfg: DemoConfig) -> np.ndarray:
    """[V, R, T] units received by each province (never more than its demand)."""
    need = demand.province
    national = np.zeros((world.n_varieties, need.shape[2]))
    np.add.at(national, world.pair_variety, supply.sales)
    lagged = np.concatenate([need[:, :, :1], need[:, :, :-1]], axis=2)
    weight = lagged * (1.0 + cfg.distribution.home_bias * home_share(world, supply.sales))
    weight /= weight.sum(axis=1, keepdims=True)
    first = np.minimum(need, national[:, None, :] * weight)
    left = national - first.sum(axis=1)
    unmet = need - first
    total_unmet = unmet.sum(axis=1)
    top_up = np.divide(left, total_unmet, out=np.zeros_like(left), where=total_unmet > 0)
    return first + unmet * np.minimum(top_up, 1.0)[:, None, :]
