"""What runs on a worker for one partition: the local engine's functions on a panel of whole varieties.

Nothing here is specific to Dask: each function takes and returns pandas objects, so the tests can
call them directly, and each calls the same code the local engine calls (``as_known_at``,
``entity_features``, ``model_tables``, ``cross``, ``unranked_rows``, ``series_as_of``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from shortage_radar.contract.panel import Panel
from shortage_radar.features import FeatureSet, as_known_at, cross
from shortage_radar.features.build import entity_features
from shortage_radar.features.grid import month_span, months_of
from shortage_radar.features.settings import FeatureConfig
from shortage_radar.models.coverage import dated_counts
from shortage_radar.models.dataset import ModelTables, model_tables
from shortage_radar.models.policy import WarningPolicy
from shortage_radar.models.risk import RiskModel
from shortage_radar.models.scoring import score_tables
from shortage_radar.models.settings import ModelConfig

Span = tuple[pd.Period, pd.Period] | None


@dataclass(frozen=True)
class PartitionTables:
    """A partition's model tables (cross-variety columns still placeholders) and its cross aggregates."""

    tables: ModelTables
    partial: cross.CrossPartial


def known(panel: Panel, at: pd.Period | None) -> Panel:
    """The panel as known at the end of ``at`` (all of it when None): the local engine's ``as_known_at``."""
    return panel if at is None else as_known_at(panel, at)


def known_span(tables: dict[str, pd.DataFrame], at: pd.Period | None) -> Span:
    """The month span of some tables' rows known at ``at``; spans of parts combine into the panel's grid."""
    return month_span(known(Panel(source=None, tables=tables, quarantine=pd.DataFrame(), results={}), at))


def partition_features(panel: Panel, span: Span, at: pd.Period | None, months: list[pd.Period] | None,
                       fcfg: FeatureConfig) -> tuple[FeatureSet, cross.CrossPartial]:
    """The partition's entity features on the whole panel's grid, and its cross-variety aggregates."""
    now = known(panel, at)
    features = entity_features(now, months, fcfg, grid=months_of(span))
    return features, cross.partial(features.variety, features.pair, cross.class_labels(now["varieties"]), fcfg)


def finish_features(part: tuple[FeatureSet, cross.CrossPartial], classes: pd.Series, ctx: cross.CrossContext,
                    fcfg: FeatureConfig) -> FeatureSet:
    """The partition's features with the cross-variety columns filled from the whole panel's aggregates."""
    features = part[0]
    return FeatureSet(variety=cross.apply(features.variety, features.pair, classes, ctx, fcfg), pair=features.pair)


def known_dated(tables: dict[str, pd.DataFrame], at: pd.Period | None) -> pd.Series:
    """Rows per month of some tables known at ``at``; parts add up to the panel's (collection gaps)."""
    return dated_counts(known(Panel(source=None, tables=tables, quarantine=pd.DataFrame(), results={}), at))


def partition_tables(panel: Panel, span: Span, dated: pd.Series, at: pd.Period | None,
                     months: list[pd.Period] | None, cfg: ModelConfig, fcfg: FeatureConfig) -> PartitionTables:
    """The partition's model tables as of ``at`` (labels on the whole panel's grid and gaps) and its
    cross aggregates."""
    now = known(panel, at)
    grid = months_of(span)
    tables = model_tables(now, cfg, entity_features(now, months, fcfg, grid=grid), months=grid, dated=dated)
    partial = cross.partial(tables.variety, tables.pair, cross.class_labels(now["varieties"]), fcfg)
    return PartitionTables(tables=tables, partial=partial)


def partial_of(part: PartitionTables | tuple) -> cross.CrossPartial:
    return part.partial if isinstance(part, PartitionTables) else part[1]


def variety_of(part: PartitionTables) -> pd.DataFrame:
    return part.tables.variety


def pairs_of(part: PartitionTables) -> pd.DataFrame:
    return part.tables.pair


def filled(variety: pd.DataFrame, pair: pd.DataFrame, classes: pd.Series, ctx: cross.CrossContext,
           fcfg: FeatureConfig) -> pd.DataFrame:
    """Variety rows of a partition with their cross-variety columns."""
    return cross.apply(variety, pair, classes, ctx, fcfg)


def score_partition(variety: pd.DataFrame, pair: pd.DataFrame, classes: pd.Series, ctx: cross.CrossContext,
                    models: tuple[RiskModel, RiskModel | None], month: pd.Period, policy: WarningPolicy,
                    cfg: ModelConfig, fcfg: FeatureConfig) -> pd.DataFrame:
    """Watchlist rows of one partition for ``month``, unranked (ranks are over all partitions)."""
    tables = ModelTables(variety=filled(variety, pair, classes, ctx, fcfg), pair=pair)
    return score_tables(tables, month, *models, policy, cfg, rank=False)


def panel_span(panel: Panel, at: pd.Period | None) -> Span:
    """The month span of a partition's rows known at ``at``."""
    return month_span(known(panel, at))


def panel_dated(panel: Panel, at: pd.Period | None) -> pd.Series:
    """A partition's rows per month known at ``at``."""
    return dated_counts(known(panel, at))


def tables_at(panel: Panel, features: FeatureSet, at: pd.Period | None, span: Span, dated: pd.Series,
              cfg: ModelConfig) -> ModelTables:
    """A partition's model tables with labels as known at ``at`` (on the whole panel's grid and gaps at ``at``)."""
    return model_tables(known(panel, at), cfg, features, months=months_of(span), dated=dated)


def variety_of_tables(tables: ModelTables) -> pd.DataFrame:
    return tables.variety


def pairs_of_tables(tables: ModelTables) -> pd.DataFrame:
    return tables.pair
