"""Drivers in words: the few features that raised a score most (LightGBM pred_contrib)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from shortage_radar.features.catalog import describe


_WINDOW = re.compile(r"_\d+m$")


def _stem(name: str) -> str:
    """One signal over several windows or horizons (``..._1m``, ``..._12m``) is one driver."""
    return _WINDOW.sub("", name)


def _row_drivers(names: list[str], values: np.ndarray, contrib: np.ndarray, top: int) -> str:
    words, seen = [], set()
    for j in np.argsort(-contrib, kind="stable"):
        if len(words) == top or contrib[j] <= 0:
            break
        if np.isnan(values[j]) or _stem(names[j]) in seen:
            continue
        seen.add(_stem(names[j]))
        words.append(describe(names[j], values[j]))
    return "; ".join(words)


def drivers(frame: pd.DataFrame, features: list[str], contributions: np.ndarray, top: int) -> list[str]:
    """For each row, the ``top`` largest positive contributions as phrases, ``;``-separated, one per signal."""
    values = frame.reindex(columns=features).to_numpy(dtype=float)
    return [_row_drivers(features, values[i], contributions[i], top) for i in range(len(frame))]
