"""Price: ex-factory and purchase price, their change, and the level relative to the therapeutic class."""

from __future__ import annotations

import numpy as np
import pandas as pd

from shortage_radar.features.cross import PRICE_LEVEL
from shortage_radar.features.demand import _by_variety
from shortage_radar.features.grid import Block, to_variety
from shortage_radar.features.settings import FeatureConfig
from shortage_radar.features.window import lag, mean_last, ratio

YEAR = 12


def purchase_price(varieties: Block, procurement: pd.DataFrame | None) -> np.ndarray:
    """Volume-weighted purchase price per variety-month (NaN without procurement)."""
    if procurement is None:
        return varieties.empty()
    paid = procurement.assign(paid=procurement["purchase_volume"] * procurement["avg_price"])
    return ratio(_by_variety(varieties, paid, "paid"), _by_variety(varieties, procurement, "purchase_volume"))


def variety_price(varieties: Block, pairs: Block, rows: np.ndarray, procurement: pd.DataFrame | None,
                  cfg: FeatureConfig) -> dict[str, np.ndarray]:
    w = cfg.short_window
    ex_factory = to_variety(pairs, pairs.get("ex_factory_price"), len(varieties.keys), rows, how="min")
    purchase = purchase_price(varieties, procurement)
    level = np.where(np.isnan(purchase), ex_factory, purchase)
    out = {"ex_factory_price_min": ex_factory, "purchase_price": purchase,
           "price_relative_to_class": varieties.empty(),  # cross-variety: features/cross.py
           PRICE_LEVEL: mean_last(level, w)}
    for name, series in (("ex_factory_price", ex_factory), ("purchase_price", purchase)):
        recent = mean_last(series, w)
        out[f"{name}_change"] = ratio(recent, lag(recent, w)) - 1.0
        out[f"{name}_change_year"] = ratio(recent, lag(recent, YEAR)) - 1.0
    return out


def pair_price(pairs: Block, variety_price_level: np.ndarray, rows: np.ndarray) -> dict[str, np.ndarray]:
    """The producer's ex-factory price relative to the variety's lowest."""
    return {"price_vs_variety_min": ratio(pairs.get("ex_factory_price"), variety_price_level[rows])}
