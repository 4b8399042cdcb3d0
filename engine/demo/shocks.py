"""Exogenous shocks: API supply shocks per active ingredient and random production suspensions.

Both are drawn as recurring spells (a spell can only start when none is running), one
vectorised step per month.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shortage_radar.demo import reasons
from shortage_radar.demo.settings import DemoConfig, Span
from shortage_radar.demo.world import World, uniform, whole_months


@dataclass(frozen=True)
class Spells:
    """[n, T] running-spell indicator and the level (severity) of the running spell."""

    active: np.ndarray
    level: np.ndarray


def draw_spells(rng: np.random.Generator, n: int, n_months: int, hazard: float, duration: Span,
                level: Span | None = None) -> Spells:
    """Recurring spells: each starts with ``hazard`` when none runs and lasts a drawn number of months."""
    active = np.zeros((n, n_months), dtype=bool)
    levels = np.zeros((n, n_months))
    remaining = np.zeros(n, dtype=np.int64)
    current = np.ones(n)
    for t in range(n_months):
        start = (remaining == 0) & (rng.random(n) < hazard)
        remaining[start] = whole_months(rng, duration, start.sum())
        if level is not None:
            current[start] = uniform(rng, level, start.sum())
        running = remaining > 0
        active[:, t] = running
        levels[:, t] = np.where(running, current, 0.0)
        remaining[running] -= 1
    return Spells(active=active, level=levels)


def api_availability(rng: np.random.Generator, n_apis: int, n_months: int, cfg: DemoConfig) -> np.ndarray:
    """[A, T] share of normal API supply available on the market (1 = no shock)."""
    a = cfg.api_shocks
    spells = draw_spells(rng, n_apis, n_months, a.hazard, a.duration_months, a.severity)
    return 1.0 - spells.level


def random_suspensions(rng: np.random.Generator, world: World, n_months: int, cfg: DemoConfig) -> np.ndarray:
    """[N, T] reason code of an exogenous suspension (0 = producing): GMP per enterprise, others per pair."""
    s = cfg.suspensions
    n_enterprises = len(world.enterprise_province)
    gmp = draw_spells(rng, n_enterprises, n_months, s.gmp_enterprise_hazard, s.gmp_duration_months)
    codes = np.where(gmp.active[world.pair_enterprise], reasons.code("quality_gmp"), reasons.NONE).astype(np.int8)
    for name, spec in s.pair_reasons.items():
        spell = draw_spells(rng, world.n_pairs, n_months, spec.hazard, spec.duration_months)
        codes = np.where((codes == reasons.NONE) & spell.active, reasons.code(name), codes).astype(np.int8)
    return codes
