"""Forecasts on Dask: series built per partition of whole varieties, fitted by statsforecast's Fugue backend.

Per partition (the local functions): ``series_as_of`` on the whole panel's month grid, ``route``,
and the Zero / Naive-short forecasts. Every statsforecast model then runs once over a Dask
dataframe of all the series routed to it: ``StatsForecast.forecast(df=<dask frame>)`` hands it to
Fugue, which partitions by series and fits on the workers (the mlforecast global model fits all of
a type's series at once, on the client). Fugue returns float32 values (the local
run keeps float64), so the two engines agree to float32 precision. The client assembles the parts
exactly as ``forecast_panel`` does.
"""

from __future__ import annotations

import warnings

import pandas as pd

from shortage_radar.contract.panel import Panel
from shortage_radar.distributed.groups import group_panels
from shortage_radar.distributed.monthly import grid_span
from shortage_radar.distributed.reader import PartitionedPanel
from shortage_radar.distributed.settings import DaskConfig
from shortage_radar.features.grid import months_of
from shortage_radar.models.forecast_config import ForecastConfig
from shortage_radar.models.forecasting import (
    OUTPUT_COLUMNS,
    SIMPLE,
    assemble,
    clipped,
    make_model,
    named,
    route,
    simple_forecasts,
)
from shortage_radar.models.global_forecast import GLOBAL, forecast_global
from shortage_radar.models.series import series_as_of


HISTORY_META = pd.DataFrame({"unique_id": pd.Series(dtype=object), "ds": pd.Series(dtype="datetime64[ns]"),
                             "y": pd.Series(dtype=float), "series": pd.Series(dtype=object),
                             "model": pd.Series(dtype=object)})


def partition_series(panel: Panel, span, month: pd.Period, h: int, cfg: ForecastConfig) -> dict:
    """A partition's series routed to their model, its Zero/Naive-short forecasts, and its id table."""
    history, ids = series_as_of(panel, month, grid=months_of(span))
    routed, simple = [], []
    for series, part in history.groupby("series", sort=True):
        part = part.assign(uid=part["unique_id"])
        choice = route(part, str(series), cfg, h)
        simple += [f.assign(series=series) for f in simple_forecasts(part, choice, cfg, h)]
        routed.append(part.assign(model=choice.reindex(part["uid"]).to_numpy()))
    fitted = pd.concat(routed, ignore_index=True) if routed else HISTORY_META.assign(uid="")
    fitted = fitted[~fitted["model"].isin(SIMPLE)][list(HISTORY_META.columns)].reset_index(drop=True)
    return {"history": fitted.astype(HISTORY_META.dtypes.to_dict()), "simple": simple, "ids": ids}


def _summary(part: dict) -> tuple:
    """What the client needs of a partition: its ids, its simple forecasts and its (series, model) pairs."""
    combos = sorted(set(zip(part["history"]["series"], part["history"]["model"], strict=True)))
    return part["ids"], part["simple"], combos


def _history(part: dict) -> pd.DataFrame:
    return part["history"]


def _statsforecast(history, series: str, name: str, cfg: ForecastConfig, h: int) -> pd.DataFrame:
    """One model over every series of one type routed to it, through statsforecast's Fugue backend."""
    from statsforecast import StatsForecast

    rows = history[(history["series"] == series) & (history["model"] == name)][["unique_id", "ds", "y"]]
    with warnings.catch_warnings():  # Fugue's groupby-apply on Dask trips a pandas deprecation notice
        warnings.simplefilter("ignore", FutureWarning)
        out = StatsForecast(models=[make_model(name, cfg, h)], freq="MS").forecast(df=rows, h=h,
                                                                                   level=list(cfg.levels))
        frame = out.compute() if hasattr(out, "compute") else out
    values = [c for c in frame.columns if c.startswith(name)]
    frame[values] = frame[values].astype("float64")  # Fugue's schema is float32; the local run writes float64
    return named(frame.reset_index(drop=True), name, cfg)


def _global(history, series: str, cfg: ForecastConfig, h: int) -> pd.DataFrame:
    """The mlforecast global model: one booster over all of a type's series, so they are gathered and
    fitted on the client, as locally (for far more series, mlforecast's DistributedMLForecast: docs/scaling.md)."""
    rows = history[(history["series"] == series) & (history["model"] == GLOBAL)][["unique_id", "ds", "y"]]
    return forecast_global(rows.compute().rename(columns={"unique_id": "uid"}), cfg, h)


def forecast_dask(client, pp: PartitionedPanel, month: pd.Period, h: int, cfg: ForecastConfig,
                  dcfg: DaskConfig) -> pd.DataFrame:
    """The same long-format forecasts as ``forecast_panel``, computed on the cluster."""
    import dask.dataframe as dd
    from dask import delayed

    groups = group_panels(pp, dcfg)
    span = grid_span(pp, month)
    parts = client.compute([delayed(partition_series, pure=True)(panel, span, month, h, cfg)
                            for panel in groups.panels])
    meta = client.gather(client.map(_summary, parts))
    ids = pd.concat([m[0] for m in meta], ignore_index=True)
    if not len(ids):
        return pd.DataFrame(columns=OUTPUT_COLUMNS)
    history = dd.from_delayed(client.map(_history, parts), meta=HISTORY_META, verify_meta=False)
    by_series: dict[str, list[pd.DataFrame]] = {}
    for _, simple, _ in meta:
        for frame in simple:
            by_series.setdefault(str(frame["series"].iloc[0]), []).append(frame.drop(columns=["series"]))
    for series, name in sorted({combo for m in meta for combo in m[2]}):
        fitted = _global(history, series, cfg, h) if name == GLOBAL else _statsforecast(history, series, name, cfg, h)
        by_series.setdefault(series, []).append(fitted)
    out = [clipped(frames, cfg).assign(series=series) for series, frames in sorted(by_series.items())]
    return assemble(out, ids, month, cfg)
