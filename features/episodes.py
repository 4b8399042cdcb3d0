"""Episodes: how a variety's past shortages ran, for panels where history is most of what is known.

Sparse public panels (shortage reports only) carry little besides the shortage record, so the
shape of that record matters: how often the variety has been short, how much of the recent past
it spent in shortage, how long its last shortage lasted, how long its ingredient has been short in
other forms. Every value at t uses starts up to t and ends only from their own month on.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shortage_radar.features.grid import Block, month_pos, scatter
from shortage_radar.features.peers import others_in_group
from shortage_radar.features.window import sum_last


def carry_last(values: np.ndarray) -> np.ndarray:
    """Each row's last known value carried forward along the months (NaN before the first)."""
    return pd.DataFrame(values.T).ffill().to_numpy().T


def _last_duration(varieties: Block, events: pd.DataFrame) -> np.ndarray:
    """[V, T] length in months of the variety's latest ended shortage, known from its end month on."""
    ended = events[events["end_month"].notna()]
    rows = pd.Index(varieties.keys["variety_id"].astype(str)).get_indexer(ended["variety_id"].astype(str))
    start = month_pos(varieties.months, ended["start_month"])
    end = month_pos(varieties.months, ended["end_month"])
    placed = scatter(varieties.shape, rows, end, end - start + 1, how="max")
    return carry_last(placed)


def variety_episodes(varieties: Block, events: pd.DataFrame | None, onsets: np.ndarray, ongoing: np.ndarray,
                     window: int) -> dict[str, np.ndarray]:
    """Onsets so far, months in shortage in ``window``, the last shortage's length, ingredient onsets so far."""
    if events is None:
        return {}
    so_far = np.cumsum(onsets, axis=1)
    ingredient = varieties.keys["generic_name"].astype("string").str.upper().str.strip()
    return {
        "shortages_so_far": so_far,
        f"shortage_months_last_{window}m": sum_last(ongoing, window),
        "last_shortage_months": _last_duration(varieties, events),
        "ingredient_shortages_so_far": others_in_group(ingredient, so_far),
    }
