"""Centralized procurement (VBP): batch selection, price cuts, winners' contracts, squeeze and exits.

Selected varieties get a deep price cut at their batch month. Winners (lowest cost) get a
contracted share of demand; low-margin winners are squeezed (their usable capacity decays,
so they under-deliver); low-margin losers exit after a lag (economic or discontinued).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shortage_radar.demo import reasons
from shortage_radar.demo.settings import DemoConfig
from shortage_radar.demo.timeline import MONTHS_PER_YEAR, Timeline
from shortage_radar.demo.world import World, whole_months

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


def _select(rng: np.random.Generator, world: World, timeline: Timeline, cfg: DemoConfig) -> tuple[np.ndarray, np.ndarray]:
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


def _contract_demand(world: World, profile: np.ndarray, select_month: np.ndarray, renewal: int) -> np.ndarray:
    """[V, T] expected monthly demand of the current contract period (renewed every ``renewal`` months)."""
    n_months = profile.shape[1]
    t = np.arange(n_months)[None, :]
    since = np.maximum(t - select_month[:, None], 0)
    period_start = np.minimum(select_month[:, None] + since // renewal * renewal, n_months - 1)
    cum = np.concatenate([np.zeros((len(profile), 1)), np.cumsum(profile, axis=1)], axis=1)
    period_end = np.minimum(period_start + renewal, n_months)
    rows = np.arange(len(profile))[:, None]
    mean = (cum[rows, period_end] - cum[rows, period_start]) / (period_end - period_start)
    return world.base_demand[:, None] * mean


def _spell(start: np.ndarray, length: np.ndarray, n_months: int) -> np.ndarray:
    """[n, T] bool: months ``start .. start+length-1`` (start NEVER = none)."""
    t = np.arange(n_months)[None, :]
    return (start[:, None] != NEVER) & (t >= start[:, None]) & (t < start[:, None] + length[:, None])


def plan_vbp(rng: np.random.Generator, world: World, timeline: Timeline, profile: np.ndarray,
             cfg: DemoConfig) -> VbpPlan:
    """Draw the procurement batches and everything that follows from them."""
    v, n_months = cfg.vbp, timeline.n
    batch, select_month = _select(rng, world, timeline, cfg)
    selected = select_month != NEVER
    price_cut = np.where(selected, rng.beta(*v.price_cut_beta, world.n_varieties), 0.0)
    winner, n_win = _winners(world, selected, v.max_winners)
    pair_month = select_month[world.pair_variety]
    after = (np.arange(n_months)[None, :] >= pair_month[:, None]) & (pair_month[:, None] != NEVER)
    contract_weight = v.contract_share * winner / n_win[world.pair_variety] + (1 - v.contract_share) * world.share
    weight = np.where(after, contract_weight[:, None], world.share[:, None])
    demand = _contract_demand(world, profile, select_month, v.contract_renewal_months)[world.pair_variety]
    contracted = np.where(after & winner[:, None], v.contract_share * demand / n_win[world.pair_variety][:, None], 0.0)
    low_margin = selected[world.pair_variety] & ((1 - price_cut[world.pair_variety]) / world.cost_ratio - 1 < v.min_margin)
    exits = low_margin & ~winner & (rng.random(world.n_pairs) < v.exit_prob)
    exit_start = np.where(exits, pair_month + whole_months(rng, v.exit_lag_months, world.n_pairs), NEVER)
    discontinued = rng.random(world.n_pairs) < v.discontinued_prob
    duration = np.where(discontinued, n_months, whole_months(rng, v.economic_duration_months, world.n_pairs))
    exit_code = np.where(_spell(exit_start, duration, n_months),
                         np.where(discontinued, reasons.code("discontinued"), reasons.code("economic"))[:, None], 0)
    squeeze_start = np.where(low_margin & winner, pair_month + whole_months(rng, v.squeeze_lag_months, world.n_pairs), NEVER)
    months_squeezed = np.arange(n_months)[None, :] - squeeze_start[:, None] + 1
    squeeze = np.where((squeeze_start[:, None] != NEVER) & (months_squeezed > 0),
                       np.maximum(v.squeeze_floor, (1 - v.squeeze_rate) ** np.maximum(months_squeezed, 0)), 1.0)
    return VbpPlan(batch=batch, select_month=select_month, price_cut=price_cut, winner=winner, weight=weight,
                   contracted=contracted, exit_code=exit_code.astype(np.int8), squeeze=squeeze)
