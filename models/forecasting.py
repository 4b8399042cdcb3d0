"""Forecast sales, production and inventory with statsforecast; derive months of supply.

Each series is routed by its history: all-zero series forecast zero, very short series repeat
their last value, series with many zero months go to an intermittent-demand model (with
conformal intervals, since those models have none), the rest to the model chosen per series
type in ``configs/forecast.yaml``: a statsforecast model, or the mlforecast LightGBM global
model (``global_forecast.py``; series too short for its conformal windows use its fallback).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from statsforecast import StatsForecast
from statsforecast import models as sf_models
from statsforecast.utils import ConformalIntervals

from shortage_radar.contract.panel import Panel
from shortage_radar.models.forecast_config import ForecastConfig, forecast_config
from shortage_radar.models.global_forecast import GLOBAL, forecast_global, min_length
from shortage_radar.models.series import series_as_of

OUTPUT_COLUMNS = ["entity", "variety_id", "enterprise_id", "month", "target_month", "series", "mean", "lo_80",
                  "hi_80", "lo_95", "hi_95", "model"]
NATIVE_INTERVALS = {"SeasonalNaive", "AutoETS", "AutoTheta", "Theta", "DynamicOptimizedTheta", "Naive"}
Z = {80: 1.2815515655446004, 95: 1.959963984540054}


def make_model(name: str, cfg: ForecastConfig, h: int):
    """A statsforecast model; conformal intervals for those without their own."""
    conformal = None if name in NATIVE_INTERVALS else ConformalIntervals(h=h, n_windows=cfg.conformal_windows)
    cls = getattr(sf_models, name)
    if name in {"SeasonalNaive", "AutoETS", "AutoTheta", "Theta", "DynamicOptimizedTheta"}:
        return cls(season_length=cfg.season_length, prediction_intervals=conformal)
    return cls(prediction_intervals=conformal) if conformal is not None else cls()


def route(history: pd.DataFrame, series: str, cfg: ForecastConfig, h: int) -> pd.Series:
    """Model name per unique_id from its length and share of zero months."""
    stats = history.groupby("uid")["y"].agg(n="size", zeros=lambda y: float((y <= 0).mean()))
    need = max(cfg.min_history, (cfg.conformal_windows + 1) * h + 1)
    choice = pd.Series(cfg.models[series], index=stats.index)
    if cfg.models[series] == GLOBAL:
        choice[stats["n"] < min_length(cfg, h)] = cfg.global_model.fallback_model
    choice[stats["zeros"] > cfg.intermittent_zero_share] = cfg.intermittent_model
    choice[stats["n"] < need] = "Naive-short"
    choice[stats["zeros"] >= 1.0] = "Zero"
    return choice


def _simple(history: pd.DataFrame, uids: pd.Index, h: int, levels: tuple[int, ...], zero: bool) -> pd.DataFrame:
    """Last value (or zero) with random-walk intervals from the series' monthly changes."""
    part = history[history["uid"].isin(uids)]
    last = part.groupby("uid").agg(y=("y", "last"), ds=("ds", "last"))
    spread = part.groupby("uid")["y"].apply(lambda y: float(np.nan_to_num(y.diff().std(), nan=0.0)))
    rows = []
    for k in range(1, h + 1):
        mean = 0.0 * last["y"] if zero else last["y"]
        frame = pd.DataFrame({"uid": last.index, "ds": last["ds"] + pd.DateOffset(months=k), "mean": mean.to_numpy()})
        for level in levels:
            width = 0.0 if zero else Z[level] * spread.reindex(last.index).to_numpy() * np.sqrt(k)
            frame[f"lo_{level}"] = frame["mean"] - width
            frame[f"hi_{level}"] = frame["mean"] + width
        rows.append(frame)
    return pd.concat(rows, ignore_index=True).assign(model="Zero" if zero else "Naive-short")


SIMPLE = ("Zero", "Naive-short")  # routed models computed here, without statsforecast


def named(out: pd.DataFrame, name: str, cfg: ForecastConfig) -> pd.DataFrame:
    """statsforecast's output columns in this module's names (uid, ds, mean, lo_/hi_<level>, model)."""
    out = out.reset_index() if "unique_id" not in out.columns else out
    renamed = {name: "mean", **{f"{name}-lo-{lv}": f"lo_{lv}" for lv in cfg.levels},
               **{f"{name}-hi-{lv}": f"hi_{lv}" for lv in cfg.levels}}
    return out.rename(columns={"unique_id": "uid", **renamed}).assign(model=name)


def _statsforecast(history: pd.DataFrame, uids: pd.Index, name: str, cfg: ForecastConfig, h: int) -> pd.DataFrame:
    df = history.loc[history["uid"].isin(uids), ["uid", "ds", "y"]].rename(columns={"uid": "unique_id"})
    sf = StatsForecast(models=[make_model(name, cfg, h)], freq="MS", n_jobs=cfg.n_jobs)
    return named(sf.forecast(df=df, h=h, level=list(cfg.levels)), name, cfg)


def simple_forecasts(history: pd.DataFrame, choice: pd.Series, cfg: ForecastConfig, h: int) -> list[pd.DataFrame]:
    """The Zero and Naive-short forecasts of the series routed to them."""
    return [_simple(history, pd.Index(uids), h, cfg.levels, zero=name == "Zero")
            for name, uids in choice.groupby(choice).groups.items() if name in SIMPLE]


def clipped(parts: list[pd.DataFrame], cfg: ForecastConfig) -> pd.DataFrame:
    """One series type's forecasts, none below zero."""
    out = pd.concat(parts, ignore_index=True)
    value_cols = ["mean", *[f"{s}_{lv}" for lv in cfg.levels for s in ("lo", "hi")]]
    out[value_cols] = out[value_cols].clip(lower=0.0)
    return out


def forecast_series(history: pd.DataFrame, series: str, cfg: ForecastConfig, h: int) -> pd.DataFrame:
    """Forecasts of one series type: uid, ds, mean, lo/hi per level, model."""
    if history.empty:
        return pd.DataFrame(columns=["uid", "ds", "mean", "model"])
    choice = route(history, series, cfg, h)
    parts = simple_forecasts(history, choice, cfg, h)
    for name, uids in choice.groupby(choice).groups.items():
        if name == GLOBAL:
            parts.append(forecast_global(history[history["uid"].isin(pd.Index(uids))], cfg, h))
        elif name not in SIMPLE:
            parts.append(_statsforecast(history, pd.Index(uids), name, cfg, h))
    return clipped(parts, cfg)


def _months_of_supply(frame: pd.DataFrame, levels: tuple[int, ...]) -> pd.DataFrame:
    """Forecast inventory over forecast sales; the interval pairs low stock with high sales and back."""
    keys = ["entity", "variety_id", "enterprise_id", "month", "target_month"]
    inv = frame[frame["series"] == "inventory"].set_index(keys)
    sales = frame[frame["series"] == "sales"].set_index(keys)
    inv, sales = inv.align(sales, join="inner")
    out = pd.DataFrame(index=inv.index)

    def div(a: pd.Series, b: pd.Series) -> pd.Series:
        return a / b.where(b > 0)

    out["mean"] = div(inv["mean"], sales["mean"])
    for lv in levels:
        out[f"lo_{lv}"] = div(inv[f"lo_{lv}"], sales[f"hi_{lv}"])
        out[f"hi_{lv}"] = div(inv[f"hi_{lv}"], sales[f"lo_{lv}"])
    out["model"] = inv["model"] + "/" + sales["model"]
    return out.reset_index().assign(series="months_of_supply")


def forecast_panel(panel: Panel, month: pd.Period, h: int | None = None,
                   cfg: ForecastConfig | None = None) -> pd.DataFrame:
    """Long-format forecasts of every variety and pair series as of ``month`` for t+1..t+h."""
    cfg = cfg or forecast_config()
    h = h or cfg.horizon
    history, ids = series_as_of(panel, month)
    if history.empty:
        return pd.DataFrame(columns=OUTPUT_COLUMNS)
    parts = []
    for series, part in history.groupby("series", sort=True):
        fc = forecast_series(part.assign(uid=part["unique_id"]), str(series), cfg, h)
        parts.append(fc.assign(series=series))
    return assemble(parts, ids, month, cfg)


def assemble(parts: list[pd.DataFrame], ids: pd.DataFrame, month: pd.Period, cfg: ForecastConfig) -> pd.DataFrame:
    """Every series type's forecasts with their ids, months of supply derived, in a fixed order."""
    frame = pd.concat(parts, ignore_index=True).merge(ids, left_on="uid", right_on="unique_id", how="left")
    frame["month"] = str(month)
    frame["target_month"] = pd.to_datetime(frame["ds"]).dt.to_period("M").astype(str)
    frame = pd.concat([frame, _months_of_supply(frame, cfg.levels)], ignore_index=True)
    frame = frame[OUTPUT_COLUMNS].sort_values(["entity", "variety_id", "enterprise_id", "series", "target_month"],
                                              kind="stable")
    return frame.reset_index(drop=True)
