"""History: shortages of the variety, of its class and of varieties sharing its producers."""

from __future__ import annotations

import numpy as np
import pandas as pd

from shortage_radar.features.grid import Block, month_pos, scatter
from shortage_radar.features.episodes import variety_episodes
from shortage_radar.features.peers import variety_peers
from shortage_radar.features.settings import FeatureConfig
from shortage_radar.features.window import months_since, sum_last


def _variety_rows(varieties: Block, table: pd.DataFrame) -> np.ndarray:
    return pd.Index(varieties.keys["variety_id"].astype(str)).get_indexer(table["variety_id"].astype(str))


def onsets_and_ongoing(varieties: Block, events: pd.DataFrame | None) -> tuple[np.ndarray, np.ndarray]:
    """[V, T] onsets (count starting that month) and ongoing (start <= t and end not yet passed)."""
    if events is None:
        return varieties.empty(), varieties.empty()
    rows = _variety_rows(varieties, events)
    start = month_pos(varieties.months, events["start_month"])
    onsets = np.nan_to_num(scatter(varieties.shape, rows, start, np.ones(len(events))))
    end = np.nan_to_num(month_pos(varieties.months, events["end_month"]), nan=np.inf)
    t = np.arange(len(varieties.months))[None, :]
    spans = (t >= start[:, None]) & (t <= end[:, None])
    ongoing = np.zeros(varieties.shape, dtype=bool)
    keep = rows >= 0
    np.logical_or.at(ongoing, rows[keep], spans[keep])
    return onsets, ongoing.astype(float)


def _ends(varieties: Block, events: pd.DataFrame) -> np.ndarray:
    """[V, T] shortages ending that month (an end is known from its month on)."""
    ended = events[events["end_month"].notna()]
    rows = _variety_rows(varieties, ended)
    return np.nan_to_num(scatter(varieties.shape, rows, month_pos(varieties.months, ended["end_month"]),
                                 np.ones(len(ended))))


def variety_history(varieties: Block, events: pd.DataFrame | None, cfg: FeatureConfig,
                    report_only: bool = False) -> dict[str, np.ndarray]:
    """The variety's own shortages (class and shared-producer counts are placeholders filled by cross.py);
    with ``report_only`` also ends, peers and episodes."""
    if events is None:
        return {}
    onsets, ongoing = onsets_and_ongoing(varieties, events)
    out = {"shortage_ongoing": ongoing, "months_since_shortage": months_since(onsets)}
    for w in cfg.history_windows:
        out[f"shortages_last_{w}m"] = sum_last(onsets, w)
        out[f"class_shortages_last_{w}m"] = varieties.empty()  # cross-variety: features/cross.py
    out[f"shared_producer_shortages_last_{cfg.history_windows[0]}m"] = varieties.empty()  # features/cross.py
    if report_only:
        first = out[f"shortages_last_{cfg.history_windows[0]}m"]
        out["months_since_shortage_end"] = months_since(_ends(varieties, events))
        out.update(variety_peers(varieties, first, ongoing, cfg.history_windows[0]))
        if cfg.episode_features:
            out.update(variety_episodes(varieties, events, onsets, ongoing, cfg.history_windows[1]))
    return out


def pair_history(pairs: Block, disruptions: pd.DataFrame | None, cfg: FeatureConfig) -> dict[str, np.ndarray]:
    """The pair's own past supply disruptions (labels known from their start month)."""
    if disruptions is None:
        return {}
    lookup = pd.MultiIndex.from_frame(pairs.keys[["enterprise_id", "variety_id"]].astype(str))
    rows = lookup.get_indexer(pd.MultiIndex.from_frame(disruptions[["enterprise_id", "variety_id"]].astype(str)))
    starts = np.nan_to_num(scatter(pairs.shape, rows, month_pos(pairs.months, disruptions["start_month"]),
                                   np.ones(len(disruptions))))
    out = {"months_since_disruption": months_since(starts)}
    for w in cfg.history_windows[:2]:
        out[f"disruptions_last_{w}m"] = sum_last(starts, w)
    return out
