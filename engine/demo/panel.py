"""The public entry points: simulate the eight contract tables, and simulate + write them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from shortage_radar.demo import catalog, filing, labels, reporting, signals
from shortage_radar.demo.chain import SupplyPath, simulate_chain
from shortage_radar.demo.demand import Demand, simulate_demand
from shortage_radar.demo.distribution import coverage
from shortage_radar.demo.events import ShortageEpisodes, Unmet, shortage_episodes, supply_disruptions, unmet_shares
from shortage_radar.demo.market import ex_factory_price, retail_price
from shortage_radar.demo.settings import DemoConfig, load_demo_config
from shortage_radar.demo.shocks import api_availability, random_suspensions
from shortage_radar.demo.streams import spawn_streams
from shortage_radar.demo.timeline import Timeline
from shortage_radar.demo.vbp import VbpPlan, plan_vbp
from shortage_radar.demo.writer import write_panel
from shortage_radar.demo.world import World, build_world

TABLES: tuple[str, ...] = (
    "varieties",
    "enterprises",
    "monthly_reports",
    "suspensions",
    "institution_reports",
    "procurement",
    "shortage_events",
    "supply_disruptions",
)


@dataclass(frozen=True)
class Truth:
    """The latent simulation behind a panel (for tests and calibration; never written)."""

    timeline: Timeline
    world: World
    demand: Demand
    plan: VbpPlan
    api_available: np.ndarray
    cover: np.ndarray
    supply: SupplyPath
    unmet: Unmet
    shortages: ShortageEpisodes


def simulate_truth(config: DemoConfig, rngs: dict[str, np.random.Generator]) -> Truth:
    """Run every mechanism: world, demand, shocks, procurement, supply chain, shortages."""
    timeline = Timeline.from_config(config.calendar)
    world = build_world(rngs["world"], config)
    demand = simulate_demand(rngs["demand"], world, timeline, config)
    api_available = api_availability(rngs["api_shocks"], int(world.variety_api.max()) + 1, timeline.n, config)
    stops = random_suspensions(rngs["suspensions"], world, timeline.n, config)
    plan = plan_vbp(rngs["vbp"], world, timeline, demand.profile, config)
    stops = np.where(plan.exit_code != 0, plan.exit_code, stops).astype(np.int8)
    cover = coverage(rngs["channel"], world, config)
    supply = simulate_chain(world, demand, plan, api_available, stops, cover, config)
    unmet = unmet_shares(demand, supply.dispensed)
    return Truth(timeline=timeline, world=world, demand=demand, plan=plan, api_available=api_available,
                 cover=cover, supply=supply, unmet=unmet,
                 shortages=shortage_episodes(world, supply, unmet, config))


def tables_from_truth(truth: Truth, config: DemoConfig,
                      rngs: dict[str, np.random.Generator]) -> dict[str, pd.DataFrame]:
    """Turn the latent truth into the eight contract tables."""
    world, timeline = truth.world, truth.timeline
    keys = {"variety": catalog.ids("V", world.n_varieties),
            "enterprise": catalog.ids("E", len(world.enterprise_province))}
    price = retail_price(world, timeline, truth.plan, truth.unmet.national, config)
    ex_factory = ex_factory_price(rngs["market"], world, price, config)
    return {
        "varieties": catalog.varieties_table(rngs["lists"], world, truth.plan, config),
        "enterprises": catalog.enterprises_table(world),
        "monthly_reports": filing.file_reports(rngs["filing"], reporting.monthly_reports_table(
            rngs["reporting"], world, truth.supply, truth.plan, ex_factory, timeline, keys, config), config),
        "suspensions": reporting.suspensions_table(rngs["reporting"], world, truth.supply, timeline, keys, config),
        "institution_reports": signals.institution_reports_table(rngs["institutions"], world, truth, keys, config),
        "procurement": signals.procurement_table(rngs["procurement"], world, truth.supply.shipped, price,
                                                 timeline, keys, config),
        "shortage_events": labels.shortage_events_table(world, truth.shortages, timeline, keys),
        "supply_disruptions": labels.supply_disruptions_table(world, supply_disruptions(truth.supply, config),
                                                              timeline, keys),
    }


def simulate_with_truth(config: DemoConfig) -> tuple[dict[str, pd.DataFrame], Truth]:
    """The eight tables and the latent truth behind them."""
    rngs = spawn_streams(config.seed)
    truth = simulate_truth(config, rngs)
    return tables_from_truth(truth, config, rngs), truth


def simulate_panel(config: DemoConfig) -> dict[str, pd.DataFrame]:
    """The eight contract tables, in contract format; the same config gives identical tables."""
    return simulate_with_truth(config)[0]


def build_demo_panel(out_dir: Path, config: DemoConfig | None = None, fmt: str = "csv") -> Path:
    """Simulate the panel (default parameters unless ``config``) and write it to ``out_dir``."""
    return write_panel(simulate_panel(config or load_demo_config()), out_dir, fmt=fmt)
