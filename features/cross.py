"""Cross-variety features: a variety compared with others (its therapeutic class, the other varieties of its producers).

A block of whole varieties (one partition on the Dask engine) cannot compute these alone, so both
engines fill them in three steps over the long feature rows: ``partial`` per block of rows, ``combine``
the blocks' small aggregates (class x month, enterprise x month), then ``apply`` per block. Locally
there is one block. The entity families leave these columns as NaN placeholders in their usual
position and emit the helper column ``PRICE_LEVEL``; ``apply`` fills the placeholders and drops it.
Every aggregate is a sum of whole counts or a median, so the result does not depend on the blocks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from shortage_radar.features.settings import FeatureConfig
from shortage_radar.features.window import ratio

PRICE_LEVEL = "_price_level"  # the variety's price over the short window, for price_relative_to_class
HELPERS = (PRICE_LEVEL,)
CLASS_PRICE = "price_relative_to_class"
KEY = ["cls", "month"]


@dataclass(frozen=True)
class CrossPartial:
    """One block's contribution: onsets per class-month and per producer-month, finite price levels."""

    class_onsets: pd.DataFrame     # index (cls, month); one column per shortages_last_{w}m
    producer_onsets: pd.Series     # index (enterprise_id, month)
    price_levels: pd.DataFrame     # cls, month, level


@dataclass(frozen=True)
class CrossContext:
    """The whole panel's aggregates that every block's cross features are computed from."""

    class_onsets: pd.DataFrame
    producer_onsets: pd.Series
    class_price: pd.Series         # index (cls, month): median price level of the class


NO_CLASS = "\x00no class"  # varieties without a class: NaN class counts; prices compared among themselves


def class_labels(varieties: pd.DataFrame) -> pd.Series:
    """Therapeutic class per variety_id (``NO_CLASS`` where it is missing)."""
    labels = varieties["therapeutic_class"].astype("string").fillna(NO_CLASS).to_numpy(dtype=object)
    return pd.Series(labels, index=varieties["variety_id"].astype(str).to_numpy())


def _windows(rows: pd.DataFrame, cfg: FeatureConfig) -> list[int]:
    return [w for w in cfg.history_windows if f"class_shortages_last_{w}m" in rows]


def _shared_name(cfg: FeatureConfig) -> str:
    return f"shared_producer_shortages_last_{cfg.history_windows[0]}m"


def _keyed(rows: pd.DataFrame, classes: pd.Series) -> pd.DataFrame:
    return pd.DataFrame({"cls": rows["variety_id"].astype(str).map(classes).to_numpy(),
                         "month": rows["month"].to_numpy()})


def _per_pair_recent(variety: pd.DataFrame, pair: pd.DataFrame, cfg: FeatureConfig) -> pd.DataFrame:
    """Each known pair-month with its variety's recent onsets (the producer's share in shared counts)."""
    recent = f"shortages_last_{cfg.history_windows[0]}m"
    left = pd.DataFrame({"enterprise_id": pair["enterprise_id"].astype(str).to_numpy(),
                         "variety_id": pair["variety_id"].astype(str).to_numpy(), "month": pair["month"].to_numpy()})
    right = pd.DataFrame({"variety_id": variety["variety_id"].astype(str).to_numpy(),
                          "month": variety["month"].to_numpy(), "recent": variety[recent].to_numpy(dtype=float)})
    return left.merge(right, on=["variety_id", "month"], how="left")


def partial(variety: pd.DataFrame, pair: pd.DataFrame, classes: pd.Series, cfg: FeatureConfig) -> CrossPartial:
    """The block's aggregates: sums of recent onsets by class and by producer, and its price levels."""
    keys = _keyed(variety, classes)
    columns = [f"shortages_last_{w}m" for w in _windows(variety, cfg)]
    onsets = pd.concat([keys, variety[columns].reset_index(drop=True)], axis=1).groupby(KEY, sort=False)[columns].sum()
    producers = pd.Series(dtype=float)
    if _shared_name(cfg) in variety and len(pair):
        per_pair = _per_pair_recent(variety, pair, cfg)
        producers = per_pair.groupby(["enterprise_id", "month"], sort=False)["recent"].sum()
    level = variety[PRICE_LEVEL].to_numpy(dtype=float)
    finite = np.isfinite(level)
    prices = keys[finite].assign(level=level[finite])
    return CrossPartial(class_onsets=onsets, producer_onsets=producers, price_levels=prices)


def _median(values: pd.Series) -> float:
    return float(np.median(np.sort(values.to_numpy(dtype=float))))


def combine(parts: Iterable[CrossPartial]) -> CrossContext:
    """Add the blocks' onset counts up and take each class-month's median price level."""
    parts = list(parts)
    onsets = pd.concat([p.class_onsets for p in parts])
    producers = [p.producer_onsets for p in parts if len(p.producer_onsets)]
    prices = pd.concat([p.price_levels for p in parts], ignore_index=True)
    return CrossContext(
        class_onsets=onsets.groupby(level=[0, 1], sort=False).sum(),
        producer_onsets=pd.concat(producers).groupby(level=[0, 1], sort=False).sum() if producers
        else pd.Series(dtype=float),
        class_price=prices.groupby(KEY, sort=False)["level"].agg(_median) if len(prices) else pd.Series(dtype=float),
    )


def _lookup(table: pd.Series | pd.DataFrame, keys: list[np.ndarray]) -> np.ndarray:
    index = pd.MultiIndex.from_arrays(keys)
    if not len(table):
        return np.full(len(index), np.nan)
    return table.reindex(index).to_numpy(dtype=float)


def _shared_producers(variety: pd.DataFrame, pair: pd.DataFrame, ctx: CrossContext, cfg: FeatureConfig) -> np.ndarray:
    """Recent onsets at the other varieties of each variety's producers (pairs known at t only)."""
    if not len(pair):
        return np.zeros(len(variety))
    per_pair = _per_pair_recent(variety, pair, cfg)
    total = _lookup(ctx.producer_onsets, [per_pair["enterprise_id"].to_numpy(), per_pair["month"].to_numpy()])
    others = per_pair.assign(others=total - per_pair["recent"].to_numpy())
    summed = others.groupby(["variety_id", "month"], sort=False)["others"].sum()
    keys = [variety["variety_id"].astype(str).to_numpy(), variety["month"].to_numpy()]
    return np.nan_to_num(_lookup(summed, keys), nan=0.0)


def apply(variety: pd.DataFrame, pair: pd.DataFrame, classes: pd.Series, ctx: CrossContext,
          cfg: FeatureConfig) -> pd.DataFrame:
    """The block's variety rows with the cross-variety placeholders filled and the helper columns dropped."""
    keys = _keyed(variety, classes)
    key_arrays = [keys["cls"].to_numpy(), keys["month"].to_numpy()]
    no_class = key_arrays[0] == NO_CLASS
    out = variety.copy()
    for w in _windows(variety, cfg):
        own = variety[f"shortages_last_{w}m"].to_numpy(dtype=float)
        counts = _lookup(ctx.class_onsets[f"shortages_last_{w}m"], key_arrays) - own
        out[f"class_shortages_last_{w}m"] = np.where(no_class, np.nan, counts)
    if _shared_name(cfg) in variety:
        out[_shared_name(cfg)] = _shared_producers(variety, pair, ctx, cfg)
    if CLASS_PRICE in variety:
        out[CLASS_PRICE] = ratio(variety[PRICE_LEVEL].to_numpy(dtype=float), _lookup(ctx.class_price, key_arrays))
    return out.drop(columns=[c for c in HELPERS if c in out])
