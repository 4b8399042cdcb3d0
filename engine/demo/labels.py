"""Label tables: ``shortage_events`` (variety episodes) and ``supply_disruptions`` (pair episodes)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from shortage_radar.demo import columns as col
from shortage_radar.demo.episodes import Episodes
from shortage_radar.demo.events import NATIONAL, ShortageEpisodes
from shortage_radar.demo.timeline import Timeline
from shortage_radar.demo.world import World

SEPARATOR = ";"


def _province_lists(affected: np.ndarray, names: np.ndarray, listed: np.ndarray) -> pd.arrays.ArrowStringArray:
    """``;``-joined affected provinces for the ``listed`` episodes, missing for the others."""
    k, r = np.nonzero(affected & listed[:, None])
    joined = pd.Series(names[r], dtype=object).groupby(k).agg(SEPARATOR.join)
    cells = np.full(len(affected), None, dtype=object)
    cells[joined.index.to_numpy()] = joined.to_numpy()
    return pd.arrays.ArrowStringArray(pa.array(cells.tolist(), type=pa.string()))


def shortage_events_table(world: World, found: ShortageEpisodes, timeline: Timeline,
                          keys: dict[str, np.ndarray]) -> pd.DataFrame:
    """One row per shortage episode; ``end_month`` only if it ended inside the panel."""
    ep = found.episodes
    return pd.DataFrame({
        "variety_id": col.text(ep.entity, keys["variety"]),
        "start_month": col.months(ep.start, timeline.labels),
        "end_month": col.months(ep.end, timeline.labels, present=~ep.ongoing),
        "scope": pd.arrays.ArrowStringArray(pa.array(found.scope.tolist(), type=pa.string())),
        "provinces": _province_lists(found.provinces, world.province_names, found.scope != NATIONAL),
        "reason": pd.arrays.ArrowStringArray(pa.array(found.reason.tolist(), type=pa.string())),
    })


def supply_disruptions_table(world: World, found: Episodes, timeline: Timeline,
                             keys: dict[str, np.ndarray]) -> pd.DataFrame:
    """One row per enterprise-variety disruption episode."""
    return pd.DataFrame({
        "enterprise_id": col.text(world.pair_enterprise[found.entity], keys["enterprise"]),
        "variety_id": col.text(world.pair_variety[found.entity], keys["variety"]),
        "start_month": col.months(found.start, timeline.labels),
        "end_month": col.months(found.end, timeline.labels, present=~found.ongoing),
    })
