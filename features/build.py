"""Assemble every feature family for varieties and (enterprise, variety) pairs as of each month."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from shortage_radar.contract.panel import Panel
from shortage_radar.features import compliance, cross, demand, history, price, procurement, reporting, supply
from shortage_radar.features import suspensions
from shortage_radar.features.grid import Block, month_pos, pair_block, panel_months, variety_keys, variety_rows
from shortage_radar.features.settings import FeatureConfig, feature_config
from shortage_radar.features.window import first_month

HELPER_ARRAYS = ("sales",)  # computed for other families, not features themselves


@dataclass(frozen=True)
class FeatureSet:
    """One row per variety-month and per known pair-month; every value known by the end of that month."""

    variety: pd.DataFrame
    pair: pd.DataFrame


def _flag(values: pd.Series) -> np.ndarray:
    return values.astype("Float64").to_numpy(dtype=float, na_value=np.nan)


def _pair_known(panel: Panel, pairs: Block) -> np.ndarray:
    """[P, T] True from the month a pair is first seen: its first report or first filed suspension."""
    seen = np.nan_to_num(pairs.get("reported"))
    table = panel.get("suspensions")
    if table is not None and len(pairs.keys):
        lookup = pd.MultiIndex.from_frame(pairs.keys[["enterprise_id", "variety_id"]].astype(str))
        rows = lookup.get_indexer(pd.MultiIndex.from_frame(table[["enterprise_id", "variety_id"]].astype(str)))
        cols = np.clip(month_pos(pairs.months, table["reported_month"]), 0, None).astype(int)
        np.add.at(seen, (rows, cols), 1.0)
    return ~np.isnan(first_month(seen))


def _long(keys: pd.DataFrame, months: pd.PeriodIndex, arrays: dict[str, np.ndarray], keep: np.ndarray,
          wanted: np.ndarray) -> pd.DataFrame:
    """Flatten [entity, month] arrays into rows for the kept cells of the wanted months."""
    mask = keep & wanted[None, :]
    rows, cols = np.nonzero(mask)
    frame = keys.iloc[rows].reset_index(drop=True)
    frame.insert(len(keys.columns), "month", months[cols])
    values = {name: arr[rows, cols] for name, arr in arrays.items() if name not in HELPER_ARRAYS}
    return pd.concat([frame, pd.DataFrame(values)], axis=1)


def _variety_static(keys: pd.DataFrame, shape: tuple[int, int]) -> dict[str, np.ndarray]:
    cols = {"on_shortage_list": _flag(keys["on_shortage_list"]),
            "on_key_monitoring_list": _flag(keys["on_key_monitoring_list"]),
            "essential": _flag(keys["essential"]),
            "vbp_batch": keys["vbp_batch"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)}
    return {name: np.broadcast_to(v[:, None], shape).copy() for name, v in cols.items()}


def report_only_features(tables: Panel | Collection[str], cfg: FeatureConfig) -> bool:
    """Whether the report-only families are built for a panel of these tables (``report_features``)."""
    if cfg.report_features == "auto":
        return "monthly_reports" not in tables
    return cfg.report_features == "always"


def _variety_arrays(panel: Panel, varieties: Block, pairs: Block, rows: np.ndarray, known: np.ndarray,
                    pair_feats: dict[str, np.ndarray], cfg: FeatureConfig) -> dict[str, np.ndarray]:
    n_v = len(varieties.keys)
    report_only = report_only_features(panel, cfg)
    out = _variety_static(varieties.keys, varieties.shape)
    sup = supply.variety_supply(pairs, rows, n_v, cfg) if "production" in pairs.arrays else {}
    out.update(sup)
    if "production" in pairs.arrays:
        out.update(compliance.variety_compliance(pairs, rows, n_v, cfg))
    out.update(suspensions.variety_suspensions(pairs, pair_feats, rows, n_v, cfg))
    prices = price.variety_price(varieties, pairs, rows, panel.get("procurement"), cfg)
    out.update(prices)
    if "contracted_volume" in pairs.arrays:
        out.update(procurement.variety_procurement(pairs, rows, n_v, prices["ex_factory_price_min"], cfg))
    out.update(demand.variety_demand(varieties, sup.get("sales", varieties.empty()), panel.get("procurement"),
                                     panel.get("institution_reports"), cfg))
    out.update(history.variety_history(varieties, panel.get("shortage_events"), cfg, report_only))
    if report_only:
        out.update(reporting.variety_reporting(varieties, pairs, rows, known,
                                               pair_feats.get("suspension_reported_now"), panel.get("suspensions"),
                                               cfg.history_windows[0], cfg.episode_features,
                                               out.get("producers_suspended")))
    # varieties.vbp_batch carries no date: show the batch only once contract volumes are seen by t
    selected = ~np.isnan(out.get("months_since_selection", varieties.empty()))
    out["vbp_batch"] = np.where(selected, out["vbp_batch"], np.nan)
    return out


def _pair_arrays(panel: Panel, pairs: Block, known: np.ndarray, cfg: FeatureConfig) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    if "production" in pairs.arrays:
        out.update(supply.pair_supply(pairs, cfg))
        out.update(procurement.pair_procurement(pairs, cfg))
        out.update(compliance.pair_compliance(pairs, cfg))
    out.update(suspensions.pair_suspensions(pairs, panel.get("suspensions")))
    out.update(history.pair_history(pairs, panel.get("supply_disruptions"), cfg))
    first = first_month(known.astype(float))
    out["months_known"] = np.arange(pairs.shape[1])[None, :] - first
    return out


def _pair_static(panel: Panel, pairs: Block) -> dict[str, np.ndarray]:
    enterprises = panel.get("enterprises")
    if enterprises is None or not len(pairs.keys):
        return {}
    reserve = pairs.keys[["enterprise_id"]].merge(enterprises[["enterprise_id", "is_reserve"]], how="left")
    return {"is_reserve": np.broadcast_to(_flag(reserve["is_reserve"])[:, None], pairs.shape).copy()}


def entity_features(panel: Panel, months: Iterable[pd.Period] | None = None, cfg: FeatureConfig | None = None,
                    grid: pd.PeriodIndex | None = None) -> FeatureSet:
    """Every feature that needs only the entity's own rows; cross-variety ones are placeholders (cross.py).

    A panel of whole varieties with their pairs gives the same rows for them as the whole panel,
    provided ``grid`` is the whole panel's month grid (the default is this panel's).
    """
    cfg = cfg or feature_config()
    grid = panel_months(panel) if grid is None else grid
    wanted = np.ones(len(grid), bool) if months is None else grid.isin(pd.PeriodIndex(list(months), freq="M"))
    varieties = Block(keys=variety_keys(panel), months=grid)
    pairs = pair_block(panel, grid, cfg)
    rows = variety_rows(varieties.keys, pairs.keys)
    known = _pair_known(panel, pairs) if len(pairs.keys) else np.zeros(pairs.shape, bool)
    pair_feats = _pair_arrays(panel, pairs, known, cfg)
    pair_feats.update(_pair_static(panel, pairs))
    variety_feats = _variety_arrays(panel, varieties, pairs, rows, known, pair_feats, cfg)
    if len(pairs.keys) and "ex_factory_price" in pairs.arrays:
        pair_feats.update(price.pair_price(pairs, variety_feats["ex_factory_price_min"], rows))
    return FeatureSet(
        variety=_long(varieties.keys[["variety_id"]], grid, variety_feats, np.ones(varieties.shape, bool), wanted),
        pair=_long(pairs.keys, grid, pair_feats, known, wanted),
    )


def build_features(panel: Panel, months: Iterable[pd.Period] | None = None,
                   cfg: FeatureConfig | None = None) -> FeatureSet:
    """Features of every variety and known pair for ``months`` (default: every month of the panel)."""
    cfg = cfg or feature_config()
    parts = entity_features(panel, months, cfg)
    classes = cross.class_labels(panel["varieties"])
    context = cross.combine([cross.partial(parts.variety, parts.pair, classes, cfg)])
    return FeatureSet(variety=cross.apply(parts.variety, parts.pair, classes, context, cfg), pair=parts.pair)
