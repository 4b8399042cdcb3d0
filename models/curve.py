"""The risk curve: probability of an onset within 1, 2, 3 and 6 months, non-decreasing in the horizon.

One ranking (the engine's blended score) and, per horizon, a Platt map fitted on the inner
validation rows whose label at that horizon is known. The model's own horizon keeps ``risk``
itself; the others are made monotone around it (shorter horizons never above it, longer never
below). A horizon without enough labelled rows, or a model without an inner validation, falls
back to a constant monthly hazard: ``1 - (1 - risk) ** (h / horizon)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from shortage_radar.models.blend import monotone_platt
from shortage_radar.models.settings import ModelConfig

HORIZONS = (1, 2, 3, 6)  # contract v1.1 §4: risk_1m, risk_2m, risk_3m, risk_6m


def column(h: int) -> str:
    """The watchlist column of horizon ``h``."""
    return f"risk_{h}m"


def label_column(h: int) -> str:
    return f"label_{h}m"


def censored_column(h: int) -> str:
    return f"censored_{h}m"


def constant_hazard(risk: np.ndarray, horizon: int, horizons: tuple[int, ...]) -> dict[int, np.ndarray]:
    """Each horizon's probability under a constant monthly hazard that gives ``risk`` at ``horizon``."""
    risk = np.clip(np.asarray(risk, dtype=float), 0.0, 1.0)
    return {h: risk if h == horizon else 1.0 - (1.0 - risk) ** (h / horizon) for h in horizons}


def monotone(curve: dict[int, np.ndarray], horizon: int) -> dict[int, np.ndarray]:
    """Anchored at ``horizon``: shorter horizons capped by the next longer, longer ones floored by the shorter."""
    hs = sorted(curve)
    out = dict(curve)
    below = [h for h in hs if h < horizon]
    for h, nxt in zip(reversed(below), reversed([*below[1:], horizon]), strict=True):
        out[h] = np.minimum(out[h], out[nxt])
    prev = horizon
    for h in [h for h in hs if h > horizon]:
        out[h] = np.maximum(out[h], out[prev])
        prev = h
    return out


@dataclass(frozen=True)
class Curve:
    """Platt coefficients on the blended score for each horizon other than the model's."""

    horizon: int
    platt: dict[int, tuple[float, float]]

    def apply(self, score: np.ndarray, risk: np.ndarray, horizons: tuple[int, ...]) -> dict[int, np.ndarray]:
        fallback = constant_hazard(risk, self.horizon, horizons)
        curve = {}
        for h in horizons:
            if h == self.horizon or h not in self.platt:
                curve[h] = fallback[h]
            else:
                a, b = self.platt[h]
                curve[h] = 1.0 / (1.0 + np.exp(-(a * score + b)))
        return monotone(curve, self.horizon) if self.horizon in curve else curve


def fit_curve(rows: pd.DataFrame, score: np.ndarray, cfg: ModelConfig) -> Curve:
    """A Platt map per horizon on the inner rows whose label at that horizon is known."""
    platt = {}
    ongoing = rows["ongoing"].astype(bool).to_numpy()
    for h in HORIZONS:
        if h == cfg.horizon or label_column(h) not in rows:
            continue
        y = rows[label_column(h)]
        censored = rows[censored_column(h)].astype("boolean").fillna(True).to_numpy(dtype=bool)
        known = ~ongoing & ~censored & y.notna().to_numpy()
        labels = y.to_numpy()[known].astype(int)
        if labels.sum() >= cfg.min_inner_positives and labels.sum() < len(labels):
            platt[h] = monotone_platt(score[known], labels, cfg.platt_min_slope)
    return Curve(cfg.horizon, platt)
