"""Centralized procurement (VBP): batch selection, price cuts, winners' contracts, squeeze and exits.

Selected varieties get a deep price cut at their batch month: the winning bid is the lowest
producer cost plus a bid margin that is sometimes negative. Winners (lowest cost) get a
contracted share of demand; low-margin winners are squeezed (their usable capacity decays,
so they under-deliver); low-margin losers exit after a lag (economic or discontinued).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shortage_radar.demo import reasons
from shortage_radar.demo.settings import DemoConfig
from shortage_radar.demo.timeline import Timeline
from shortage_radar.demo.world import World, uniform, whole_months

NEVER = -1


@dataclass(frozen=True)
class VbpPlan:
    """Who is selected when, at what price, who wins, and the consequences over time."""

    batch: np.ndarray         # [V] 1-based batch number, 0 if never selected in the panel
    select_month: np.ndarray  # [V] month index of selection, NEVER if not selected
    price_cut: np.ndarray     # [V] share of the price removed at selection (0 if never)
    winner: np.ndarray        # [N] bool
    weight: np.ndarray        # [N, T] share of the variety's orders sent to each pair
    contracted: np.ndarray    # [N, T] contracted monthly volume (0 if none)
    exit_code: np.ndarray     # [N, T] economic / discontinued code while the pair has exited
    squeeze: np.ndarray       # [N, T] usable share of capacity (1 = not squeezed)

    def selected_by(self, month: int) -> np.ndarray:
        """[V] bool: selected at or before ``month``."""
        return (self.select_month != NEVER) & (self.select_month <= month)


def _select(rng: np.random.Generator, world: World, timeline: Timeline,
            cfg: DemoConfig) -> tuple[np.ndarray, np.ndarray]:
    """Batch number and selection month per variety (eligible: enough producers, not yet selected)."""
    v = cfg.vbp
    batch = np.zeros(world.n_varieties, dtype=np.int64)
    month = np.full(world.n_varieties, NEVER, dtype=np.int64)
    eligible = world.n_producers >= v.min_producers
    for number, label in enumerate(v.batch_months, start=1):
        draw = rng.random(world.n_varieties) < v.select_fraction
        at = timeline.index_of(label)
        if not 0 <= at < timeline.n:
            continue
        chosen = eligible & (batch == 0) & draw
        batch[chosen], month[chosen] = number, at
    return batch, month


def _winners(world: World, selected: np.ndarray, max_winners: int) -> tuple[np.ndarray, np.ndarray]:
    """Lowest-cost producers of selected varieties win (at most ``max_winners``, always one loser)."""
    order = np.lexsort((world.cost_ratio, world.pair_variety))
    counts = world.n_producers
    starts = np.cumsum(counts) - counts
    rank = np.empty(world.n_pairs, dtype=np.int64)
    rank[order] = np.arange(world.n_pairs) - np.repeat(starts, counts)
    n_win = np.minimum(max_winners, counts - 1)
    winner = selected[world.pair_variety] & (rank < n_win[world.pair_variety])
    return winner, np.maximum(n_win, 1)


def _price_cut(rng: np.random.Generator, world: World, winner: np.ndarray, cfg: DemoConfig) -> np.ndarray:
    """[V] share of the price removed: the winning bid is the lowest cost plus a bid margin (may be negative)."""
    lowest = np.full(world.n_varieties, np.inf)
    np.minimum.at(lowest, world.pair_variety[winner], world.cost_ratio[winner])
    bid = lowest * (1 + uniform(rng, cfg.vbp.bid_margin, world.n_varieties))
    return np.where(np.isfinite(bid), np.clip(1 - bid, cfg.vbp.min_price_cut, cfg.vbp.max_price_cut), 0.0)


def _contract_demand(world: World, profile: np.ndarray) -> np.ndarray:
    """[V, T] expected monthly demand (known seasonality and trend): what contracts call off each month."""
    return world.base_demand[:, None] * profile


def _since(start: np.ndarray, n_months: int) -> np.ndarray:
    """[n, T] months since ``start`` (1 in the start month, <= 0 before it or when NEVER)."""
    months = np.arange(n_months)[None, :] - start[:, None] + 1
    return np.where(start[:, None] == NEVER, 0, months)


def _exits(rng: np.random.Generator, world: World, low_margin: np.ndarray, winner: np.ndarray,
           pair_month: np.ndarray, n_months: int, cfg: DemoConfig) -> np.ndarray:
    """[N, T] exit code: low-margin losers stop after a lag, for good (discontinued) or for a while (economic)."""
    v = cfg.vbp
    exits = low_margin & ~winner & (rng.random(world.n_pairs) < v.exit_prob)
    start = np.where(exits, pair_month + whole_months(rng, v.exit_lag_months, world.n_pairs), NEVER)
    discontinued = rng.random(world.n_pairs) < v.discontinued_prob
    length = np.where(discontinued, n_months, whole_months(rng, v.economic_duration_months, world.n_pairs))
    since = _since(start, n_months)
    stopped = (since > 0) & (since <= length[:, None])
    kind = np.where(discontinued, reasons.code("discontinued"), reasons.code("economic"))
    return np.where(stopped, kind[:, None], reasons.NONE).astype(np.int8)


def _squeeze(rng: np.random.Generator, world: World, low_margin: np.ndarray, winner: np.ndarray,
             pair_month: np.ndarray, n_months: int, cfg: DemoConfig) -> np.ndarray:
    """[N, T] usable capacity share of low-margin winners: decays after a lag down to a floor."""
    v = cfg.vbp
    start = np.where(low_margin & winner, pair_month + whole_months(rng, v.squeeze_lag_months, world.n_pairs), NEVER)
    since = _since(start, n_months)
    return np.where(since > 0, np.maximum(v.squeeze_floor, (1 - v.squeeze_rate) ** np.maximum(since, 0)), 1.0)


def plan_vbp(rng: np.random.Generator, world: World, timeline: Timeline, profile: np.ndarray,
             cfg: DemoConfig) -> VbpPlan:
    """Draw the procurement batches and everything that follows from them."""
    v, n_months, var = cfg.vbp, timeline.n, world.pair_variety
    batch, select_month = _select(rng, world, timeline, cfg)
    selected = select_month != NEVER
    winner, n_win = _winners(world, selected, v.max_winners)
    price_cut = np.where(selected, _price_cut(rng, world, winner, cfg), 0.0)
    pair_month = select_month[var]
    after = _since(pair_month, n_months) > 0
    contract_weight = v.contract_share * winner / n_win[var] + (1 - v.contract_share) * world.share
    demand = _contract_demand(world, profile)[var]
    contract = v.contract_share * demand / n_win[var][:, None]
    low_margin = selected[var] & ((1 - price_cut[var]) / world.cost_ratio - 1 < v.min_margin)
    return VbpPlan(
        batch=batch,
        select_month=select_month,
        price_cut=price_cut,
        winner=winner,
        weight=np.where(after, contract_weight[:, None], world.share[:, None]),
        contracted=np.where(after & winner[:, None], contract, 0.0),
        exit_code=_exits(rng, world, low_margin, winner, pair_month, n_months, cfg),
        squeeze=_squeeze(rng, world, low_margin, winner, pair_month, n_months, cfg),
    )
