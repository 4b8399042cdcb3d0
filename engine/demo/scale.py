"""Panels of any number of enterprise-variety pairs: independent regions (shards) written one at a time.

A shard is the demo world at (at most) ``scale.shard_varieties`` varieties with its own seed; its
variety and enterprise ids get the prefix ``S<k>-`` so that shards never share an id. Therapeutic
classes are shared, so class-level features span shards. Each shard is written as one part of a
month-partitioned Parquet panel before the next is simulated, so memory stays that of one shard.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from shortage_radar.demo.panel import simulate_panel
from shortage_radar.demo.settings import DemoConfig
from shortage_radar.demo.writer import write_partitions

ID_COLUMNS = ("variety_id", "enterprise_id")


def pairs_per_variety(config: DemoConfig) -> float:
    """Expected producers per variety, from the configured distribution."""
    weights = np.asarray(config.world.producers_per_variety_weights, dtype=float)
    return float((np.arange(1, len(weights) + 1) * weights).sum() / weights.sum())


def shard_configs(config: DemoConfig, pairs: int) -> list[DemoConfig]:
    """Equal shards that together hold about ``pairs`` pairs, seeds ``seed``, ``seed + 1``, ..."""
    varieties = max(2, round(pairs / pairs_per_variety(config)))
    n_shards = math.ceil(varieties / config.scale.shard_varieties)
    per_shard = math.ceil(varieties / n_shards)
    size = {"n_varieties": per_shard,
            "n_enterprises": max(1, round(per_shard * config.scale.enterprises_per_variety))}
    return [config.model_copy(update={"seed": config.seed + k, "size": config.size.model_copy(update=size)})
            for k in range(n_shards)]


def prefixed(tables: dict[str, pd.DataFrame], prefix: str) -> dict[str, pd.DataFrame]:
    """The shard's tables with every variety and enterprise id prefixed."""
    out = {}
    for name, frame in tables.items():
        ids = {c: prefix + frame[c].astype("string[pyarrow]") for c in ID_COLUMNS if c in frame}
        out[name] = frame.assign(**ids)
    return out


def write_scaled_panel(config: DemoConfig, pairs: int, out_dir: Path,
                       progress: Callable[[int, int], None] | None = None) -> Path:
    """Simulate and write the shards of a ``pairs``-pair panel as month-partitioned Parquet."""
    shards = shard_configs(config, pairs)
    width = max(3, len(str(len(shards))))
    for k, shard in enumerate(shards):
        tag = f"S{k:0{width}d}"
        write_partitions(prefixed(simulate_panel(shard), f"{tag}-"), Path(out_dir), part=f"part-{tag}")
        if progress is not None:
            progress(k + 1, len(shards))
    return Path(out_dir)
