"""Model tables: point-in-time features joined with labels, one for varieties and one for pairs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from shortage_radar.contract.panel import Panel
from shortage_radar.features import FeatureSet, as_known_at, build_features
from shortage_radar.features.catalog import VARIETY_PREFIX
from shortage_radar.features.grid import panel_months
from shortage_radar.models.coverage import dated_counts
from shortage_radar.models.curve import HORIZONS, censored_column, label_column
from shortage_radar.models.labels import pair_labels, variety_labels
from shortage_radar.models.settings import ModelConfig

PAIR_CONTEXT = ("producers_active", "top_producer_share", "producers_suspended", "suspended_share",
                "months_of_supply", "institution_reports_recent", "provinces_reporting", "shortages_last_12m",
                "on_shortage_list", "on_key_monitoring_list", "essential")


@dataclass(frozen=True)
class ModelTables:
    """Variety and pair rows: features, labels, ongoing and censored flags (Dask dataframes on the Dask engine)."""

    variety: pd.DataFrame
    pair: pd.DataFrame


TablesAt = Callable[[pd.Period | None], ModelTables]  # model tables with labels as known at t (None: all)


def local(value: Any) -> Any:
    """A pandas value: a Dask engine's lazy frame or scalar computed, anything else as it is."""
    return value.compute() if hasattr(value, "compute") and not isinstance(value, pd.DataFrame | pd.Series) \
        else value


def tables_source(panel: Panel, cfg: ModelConfig, features: FeatureSet | None = None) -> TablesAt:
    """Model tables of ``panel`` with labels as known at any month, from one build of its features."""
    features = features or build_features(panel)

    def at(month: pd.Period | None) -> ModelTables:
        return model_tables(panel if month is None else as_known_at(panel, month), cfg, features)

    return at


def _keyed(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return frame.assign(**{k: frame[k].astype(str) for k in keys if k != "month"})


def _curve_labels(variety: pd.DataFrame, panel: Panel, months: pd.PeriodIndex, cfg: ModelConfig,
                  dated: pd.Series) -> pd.DataFrame:
    """Labels and censoring at the risk curve's other horizons (``label_<h>m``, ``censored_<h>m``)."""
    for h in HORIZONS:
        if h == cfg.horizon:
            continue
        labels = _keyed(variety_labels(panel, months, cfg.model_copy(update={"horizon": h}), dated), ["variety_id"])
        labels = labels[["variety_id", "month", "label", "censored"]].rename(
            columns={"label": label_column(h), "censored": censored_column(h)})
        variety = variety.merge(labels, on=["variety_id", "month"], how="left")
    return variety


def model_tables(panel: Panel, cfg: ModelConfig, features: FeatureSet | None = None,
                 months: pd.PeriodIndex | None = None, dated: pd.Series | None = None) -> ModelTables:
    """Features for every month with labels from ``panel`` (labels may look ahead; features never do).

    ``months`` is the label grid and ``dated`` the rows per month that find collection gaps (default:
    the panel's own); a partition of varieties passes the whole panel's.
    """
    features = features or build_features(panel)
    months = panel_months(panel) if months is None else months
    dated = dated_counts(panel) if dated is None else dated  # once for both label tables
    variety = _keyed(features.variety, ["variety_id"]).merge(
        _keyed(variety_labels(panel, months, cfg, dated), ["variety_id"]), on=["variety_id", "month"], how="left")
    variety = _curve_labels(variety, panel, months, cfg, dated)
    variety["ongoing"] = variety["shortage_ongoing"].fillna(0).astype(bool) if "shortage_ongoing" in variety \
        else variety["ongoing"]
    variety.insert(0, "entity", "variety")
    pair = features.pair
    if len(pair):
        keys = pair[["enterprise_id", "variety_id"]].drop_duplicates().reset_index(drop=True)
        labels = _keyed(pair_labels(panel, keys, months, cfg, dated), ["enterprise_id", "variety_id"])
        pair = _keyed(pair, ["enterprise_id", "variety_id"]).merge(labels, on=["enterprise_id", "variety_id", "month"],
                                                                   how="left")
        context = [c for c in PAIR_CONTEXT if c in variety]
        ctx = variety[["variety_id", "month", *context]].rename(columns={c: VARIETY_PREFIX + c for c in context})
        pair = pair.merge(ctx, on=["variety_id", "month"], how="left")
        pair.insert(0, "entity", "enterprise")
    return ModelTables(variety=variety, pair=pair)
