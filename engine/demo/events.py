"""Labels derived from the latent truth: shortage episodes (variety) and supply disruptions (pair).

A variety-month is short when national unmet demand, or enough provinces' unmet demand,
exceeds its threshold; consecutive short months (small gaps bridged) form one episode.
Its scope comes from severity and breadth, its reason from the dominant cause of lost supply.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shortage_radar.demo import reasons
from shortage_radar.demo.demand import Demand
from shortage_radar.demo.episodes import Episodes, bridge_gaps, runs_of
from shortage_radar.demo.settings import DemoConfig
from shortage_radar.demo.chain import SupplyPath
from shortage_radar.demo.world import World

NATIONAL, PROVINCIAL, CITY, COUNTY = "national", "provincial", "city", "county"


@dataclass(frozen=True)
class Unmet:
    """Share of demand not served, nationally [V, T] and by province [V, R, T]."""

    national: np.ndarray
    province: np.ndarray


@dataclass(frozen=True)
class ShortageEpisodes:
    """One row per shortage episode."""

    episodes: Episodes
    scope: np.ndarray       # [K] scope name
    provinces: np.ndarray   # [K, R] bool: affected provinces
    reason: np.ndarray      # [K] reason name


def unmet_shares(demand: Demand, dispensed: np.ndarray) -> Unmet:
    """Unmet share of patient demand, from what the channel dispensed."""
    return Unmet(national=1.0 - dispensed.sum(axis=1) / demand.national, province=1.0 - dispensed / demand.province)


def short_months(unmet: Unmet, cfg: DemoConfig) -> np.ndarray:
    """[V, T] bool: the variety is short nationally or in enough provinces (gaps bridged)."""
    c = cfg.shortage
    provinces_short = (unmet.province > c.province_threshold).sum(axis=1)
    short = (unmet.national > c.national_threshold) | (provinces_short >= c.min_short_provinces)
    return bridge_gaps(short, c.merge_gap_months)


def _episode_ids(episodes: Episodes, short: np.ndarray) -> np.ndarray:
    """[V, T] index of the episode each short month belongs to (-1 outside episodes)."""
    mark = np.zeros(short.shape, dtype=np.int64)
    mark[episodes.entity, episodes.start] = 1
    ids = np.cumsum(mark.ravel()).reshape(short.shape) - 1
    return np.where(short, ids, -1)


def _episode_max(ids: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Per-episode maximum of a [V, T] matrix over the episode's months."""
    out = np.full(n, -np.inf)
    inside = ids >= 0
    np.maximum.at(out, ids[inside], values[inside])
    return out


def _affected(ids: np.ndarray, province_short: np.ndarray, worst: np.ndarray, n: int) -> np.ndarray:
    """[K, R] provinces short in any month of the episode (the worst one if none crossed the line)."""
    n_r = province_short.shape[1]
    v, t = np.nonzero(ids >= 0)
    hits = province_short[v, :, t]
    affected = np.zeros((n, n_r), dtype=bool)
    np.logical_or.at(affected, ids[v, t], hits)
    empty = ~affected.any(axis=1)
    affected[np.flatnonzero(empty), worst[empty]] = True
    return affected


def _scope(peak_national: np.ndarray, breadth: np.ndarray, peak_province: np.ndarray, cfg: DemoConfig) -> np.ndarray:
    """Scope of each episode from peak national unmet, breadth and worst province."""
    c = cfg.shortage
    national = (peak_national >= c.national_scope_ratio) | (breadth >= c.national_scope_provinces)
    provincial = breadth >= c.provincial_scope_provinces
    city = peak_province >= c.city_scope_province_ratio
    return np.select([national, provincial, city], [NATIONAL, PROVINCIAL, CITY], COUNTY).astype(object)


def _reasons(world: World, supply: SupplyPath, episodes: Episodes, cfg: DemoConfig) -> np.ndarray:
    """Dominant cause of lost supply over the episode and the months just before it."""
    n_t = supply.lost.shape[1]
    loss = np.zeros((world.n_varieties, n_t, len(reasons.REASONS)))
    t = np.broadcast_to(np.arange(n_t), supply.lost.shape)
    var = np.broadcast_to(world.pair_variety[:, None], supply.lost.shape)
    np.add.at(loss, (var, t, supply.cause_code.astype(np.int64) - 1), supply.lost)
    cum = np.concatenate([np.zeros((world.n_varieties, 1, loss.shape[2])), np.cumsum(loss, axis=1)], axis=1)
    first = np.maximum(episodes.start - cfg.shortage.reason_lookback_months, 0)
    window = cum[episodes.entity, episodes.end + 1] - cum[episodes.entity, first]
    dominant = np.where(window.max(axis=1) > 0, window.argmax(axis=1) + 1, reasons.code("other"))
    return reasons.names(dominant)


def shortage_episodes(world: World, supply: SupplyPath, unmet: Unmet, cfg: DemoConfig) -> ShortageEpisodes:
    """Shortage episodes with scope, affected provinces and reason."""
    short = short_months(unmet, cfg)
    episodes = runs_of(short)
    ids = _episode_ids(episodes, short)
    province_short = unmet.province > cfg.shortage.province_threshold
    k = len(episodes)
    peak_national = _episode_max(ids, unmet.national, k)
    breadth = _episode_max(ids, province_short.sum(axis=1).astype(float), k)
    peak_province = _episode_max(ids, unmet.province.max(axis=1), k)
    worst_province = unmet.province.argmax(axis=1)[episodes.entity, episodes.start]
    return ShortageEpisodes(
        episodes=episodes,
        scope=_scope(peak_national, breadth, peak_province, cfg),
        provinces=_affected(ids, province_short, worst_province, k),
        reason=_reasons(world, supply, episodes, cfg),
    )


def supply_disruptions(supply: SupplyPath, cfg: DemoConfig) -> Episodes:
    """Pair episodes of deliveries below a share of the pair's normal orders for enough months."""
    d = cfg.disruptions
    low = supply.sales < d.fraction_of_normal * supply.orders
    found = runs_of(low)
    keep = found.end - found.start + 1 >= d.min_months
    return Episodes(entity=found.entity[keep], start=found.start[keep], end=found.end[keep],
                    code=found.code[keep], ongoing=found.ongoing[keep])
