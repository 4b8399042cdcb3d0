"""Rolling-origin accuracy of the candidate forecast models on the demo panel (prints a table).

    python bench/forecast_accuracy.py [--data DIR] [--pairs 200] [--windows 3] [--h 3]

For sales, production and inventory at variety level (all varieties) and pair level (a seeded
sample of pairs), statsforecast's cross_validation refits every model at each origin. MASE is
scaled by each series' in-sample seasonal-naive error before the origin; the table shows each
model's mean MASE relative to SeasonalNaive's, 80%/95% interval coverage and seconds per 1,000
series-fits. The candidates include the mlforecast LightGBM global model as configured in
configs/forecast.yaml (lags, calendar month, per-series standard scaling, conformal intervals),
fitted once per origin over all series of a type.
Targets (issue 4): sales MASE <= 0.9 x SeasonalNaive; 80% coverage in 75-85%.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from statsforecast import StatsForecast

from shortage_radar.contract.panel import read_panel
from shortage_radar.models.forecast_config import forecast_config
from shortage_radar.models.forecasting import make_model
from shortage_radar.models.series import series_as_of

GLOBAL = "MLForecast-LightGBM"  # one global model over all series of a type (per-series scaled)
CANDIDATES = ("SeasonalNaive", "AutoETS", "AutoTheta", "Theta", "DynamicOptimizedTheta", "CrostonSBA", "IMAPA",
              GLOBAL)


def _panel(data: Path | None):
    if data is not None:
        return read_panel(data)
    from shortage_radar.demo import load_demo_config, simulate_panel, write_panel

    folder = Path(tempfile.mkdtemp()) / "demo"
    return read_panel(write_panel(simulate_panel(load_demo_config()), folder))


def _sample(history: pd.DataFrame, pairs: int, seed: int = 0) -> pd.DataFrame:
    ids = history["unique_id"].unique()
    varieties = [i for i in ids if i.startswith("variety|")]
    others = np.array([i for i in ids if not i.startswith("variety|")])
    chosen = np.random.default_rng(seed).choice(others, size=min(pairs, len(others)), replace=False)
    return history[history["unique_id"].isin([*varieties, *chosen])]


def _scale(df: pd.DataFrame, cutoffs: pd.DataFrame, season: int) -> pd.DataFrame:
    """Mean absolute seasonal difference of each series before each origin."""
    rows = []
    for (uid, cutoff), _ in cutoffs.groupby(["unique_id", "cutoff"]):
        y = df.loc[(df["unique_id"] == uid) & (df["ds"] <= cutoff), "y"].to_numpy()
        diffs = np.abs(y[season:] - y[:-season]) if len(y) > season else np.abs(np.diff(y))
        rows.append((uid, cutoff, float(diffs.mean()) if len(diffs) else np.nan))
    return pd.DataFrame(rows, columns=["unique_id", "cutoff", "scale"])


def evaluate(df: pd.DataFrame, name: str, h: int, windows: int) -> tuple[pd.DataFrame, float]:
    cfg = forecast_config()
    sf = StatsForecast(models=[make_model(name, cfg, h)], freq="MS", n_jobs=1)
    started = time.perf_counter()
    cv = sf.cross_validation(df=df, h=h, n_windows=windows, step_size=h, level=[80, 95])
    seconds = time.perf_counter() - started
    cv = cv.reset_index() if "unique_id" not in cv.columns else cv
    return cv.rename(columns={name: "mean", f"{name}-lo-80": "lo_80", f"{name}-hi-80": "hi_80",
                              f"{name}-lo-95": "lo_95", f"{name}-hi-95": "hi_95"}), seconds


def evaluate_global(df: pd.DataFrame, h: int, windows: int) -> tuple[pd.DataFrame, float]:
    """The shipped mlforecast LightGBM global model (configs/forecast.yaml `global_model`), conformal intervals."""
    import lightgbm as lgb
    from mlforecast import MLForecast
    from mlforecast.target_transforms import LocalStandardScaler
    from mlforecast.utils import PredictionIntervals

    g = forecast_config().global_model
    fcst = MLForecast(models={"LGBM": lgb.LGBMRegressor(**g.lightgbm)}, freq="MS", lags=list(g.lags),
                      date_features=["month"], target_transforms=[LocalStandardScaler()])
    started = time.perf_counter()
    cv = fcst.cross_validation(df=df, h=h, n_windows=windows, step_size=h, level=[80, 95],
                               prediction_intervals=PredictionIntervals(n_windows=g.conformal_windows, h=h))
    seconds = time.perf_counter() - started
    return cv.rename(columns={"LGBM": "mean", "LGBM-lo-80": "lo_80", "LGBM-hi-80": "hi_80", "LGBM-lo-95": "lo_95",
                              "LGBM-hi-95": "hi_95"}), seconds


def run_candidate(df: pd.DataFrame, name: str, h: int, windows: int) -> tuple[pd.DataFrame, float]:
    """Cross-validated forecasts of one candidate: a statsforecast model, or the mlforecast global model."""
    if name == GLOBAL:
        return evaluate_global(df, h, windows)
    return evaluate(df, name, h, windows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path)
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--windows", type=int, default=3)
    parser.add_argument("--h", type=int, default=3)
    args = parser.parse_args()
    panel = _panel(args.data)
    last = panel["monthly_reports"]["month"].max()
    history, _ = series_as_of(panel, last)
    history = _sample(history, args.pairs)
    season = forecast_config().season_length
    rows = []
    for series, part in history.groupby("series"):
        df = part[["unique_id", "ds", "y"]]
        n_series = df["unique_id"].nunique()
        results = {}
        for name in CANDIDATES:
            cv, seconds = run_candidate(df, name, args.h, args.windows)
            scale = _scale(df, cv[["unique_id", "cutoff"]].drop_duplicates(), season)
            cv = cv.merge(scale, on=["unique_id", "cutoff"])
            err = (cv["y"] - cv["mean"]).abs().groupby([cv["unique_id"], cv["cutoff"]]).mean()
            s = cv.groupby(["unique_id", "cutoff"])["scale"].first()
            mase = (err / s.where(s > 0)).replace([np.inf, -np.inf], np.nan).dropna()
            results[name] = {"mase": float(mase.mean()),
                             "cov80": float(((cv["y"] >= cv["lo_80"]) & (cv["y"] <= cv["hi_80"])).mean()),
                             "cov95": float(((cv["y"] >= cv["lo_95"]) & (cv["y"] <= cv["hi_95"])).mean()),
                             "sec_per_1000": 1000 * seconds / (n_series * args.windows)}
        base = results["SeasonalNaive"]["mase"]
        for name, r in results.items():
            rows.append({"series": series, "model": name, "series_count": n_series, "mase": round(r["mase"], 3),
                         "mase_vs_seasonal_naive": round(r["mase"] / base, 3), "coverage_80": round(r["cov80"], 3),
                         "coverage_95": round(r["cov95"], 3), "sec_per_1000_fits": round(r["sec_per_1000"], 1)})
    table = pd.DataFrame(rows)
    print(f"rolling origin: {args.windows} origins, h={args.h}, last origin {last - args.h}; "
          f"{history['unique_id'].nunique()} series per type (all varieties + {args.pairs} sampled pairs)")
    print(table.to_string(index=False))
    best = table[table["model"] != "SeasonalNaive"].sort_values("mase").groupby("series").first()
    print("\nbest by MASE per series type:")
    print(best[["model", "mase_vs_seasonal_naive", "coverage_80", "sec_per_1000_fits"]].to_string())


if __name__ == "__main__":
    main()
