"""The reference tables: ``varieties`` (with list memberships and VBP batch) and ``enterprises``."""

from __future__ import annotations

import numpy as np
import pandas as pd

from shortage_radar.demo import columns as col
from shortage_radar.demo.settings import DemoConfig
from shortage_radar.demo.vbp import VbpPlan
from shortage_radar.demo.world import World

MIN_ID_DIGITS = 4


def ids(prefix: str, n: int) -> np.ndarray:
    """``<prefix>0001`` style identifiers, zero-padded to a common width."""
    width = max(MIN_ID_DIGITS, len(str(n)))
    return np.array([f"{prefix}{i:0{width}d}" for i in range(1, n + 1)], dtype=object)


def _lists(rng: np.random.Generator, world: World, cfg: DemoConfig) -> tuple[np.ndarray, np.ndarray]:
    """Shortage-list and key-monitoring-list flags: likelier for concentrated varieties (a prior, not hindsight)."""
    c = cfg.lists
    concentrated = world.n_producers <= c.concentrated_max_producers
    shortage_p = np.where(concentrated, c.shortage_list_prob_concentrated, c.shortage_list_prob_other)
    key_p = np.where(concentrated, c.key_monitoring_prob_concentrated, c.key_monitoring_prob_other)
    return rng.random(world.n_varieties) < shortage_p, rng.random(world.n_varieties) < key_p


def varieties_table(rng: np.random.Generator, world: World, plan: VbpPlan, cfg: DemoConfig) -> pd.DataFrame:
    """One row per variety."""
    n = world.n_varieties
    on_shortage, on_key = _lists(rng, world, cfg)
    class_names = np.array([c.name for c in cfg.world.classes], dtype=object)
    return pd.DataFrame({
        "variety_id": col.text(np.arange(n), ids("V", n)),
        "generic_name": col.text(np.arange(n), world.generic_name),
        "dosage_form": col.text(np.arange(n), world.dosage_form),
        "on_shortage_list": col.flag(on_shortage),
        "on_key_monitoring_list": col.flag(on_key),
        "vbp_batch": col.integer(plan.batch, present=plan.batch > 0),
        "essential": col.flag(world.essential),
        "therapeutic_class": col.text(world.variety_class, class_names),
    })


def enterprises_table(world: World) -> pd.DataFrame:
    """One row per enterprise."""
    n = len(world.enterprise_province)
    return pd.DataFrame({
        "enterprise_id": col.text(np.arange(n), ids("E", n)),
        "name": col.text(np.arange(n), world.enterprise_name),
        "province": col.text(world.enterprise_province, world.province_names),
        "is_reserve": col.flag(world.is_reserve),
    })
