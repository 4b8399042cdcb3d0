"""From latent supply to filed reports: ``monthly_reports`` and ``suspensions``.

Reports carry small measurement noise; some rows are never filed (a missing pair-month or
a whole enterprise-month), optional columns are filled only by some producers and are
sometimes left empty, and a discontinued product stops being reported a few months after
it stops. Suspensions are filed in their start month or the next; a short minor one is
sometimes never filed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shortage_radar.demo import columns as col
from shortage_radar.demo import reasons
from shortage_radar.demo.episodes import runs
from shortage_radar.demo.settings import DemoConfig
from shortage_radar.demo.chain import SupplyPath
from shortage_radar.demo.timeline import MONTHS_PER_YEAR, Timeline
from shortage_radar.demo.vbp import VbpPlan
from shortage_radar.demo.world import World, uniform


def _filed(rng: np.random.Generator, world: World, supply: SupplyPath, cfg: DemoConfig) -> np.ndarray:
    """[N, T] bool: the monthly report of the pair-month was filed."""
    r = cfg.reporting
    n_pairs, n_months = supply.sales.shape
    gone = supply.stop_code == reasons.code("discontinued")
    first_gone = np.where(gone.any(axis=1), gone.argmax(axis=1), n_months)
    still_listed = np.arange(n_months)[None, :] < (first_gone + r.months_reported_after_exit)[:, None]
    row_missing = rng.random((n_pairs, n_months)) < r.row_missing_prob
    firm_missing = rng.random((len(world.enterprise_province), n_months)) < r.enterprise_month_missing_prob
    return still_listed & ~row_missing & ~firm_missing[world.pair_enterprise]


def _cell(rng: np.random.Generator, name: str, shape: tuple[int, int], cfg: DemoConfig) -> np.ndarray:
    """[N, T] bool: the optional cell ``name`` is filled (not randomly left empty)."""
    return rng.random(shape) >= cfg.reporting.cell_missing_prob.get(name, 0.0)


def _safety_line(rng: np.random.Generator, world: World, n_months: int, cfg: DemoConfig) -> np.ndarray:
    """[N, T] declared inventory alert line, re-declared each year from normal orders."""
    share = uniform(rng, cfg.reporting.safety_stock_target_share, world.n_pairs)
    year = np.arange(n_months) // MONTHS_PER_YEAR
    var = world.pair_variety
    normal = (world.share * world.base_demand[var])[:, None] * (1 + world.trend[var, None]) ** year[None, :]
    return (share * world.pair_target_months)[:, None] * normal


def _noisy(rng: np.random.Generator, values: np.ndarray, cfg: DemoConfig) -> np.ndarray:
    """Values with multiplicative reporting noise."""
    return values * rng.lognormal(0.0, cfg.reporting.noise_sigma, values.shape)


def _report_columns(rng: np.random.Generator, world: World, supply: SupplyPath, plan: VbpPlan,
                    ex_factory: np.ndarray, cfg: DemoConfig) -> dict[str, np.ndarray]:
    """[N, T] reported values (NaN = empty cell) of every monthly_reports value column."""
    r = cfg.reporting
    shape = supply.sales.shape
    by_pair = {
        "capacity": rng.random(world.n_pairs) < r.capacity_reporting_share,
        "api_stock_months": rng.random(world.n_pairs) < r.api_reporting_share,
        "safety_stock": rng.random(world.n_pairs) < r.safety_stock_declaring_share,
    }
    procured = plan.contracted > 0
    delivered = np.minimum(plan.contracted, supply.sales)
    vol, price, months = r.volume_decimals, r.price_decimals, r.months_decimals
    return {
        "production": col.number(_noisy(rng, supply.production, cfg), vol),
        "sales": col.number(_noisy(rng, supply.sales, cfg), vol),
        "inventory": col.number(_noisy(rng, supply.inventory, cfg), vol),
        "capacity": col.number(supply.capacity, vol, by_pair["capacity"][:, None] & _cell(rng, "capacity", shape, cfg)),
        "api_stock_months": col.number(supply.api_stock, months, by_pair["api_stock_months"][:, None]
                                       & _cell(rng, "api_stock_months", shape, cfg)),
        "ex_factory_price": col.positive(ex_factory, price, _cell(rng, "ex_factory_price", shape, cfg)),
        "contracted_volume": col.number(plan.contracted, vol, procured & _cell(rng, "contracted_volume", shape, cfg)),
        "delivered_volume": col.number(delivered, vol, procured & _cell(rng, "delivered_volume", shape, cfg)),
        "safety_stock": col.number(_safety_line(rng, world, shape[1], cfg), vol, by_pair["safety_stock"][:, None]
                                   & _cell(rng, "safety_stock", shape, cfg)),
    }


def monthly_reports_table(rng: np.random.Generator, world: World, supply: SupplyPath, plan: VbpPlan,
                          ex_factory: np.ndarray, timeline: Timeline, keys: dict[str, np.ndarray],
                          cfg: DemoConfig) -> pd.DataFrame:
    """One row per filed (enterprise, variety, month) report."""
    filed = _filed(rng, world, supply, cfg)
    values = _report_columns(rng, world, supply, plan, ex_factory, cfg)
    pair, month = np.nonzero(filed)
    frame = {
        "enterprise_id": col.text(world.pair_enterprise[pair], keys["enterprise"]),
        "variety_id": col.text(world.pair_variety[pair], keys["variety"]),
        "month": col.months(month, timeline.labels),
    }
    frame.update({name: column[pair, month] for name, column in values.items()})
    return pd.DataFrame(frame)


def suspensions_table(rng: np.random.Generator, world: World, supply: SupplyPath, timeline: Timeline,
                      keys: dict[str, np.ndarray], cfg: DemoConfig) -> pd.DataFrame:
    """One row per filed suspension: reported in its start month or the next; end months when known."""
    s = cfg.suspensions
    found = runs(supply.stop_code)
    length = found.end - found.start + 1
    permanent = found.code == reasons.code("discontinued")
    minor = (length <= s.unreported_max_months) & ~permanent
    unreported = minor & (rng.random(len(found)) < s.unreported_prob)
    reported = found.start + (rng.random(len(found)) < s.report_late_prob)
    announced = np.maximum(np.rint(length * rng.lognormal(0.0, s.expected_end_sigma, len(found))), 1).astype(np.int64)
    keep = ~unreported & (reported < timeline.n)
    expected_end = found.start + announced - 1
    labels = timeline.labels_upto(int(max(expected_end.max(initial=0), timeline.n)) + 1)
    k = np.flatnonzero(keep)
    pair = found.entity[k]
    return pd.DataFrame({
        "enterprise_id": col.text(world.pair_enterprise[pair], keys["enterprise"]),
        "variety_id": col.text(world.pair_variety[pair], keys["variety"]),
        "start_month": col.months(found.start[k], labels),
        "reported_month": col.months(reported[k], labels),
        "expected_end_month": col.months(expected_end[k], labels, present=~permanent[k]),
        "actual_end_month": col.months(found.end[k], labels, present=~found.ongoing[k]),
        "reason": col.text(found.code[k].astype(np.int64) - 1, np.array(reasons.REASONS, dtype=object)),
    })
