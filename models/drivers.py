"""Drivers in words: the few features that raised a score most (LightGBM pred_contrib)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from shortage_radar.features.catalog import describe


def drivers(frame: pd.DataFrame, features: list[str], contributions: np.ndarray, top: int) -> list[str]:
    """For each row, the ``top`` positive contributions as phrases, ``;``-separated."""
    out = []
    values = frame.reindex(columns=features).to_numpy(dtype=float)
    order = np.argsort(-contributions, axis=1)[:, :top]
    for i, cols in enumerate(order):
        words = [describe(features[j], values[i, j]) for j in cols
                 if contributions[i, j] > 0 and not np.isnan(values[i, j])]
        out.append("; ".join(words))
    return out
