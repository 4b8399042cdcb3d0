"""Dense [entity, month] arrays built from the validated tables: the input of every feature family.

A `Block` holds entities (varieties or enterprise-variety pairs) as rows and the panel's months
as columns. Families are pure functions of blocks, so a block of any subset of whole entities
(e.g. one Dask partition of varieties with their pairs) gives the same features for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from shortage_radar.audit.figures import LEVELS, implausible_levels
from shortage_radar.audit.filing import on_time
from shortage_radar.audit.settings import audit_config
from shortage_radar.contract.panel import Panel
from shortage_radar.features.settings import FeatureConfig
from shortage_radar.features.window import ffill

REPORT_COLUMNS = ("production", "sales", "inventory", "capacity", "api_stock_months", "ex_factory_price",
                  "contracted_volume", "delivered_volume", "safety_stock")


@dataclass
class Block:
    """Rows = entities (``keys``), columns = ``months``; ``arrays`` name -> float [n, T]."""

    keys: pd.DataFrame
    months: pd.PeriodIndex
    arrays: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.keys), len(self.months)

    def empty(self) -> np.ndarray:
        return np.full(self.shape, np.nan)

    def get(self, name: str) -> np.ndarray:
        """The array, or all-NaN when its feed is absent (a missing feed is never an error)."""
        return self.arrays.get(name, self.empty())


DATED = (("monthly_reports", "month"), ("procurement", "month"), ("institution_reports", "month"),
         ("suspensions", "reported_month"), ("shortage_events", "start_month"), ("supply_disruptions", "start_month"))


def month_span(panel: Panel) -> tuple[pd.Period, pd.Period] | None:
    """The earliest and latest month any table mentions (None without dated rows).

    Spans of parts of a panel combine by min and max (``combine_spans``), which is how the Dask
    engine finds the one month grid every partition must share.
    """
    found = []
    for name, column in DATED:
        frame = panel.get(name)
        if frame is not None and len(frame):
            found += [frame[column].min(), frame[column].max()]
    return (min(found), max(found)) if found else None


def combine_spans(spans: list[tuple[pd.Period, pd.Period] | None]) -> tuple[pd.Period, pd.Period] | None:
    """The span of the union of panel parts."""
    known = [s for s in spans if s is not None]
    return (min(s[0] for s in known), max(s[1] for s in known)) if known else None


def months_of(span: tuple[pd.Period, pd.Period] | None) -> pd.PeriodIndex:
    """Every month of the span (the feature grid)."""
    if span is None:
        raise ValueError("the panel has no dated rows: nothing to compute features from")
    return pd.period_range(span[0], span[1], freq="M")


def panel_months(panel: Panel) -> pd.PeriodIndex:
    """Every month from the earliest to the latest month any table mentions."""
    return months_of(month_span(panel))


def month_pos(months: pd.PeriodIndex, values: pd.Series) -> np.ndarray:
    """Position of each month relative to ``months[0]`` (float: may be negative; NaN when missing)."""
    ordinals = pd.PeriodIndex(values.astype("period[M]")).asi8.astype(float)
    ordinals[pd.isna(values).to_numpy()] = np.nan
    return ordinals - months[0].ordinal


def scatter(shape: tuple[int, int], rows: np.ndarray, cols: np.ndarray, values: np.ndarray,
            how: str = "sum") -> np.ndarray:
    """Aggregate long values into a dense array; cells with no value stay NaN."""
    out = np.zeros(shape)
    seen = np.zeros(shape, dtype=bool)
    cols = np.nan_to_num(np.asarray(cols, dtype=float), nan=-1.0)
    ok = (rows >= 0) & (cols >= 0) & (cols < shape[1]) & ~np.isnan(values)
    rows, cols, values = rows[ok], cols[ok].astype(int), values[ok]
    if how == "sum":
        np.add.at(out, (rows, cols), values)
    elif how == "max":
        out[:] = -np.inf
        np.maximum.at(out, (rows, cols), values)
    elif how == "min":
        out[:] = np.inf
        np.minimum.at(out, (rows, cols), values)
    seen[rows, cols] = True
    return np.where(seen, out, np.nan)


def variety_keys(panel: Panel) -> pd.DataFrame:
    cols = ["variety_id", "generic_name", "dosage_form", "therapeutic_class", "on_shortage_list",
            "on_key_monitoring_list", "essential", "vbp_batch"]
    return panel["varieties"][cols].sort_values("variety_id", kind="stable").reset_index(drop=True)


def pair_keys(panel: Panel) -> pd.DataFrame:
    """Every (enterprise, variety) pair that appears in reports or suspensions, sorted."""
    frames = [panel[t][["enterprise_id", "variety_id"]] for t in ("monthly_reports", "suspensions") if t in panel]
    if not frames:
        return pd.DataFrame({"enterprise_id": pd.Series(dtype="string[pyarrow]"),
                             "variety_id": pd.Series(dtype="string[pyarrow]")})
    keys = pd.concat(frames).drop_duplicates()
    return keys.sort_values(["variety_id", "enterprise_id"], kind="stable").reset_index(drop=True)


def _row_index(keys: pd.DataFrame, frame: pd.DataFrame, on: list[str]) -> np.ndarray:
    lookup = pd.MultiIndex.from_frame(keys[on].astype(str))
    return lookup.get_indexer(pd.MultiIndex.from_frame(frame[on].astype(str)))


def _mask_doubtful(raw: dict[str, np.ndarray], reported: np.ndarray) -> np.ndarray:
    """Blank figures the audit finds implausible at ``blank_severity`` or worse (kept in the panel, never used
    as true); return [P, T] 1 where a reported row had one, 0 where it had none, NaN where nothing was reported."""
    cfg = audit_config().implausible_value
    levels = implausible_levels(raw, cfg)
    doubtful = np.zeros(reported.shape, bool)
    for column, level in levels.items():
        high = level >= LEVELS[cfg.blank_severity]
        raw[column] = np.where(high, np.nan, raw[column])
        doubtful |= high
    return np.where(np.isnan(reported), np.nan, doubtful.astype(float))


def pair_block(panel: Panel, months: pd.PeriodIndex, cfg: FeatureConfig) -> Block:
    """Monthly report columns per pair, gaps carried forward up to the configured months.

    Only reports filed by their deadline count (a late one is not known at the end of its month), and
    figures the audit finds implausible are blanked (``doubtful`` marks the rows that had one).
    """
    block = Block(keys=pair_keys(panel), months=months)
    reports = panel.get("monthly_reports")
    if reports is None or not len(block.keys):
        return block
    reports = on_time(reports, audit_config())
    rows = _row_index(block.keys, reports, ["enterprise_id", "variety_id"])
    cols = month_pos(months, reports["month"])
    block.arrays["reported"] = scatter(block.shape, rows, cols, np.ones(len(reports)))
    raw = {c: scatter(block.shape, rows, cols, reports[c].to_numpy(dtype=float)) for c in REPORT_COLUMNS}
    block.arrays["doubtful"] = _mask_doubtful(raw, block.arrays["reported"])
    for column in REPORT_COLUMNS:
        block.arrays[f"{column}_raw"] = raw[column]
        block.arrays[column] = ffill(raw[column], cfg.carry_forward_months)
    return block


def variety_rows(varieties: pd.DataFrame, pair_keys_: pd.DataFrame) -> np.ndarray:
    """Row of each pair's variety in the variety block."""
    return _row_index(varieties, pair_keys_, ["variety_id"])


def to_variety(pairs: Block, values: np.ndarray, n_varieties: int, rows: np.ndarray, how: str = "sum") -> np.ndarray:
    """Aggregate a pair array to varieties (NaN where no pair of the variety has a value)."""
    n, t = values.shape
    r = np.repeat(rows, t)
    c = np.tile(np.arange(t), n)
    return scatter((n_varieties, t), r, c, values.ravel(), how)
