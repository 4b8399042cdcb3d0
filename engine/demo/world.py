"""The static world: provinces, active ingredients (APIs), varieties, enterprises and who makes what."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shortage_radar.demo.names import api_names, enterprise_names
from shortage_radar.demo.settings import DemoConfig, Span, WorldConfig


@dataclass(frozen=True)
class World:
    """Fixed traits, indexed by API (a), variety (v), enterprise (e), province (r) or producer pair (i)."""

    province_names: np.ndarray      # [R]
    population: np.ndarray          # [R] millions
    api_class: np.ndarray           # [A] therapeutic class index
    variety_api: np.ndarray         # [V] API index
    variety_class: np.ndarray       # [V]
    generic_name: np.ndarray        # [V]
    dosage_form: np.ndarray         # [V]
    essential: np.ndarray           # [V] bool
    base_demand: np.ndarray         # [V] national units per month at the start
    trend: np.ndarray               # [V] yearly growth of demand
    province_share: np.ndarray      # [V, R] share of national demand by province
    target_months: np.ndarray       # [V] stocking culture: months of orders producers aim to hold
    list_price: np.ndarray          # [V] pre-procurement retail price
    enterprise_province: np.ndarray  # [E]
    is_reserve: np.ndarray          # [E] bool
    enterprise_name: np.ndarray     # [E]
    pair_variety: np.ndarray        # [N]
    pair_enterprise: np.ndarray     # [N]
    share: np.ndarray               # [N] market share within the variety at the start
    headroom: np.ndarray            # [N] capacity / normal orders at the start
    pair_target_months: np.ndarray  # [N] months of orders held as finished stock
    api_target: np.ndarray          # [N] months of API the producer holds
    api_exposure: np.ndarray        # [N] share of its API bought on the shocked market
    cost_ratio: np.ndarray          # [N] unit cost / pre-selection ex-factory price
    ex_factory_ratio: np.ndarray    # [N] ex-factory price / retail price

    @property
    def n_varieties(self) -> int:
        """Number of varieties."""
        return len(self.variety_api)

    @property
    def n_pairs(self) -> int:
        """Number of enterprise-variety producer pairs."""
        return len(self.pair_variety)

    @property
    def n_provinces(self) -> int:
        """Number of provinces."""
        return len(self.province_names)

    @property
    def n_producers(self) -> np.ndarray:
        """Producers per variety."""
        return np.bincount(self.pair_variety, minlength=self.n_varieties)


def uniform(rng: np.random.Generator, span: Span, size: int | tuple[int, ...]) -> np.ndarray:
    """Uniform draws over a configured span."""
    return rng.uniform(span.low, span.high, size)


def whole_months(rng: np.random.Generator, span: Span, size: int) -> np.ndarray:
    """Integer month counts drawn uniformly from ``span`` (both ends included)."""
    return rng.integers(int(span.low), int(span.high) + 1, size)


def _probs(weights: tuple[float, ...]) -> np.ndarray:
    """Weights normalised to probabilities."""
    w = np.asarray(weights, dtype=float)
    return w / w.sum()


def _api_groups(rng: np.random.Generator, n_varieties: int, cfg: WorldConfig) -> np.ndarray:
    """API index of each variety: APIs shared by 1..k varieties (sizes from the config)."""
    p = _probs(cfg.api_group_size_weights)
    sizes = rng.choice(np.arange(1, len(p) + 1), size=n_varieties, p=p)
    n_apis = int(np.searchsorted(np.cumsum(sizes), n_varieties)) + 1
    sizes = sizes[:n_apis]
    sizes[-1] -= sizes.sum() - n_varieties
    return rng.permutation(np.repeat(np.arange(n_apis), sizes))


def _rank_within(groups: np.ndarray) -> np.ndarray:
    """0-based position of each element among the elements of its group (stable order)."""
    order = np.argsort(groups, kind="stable")
    counts = np.bincount(groups)
    starts = np.cumsum(counts) - counts
    rank = np.empty(len(groups), dtype=np.int64)
    rank[order] = np.arange(len(groups)) - np.repeat(starts, counts)
    return rank


def _dosage_forms(rng: np.random.Generator, variety_api: np.ndarray, cfg: WorldConfig) -> np.ndarray:
    """Distinct forms for the varieties of one API (an API's varieties differ by form)."""
    n_forms = len(cfg.dosage_forms)
    offset = rng.integers(0, n_forms, variety_api.max() + 1)
    index = (offset[variety_api] + _rank_within(variety_api)) % n_forms
    return np.array(cfg.dosage_forms, dtype=object)[index]


def _producer_counts(rng: np.random.Generator, n_varieties: int, n_enterprises: int, cfg: WorldConfig) -> np.ndarray:
    """Producers per variety, from the configured distribution (at most all enterprises)."""
    p = _probs(cfg.producers_per_variety_weights)
    counts = rng.choice(np.arange(1, len(p) + 1), size=n_varieties, p=p)
    return np.minimum(counts, n_enterprises)


def _assign_enterprises(rng: np.random.Generator, pair_variety: np.ndarray, n_enterprises: int,
                        cfg: WorldConfig) -> np.ndarray:
    """Every enterprise gets one product first; further products go to big (Zipf) enterprises."""
    n_pairs = len(pair_variety)
    first = min(n_pairs, n_enterprises)
    enterprise = np.empty(n_pairs, dtype=np.int64)
    slots = rng.permutation(n_pairs)
    enterprise[slots[:first]] = rng.permutation(n_enterprises)[:first]
    weight = _probs(tuple(np.arange(1, n_enterprises + 1) ** -cfg.enterprise_size_zipf))
    rest = slots[first:]
    enterprise[rest] = rng.choice(n_enterprises, size=len(rest), p=weight)
    return _fix_duplicates(rng, pair_variety, enterprise, n_enterprises)


def _fix_duplicates(rng: np.random.Generator, pair_variety: np.ndarray, enterprise: np.ndarray,
                    n_enterprises: int) -> np.ndarray:
    """Redraw the enterprise of pairs that repeat an (enterprise, variety) combination."""
    while True:
        key = pair_variety * n_enterprises + enterprise
        _, first_index = np.unique(key, return_index=True)
        dup = np.ones(len(key), dtype=bool)
        dup[first_index] = False
        if not dup.any():
            return enterprise
        enterprise[dup] = rng.integers(0, n_enterprises, dup.sum())


def _shares(rng: np.random.Generator, pair_variety: np.ndarray, alpha: float) -> np.ndarray:
    """Dirichlet market shares within each variety."""
    raw = rng.gamma(alpha, 1.0, len(pair_variety))
    return raw / np.bincount(pair_variety, weights=raw)[pair_variety]


def _province_shares(rng: np.random.Generator, population: np.ndarray, n_varieties: int,
                     sigma: float) -> np.ndarray:
    """[V, R] demand shares: population weights with a variety-specific log-normal tilt."""
    raw = population[None, :] * rng.lognormal(0.0, sigma, (n_varieties, len(population)))
    return raw / raw.sum(axis=1, keepdims=True)


def build_world(rng: np.random.Generator, cfg: DemoConfig) -> World:
    """Draw the static world from the config."""
    w, s, n_v, n_e = cfg.world, cfg.supply, cfg.size.n_varieties, cfg.size.n_enterprises
    population = np.asarray(cfg.provinces.population_millions, dtype=float)
    variety_api = _api_groups(rng, n_v, w)
    api_class = rng.choice(len(w.classes), size=variety_api.max() + 1, p=_probs(tuple(c.weight for c in w.classes)))
    variety_class = api_class[variety_api]
    essential_p = np.array([c.essential_share for c in w.classes])[variety_class]
    pair_variety = np.repeat(np.arange(n_v), _producer_counts(rng, n_v, n_e, w))
    pair_enterprise = _assign_enterprises(rng, pair_variety, n_e, w)
    is_reserve = rng.random(n_e) < w.reserve_share
    reserve = is_reserve[pair_enterprise]
    target_months = rng.lognormal(np.log(s.target_inventory_months.median), s.target_inventory_months.sigma, n_v)
    n_pairs = len(pair_variety)
    return World(
        province_names=np.array(cfg.provinces.names, dtype=object),
        population=population,
        api_class=api_class,
        variety_api=variety_api,
        variety_class=variety_class,
        generic_name=api_names(rng, api_class, w)[variety_api],
        dosage_form=_dosage_forms(rng, variety_api, w),
        essential=rng.random(n_v) < essential_p,
        base_demand=rng.lognormal(np.log(cfg.demand.base.median), cfg.demand.base.sigma, n_v),
        trend=uniform(rng, cfg.demand.trend_per_year, n_v),
        province_share=_province_shares(rng, population, n_v, cfg.demand.province_share_sigma),
        target_months=target_months,
        list_price=rng.lognormal(np.log(cfg.market.list_price.median), cfg.market.list_price.sigma, n_v),
        enterprise_province=rng.choice(len(population), size=n_e, p=_probs(cfg.provinces.industry_weight)),
        is_reserve=is_reserve,
        enterprise_name=enterprise_names(rng, n_e, w),
        pair_variety=pair_variety,
        pair_enterprise=pair_enterprise,
        share=_shares(rng, pair_variety, w.share_dirichlet_alpha),
        headroom=uniform(rng, s.capacity_headroom, n_pairs) + reserve * s.reserve_headroom_bonus,
        pair_target_months=target_months[pair_variety] * rng.lognormal(0.0, s.pair_inventory_sigma, n_pairs)
        + reserve * s.reserve_inventory_bonus_months,
        api_target=uniform(rng, s.api_target_months, n_pairs),
        api_exposure=uniform(rng, s.api_exposure, n_pairs),
        cost_ratio=uniform(rng, cfg.vbp.cost_ratio, n_pairs),
        ex_factory_ratio=uniform(rng, cfg.market.ex_factory_ratio, n_pairs),
    )
