"""Latent demand per variety, province and month: trend x seasonality x surges x noise.

Demand is never written to the panel; it only shows through rationed sales, purchases and
institution reports. Planners anticipate the seasonal-trend ``profile`` but not surges.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shortage_radar.demo.settings import DemoConfig
from shortage_radar.demo.timeline import MONTHS_PER_YEAR, Timeline
from shortage_radar.demo.world import World, uniform, whole_months


@dataclass(frozen=True)
class Demand:
    """Latent demand and the part of it planners could anticipate."""

    province: np.ndarray   # [V, R, T] units
    national: np.ndarray   # [V, T] units
    profile: np.ndarray    # [V, T] anticipated seasonal x trend multiplier
    surge_share: np.ndarray  # [V, T] share of national demand that is surge or epidemic excess


def seasonal_profile(world: World, timeline: Timeline, cfg: DemoConfig) -> np.ndarray:
    """[V, T] anticipated demand multiplier: class seasonality (cosine) times the variety's trend."""
    amp = np.array([c.seasonal_amplitude for c in cfg.world.classes])[world.variety_class]
    peak = np.array([c.peak_month for c in cfg.world.classes])[world.variety_class]
    phase = 2 * np.pi * (timeline.month_of_year[None, :] - peak[:, None]) / MONTHS_PER_YEAR
    growth = (1 + world.trend[:, None]) ** timeline.years[None, :]
    return (1 + amp[:, None] * np.cos(phase)) * growth


def _surge_impulses(rng: np.random.Generator, world: World, n_months: int, cfg: DemoConfig) -> np.ndarray:
    """[V, R, T] new extra demand (share of normal) from variety surges, some regional."""
    s = cfg.demand.surges
    n_v, n_r = world.n_varieties, world.n_provinces
    v, t = np.nonzero(rng.random((n_v, n_months)) < s.hazard)
    magnitude = rng.lognormal(np.log(s.magnitude.median), s.magnitude.sigma, len(v))
    regional = rng.random(len(v)) < s.regional_prob
    reach = uniform(rng, s.regional_province_share, len(v))
    mask = rng.random((len(v), n_r)) < reach[:, None]
    mask[np.arange(len(v)), rng.integers(0, n_r, len(v))] = True
    mask[~regional] = True
    impulses = np.zeros((n_v, n_r, n_months))
    impulses[v, :, t] = magnitude[:, None] * mask
    return impulses


def _epidemic_impulses(rng: np.random.Generator, world: World, timeline: Timeline, cfg: DemoConfig) -> np.ndarray:
    """[V, R, T] extra demand from class-wide winter waves (per class and year, around the peak)."""
    e = cfg.demand.epidemics
    impulses = np.zeros((world.n_varieties, world.n_provinces, timeline.n))
    susceptibility = uniform(rng, e.susceptibility, world.n_varieties)
    first_year = timeline.start.year
    n_years = timeline.n // MONTHS_PER_YEAR + 2
    for k, klass in enumerate(cfg.world.classes):
        members = np.flatnonzero(world.variety_class == k)
        waves = rng.random(n_years) < klass.epidemic_wave_prob
        offsets = whole_months(rng, e.onset_offset_months, n_years)
        magnitude = rng.lognormal(np.log(e.magnitude.median), e.magnitude.sigma, n_years)
        intensity = rng.lognormal(0.0, e.province_intensity_sigma, (n_years, world.n_provinces))
        for y in np.flatnonzero(waves):
            month = timeline.index_of(f"{first_year + y:04d}-{klass.peak_month:02d}") + offsets[y]
            if 0 <= month < timeline.n and len(members):
                impulses[members, :, month] += magnitude[y] * susceptibility[members, None] * intensity[y][None, :]
    return impulses


def _decay(impulses: np.ndarray, decay: float) -> np.ndarray:
    """Accumulate impulses over months with geometric decay."""
    extra = np.empty_like(impulses)
    level = np.zeros(impulses.shape[:2])
    for t in range(impulses.shape[2]):
        level = level * decay + impulses[:, :, t]
        extra[:, :, t] = level
    return extra


def simulate_demand(rng: np.random.Generator, world: World, timeline: Timeline, cfg: DemoConfig) -> Demand:
    """Draw latent demand for every variety, province and month."""
    profile = seasonal_profile(world, timeline, cfg)
    impulses = _surge_impulses(rng, world, timeline.n, cfg) + _epidemic_impulses(rng, world, timeline, cfg)
    extra = _decay(impulses, cfg.demand.surges.decay)
    normal = world.base_demand[:, None, None] * world.province_share[:, :, None] * profile[:, None, :]
    noise = rng.lognormal(0.0, cfg.demand.noise_sigma, normal.shape)
    province = normal * (1 + extra) * noise
    national = province.sum(axis=1)
    surge = (normal * extra * noise).sum(axis=1)
    return Demand(province=province, national=national, profile=profile, surge_share=surge / national)
