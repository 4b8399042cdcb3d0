"""The mlforecast LightGBM global model: one booster over every series of a type, conformal intervals.

Used for the series types where it measured better than the per-series statistical models
(docs/forecasts.md). Series too short for its conformal windows go to the configured fallback.
"""

from __future__ import annotations

import pandas as pd

from shortage_radar.models.forecast_config import ForecastConfig

GLOBAL = "MLForecast-LightGBM"


def min_length(cfg: ForecastConfig, h: int) -> int:
    """Shortest series the global model takes: its conformal windows, its longest lag, then enough to learn from
    in the earliest window (otherwise that refit may have no row at all)."""
    g = cfg.global_model
    return g.conformal_windows * h + max(g.lags) + g.min_train_months


def forecast_global(df: pd.DataFrame, cfg: ForecastConfig, h: int) -> pd.DataFrame:
    """Forecasts of ``df`` (uid, ds, y) for h months: uid, ds, mean, lo/hi per level, model."""
    import lightgbm as lgb
    from mlforecast import MLForecast
    from mlforecast.target_transforms import LocalStandardScaler
    from mlforecast.utils import PredictionIntervals

    g = cfg.global_model
    fcst = MLForecast(models={"LGBM": lgb.LGBMRegressor(**g.lightgbm)}, freq="MS", lags=list(g.lags),
                      date_features=["month"], target_transforms=[LocalStandardScaler()])
    data = df[["uid", "ds", "y"]].rename(columns={"uid": "unique_id"})
    fcst.fit(data, prediction_intervals=PredictionIntervals(n_windows=g.conformal_windows, h=h))
    out = fcst.predict(h, level=list(cfg.levels))
    renamed = {"LGBM": "mean", **{f"LGBM-lo-{lv}": f"lo_{lv}" for lv in cfg.levels},
               **{f"LGBM-hi-{lv}": f"hi_{lv}" for lv in cfg.levels}}
    return out.rename(columns={"unique_id": "uid", **renamed}).assign(model=GLOBAL)
