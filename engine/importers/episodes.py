"""Overlapping or adjacent report intervals of one entity -> one episode (no double counting).

A shortage is ongoing while any of its reports is open; a new episode (an onset) starts only after
at least one month with no report open. Merging only what overlaps or touches is point in time:
whether a new report continues an open shortage is known when the report is posted.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shortage_radar.importers.dates import from_ordinals, ordinals


def episodes(frame: pd.DataFrame, keys: list[str], priority: tuple[str, ...]) -> pd.DataFrame:
    """``keys`` + start, end (NaT = open), reason: one row per episode, its first report's reason."""
    if frame.empty:
        return frame.reindex(columns=[*keys, "start", "end", "reason"])
    rank = pd.Series({r: i for i, r in enumerate(priority)})
    f = frame.assign(_s=ordinals(frame["start"]), _e=np.nan_to_num(ordinals(frame["end"]), nan=np.inf),
                     _r=frame["reason"].map(rank).fillna(len(priority)).to_numpy())
    f = f.sort_values([*keys, "_s", "_r"], kind="stable").reset_index(drop=True)
    reach = f.groupby(keys, sort=False)["_e"].cummax()
    before = reach.groupby([f[k] for k in keys], sort=False).shift(1)
    new = before.isna() | (f["_s"] > before + 1)
    f["_episode"] = new.cumsum()
    grouped = f.groupby("_episode", sort=True)
    out = grouped[keys].first()
    out["start"] = from_ordinals(grouped["_s"].min().to_numpy(), out.index)
    out["end"] = from_ordinals(grouped["_e"].max().to_numpy(), out.index)
    out["reason"] = grouped["reason"].first()
    return out.reset_index(drop=True)


def collapse_keys(frame: pd.DataFrame, keys: list[str], priority: tuple[str, ...]) -> pd.DataFrame:
    """Reports with the same key (e.g. several package sizes of one product) -> one row.

    Posted at the earliest posting, expected to end at the latest estimate, ended when the last one
    ended (open if any is open), reason by ``priority``.
    """
    rank = pd.Series({r: i for i, r in enumerate(priority)})
    f = frame.assign(_r=frame["reason"].map(rank).fillna(len(priority)).to_numpy(),
                     _open=frame["actual_end_month"].isna())
    f = f.sort_values([*keys, "_r"], kind="stable")
    g = f.groupby(keys, sort=True)
    out = g.agg(reported_month=("reported_month", "min"), expected_end_month=("expected_end_month", "max"),
                actual_end_month=("actual_end_month", "max"), reason=("reason", "first"), _open=("_open", "any"))
    out["actual_end_month"] = out["actual_end_month"].where(~out.pop("_open"))
    return out.reset_index()
