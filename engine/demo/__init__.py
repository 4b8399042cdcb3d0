"""Demo panel simulator: a seeded, mechanism-based monitoring panel in contract format.

Shortages and supply disruptions emerge from mechanisms (API shocks, suspensions,
procurement price squeeze and exits, under-delivery, seasonal and sudden demand,
supplier concentration, stock run-down); see ``docs/demo-data.md``.
"""

from shortage_radar.demo.panel import TABLES, build_demo_panel, simulate_panel
from shortage_radar.demo.settings import DemoConfig, load_demo_config, national_config
from shortage_radar.demo.writer import write_panel

__all__ = [
    "TABLES",
    "DemoConfig",
    "build_demo_panel",
    "load_demo_config",
    "national_config",
    "simulate_panel",
    "write_panel",
]
