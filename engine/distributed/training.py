"""Training on the Dask engine: LightGBM on the client, or through ``lightgbm.dask`` once the table is large.

``local`` (and ``auto`` below ``training.dask_min_rows`` rows) computes the training rows to the
client and calls ``fit_risk_model``: the model is the local engine's, bit for bit, so the watchlist
is too. ``dask`` (and ``auto`` above the threshold) fits the booster with
``lightgbm.dask.DaskLGBMClassifier`` on the rows where they are, then calibrates on the latest
months on the client (sampled down to ``training.calibration_max_rows``). The same rules as
``fit_risk_model`` apply: labelled non-ongoing rows, base rate when positives are too few. A
distributed booster is not bit-identical to a local one (the workers' histograms are merged), so
the equivalence test uses local training.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from shortage_radar.distributed.settings import TrainingConfig
from shortage_radar.models.dataset import ModelTables, local
from shortage_radar.models.risk import RiskModel, feature_columns, fit_risk_model
from shortage_radar.models.settings import ModelConfig


def training_mode(tables: ModelTables, tcfg: TrainingConfig, override: str | None = None) -> str:
    """``local`` or ``dask``: as asked, else by the number of model-table rows."""
    mode = override or tcfg.mode
    if mode != "auto":
        return mode
    rows = len(tables.variety) + len(tables.pair)
    return "dask" if rows > tcfg.dask_min_rows else "local"


def fit_local(train, cfg: ModelConfig) -> RiskModel:
    """``fit_risk_model`` on the training rows computed to the client."""
    return fit_risk_model(local(train), cfg)


def _calibration_rows(part, features: list[str], cfg: ModelConfig, tcfg: TrainingConfig) -> pd.DataFrame:
    """The calibration slice on the client, sampled (seeded) when larger than the configured cap."""
    rows = local(part[[*features, "label"]])
    if len(rows) > tcfg.calibration_max_rows:
        rows = rows.sample(n=tcfg.calibration_max_rows, random_state=cfg.seed).sort_index()
    return rows


def fit_dask(train, cfg: ModelConfig, client, tcfg: TrainingConfig) -> RiskModel:
    """A calibrated risk model whose booster is trained by lightgbm.dask on the cluster's rows."""
    import dask
    from lightgbm.dask import DaskLGBMClassifier
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.frozen import FrozenEstimator

    train = train[~train["ongoing"].astype(bool) & ~train["censored"].astype(bool)]
    features = feature_columns(train._meta)
    positives, n, months = dask.compute(train["label"].sum(), train["label"].count(), train["month"].unique())
    base = float(positives) / n if n else 0.0
    if positives < cfg.min_train_positives or positives in (0, n):
        return RiskModel(features, None, None, base)
    months = np.sort(np.asarray(months))
    cut = months[-cfg.calibration_months] if len(months) > cfg.calibration_months else None
    fit_part = train if cut is None else train[train["month"] < cut]
    params = {k: v for k, v in cfg.lightgbm.items() if k != "n_jobs"}  # lightgbm.dask sets threads per worker
    booster = DaskLGBMClassifier(client=client, **params, random_state=cfg.seed)
    booster.fit(fit_part[features].astype(float), fit_part["label"].astype(int))
    booster = booster.to_local()
    calibrated = None
    if cut is not None:
        calib = _calibration_rows(train[train["month"] >= cut], features, cfg, tcfg)
        if calib["label"].nunique() == 2:
            calibrated = CalibratedClassifierCV(FrozenEstimator(booster), method=cfg.calibration_method)
            calibrated.fit(calib[features].astype(float), calib["label"].astype(int))
    return RiskModel(features, booster, calibrated, base)


def fitter(mode: str, client, tcfg: TrainingConfig) -> Callable[[object, ModelConfig], RiskModel]:
    """The ``fit`` that ``train_models`` and ``run_backtest`` call for each model."""
    if mode == "dask":
        return lambda train, cfg: fit_dask(train, cfg, client, tcfg)
    return fit_local
