"""A calibrated LightGBM risk model: fit on pooled history, calibrate on the latest time slice."""

from __future__ import annotations

from dataclasses import dataclass

import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.frozen import FrozenEstimator

from shortage_radar.models.settings import ModelConfig

KEYS = ("entity", "variety_id", "enterprise_id", "month", "label", "ongoing", "censored")


@dataclass
class RiskModel:
    """A fitted classifier, its calibrator, and the feature columns it expects (in order)."""

    features: list[str]
    booster: lgb.LGBMClassifier | None
    calibrated: CalibratedClassifierCV | None
    base_rate: float

    def predict(self, frame: pd.DataFrame) -> np.ndarray:
        """Calibrated probability of an onset within the horizon."""
        if self.calibrated is None and self.booster is None:
            return np.full(len(frame), self.base_rate)
        x = frame.reindex(columns=self.features).astype(float)
        model = self.calibrated if self.calibrated is not None else self.booster
        return model.predict_proba(x)[:, 1]

    def contributions(self, frame: pd.DataFrame, threads: int = 1) -> np.ndarray:
        """Per-feature contributions to the raw score (LightGBM pred_contrib), [rows, features].

        Row by row, so any thread count gives the same numbers.
        """
        if self.booster is None:
            return np.zeros((len(frame), len(self.features)))
        x = frame.reindex(columns=self.features).astype(float)
        return self.booster.predict(x, pred_contrib=True, num_threads=threads)[:, :-1]


def feature_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c not in KEYS and pd.api.types.is_numeric_dtype(frame[c])]


def _calibration_months(months: np.ndarray, cfg: ModelConfig) -> int:
    """``calibration_months``, but at most ``calibration_max_share`` of a short window (real panels),
    so the booster keeps most of the months."""
    return min(cfg.calibration_months, int(cfg.calibration_max_share * len(months)))


def _split(train: pd.DataFrame, cfg: ModelConfig) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fit on the older months, calibrate on the latest ones (:func:`_calibration_months`).

    With too few months, or fewer than ``min_calibration_positives`` positives to calibrate on
    (Platt scaling on a handful of positives swings wildly), the booster is fitted on all rows and
    its own probabilities are used.
    """
    months = np.sort(train["month"].unique())
    n = _calibration_months(months, cfg)
    if n < 1 or len(months) <= n:
        return train, train.iloc[:0]
    cut = months[-n]
    fit, calib = train[train["month"] < cut], train[train["month"] >= cut]
    if calib["label"].sum() < cfg.min_calibration_positives or fit["label"].nunique() < 2:
        return train, train.iloc[:0]
    return fit, calib


def fit_risk_model(train: pd.DataFrame, cfg: ModelConfig) -> RiskModel:
    """Train on labelled, non-ongoing rows; fall back to the base rate when positives are too few."""
    train = train[~train["ongoing"].astype(bool) & ~train["censored"].astype(bool)]
    features = feature_columns(train)
    y = train["label"].astype(int)
    base = float(y.mean()) if len(y) else 0.0
    if y.sum() < cfg.min_train_positives or y.nunique() < 2:
        return RiskModel(features, None, None, base)
    fit_part, calib_part = _split(train, cfg)
    params = {**cfg.lightgbm, "random_state": cfg.seed}
    booster = lgb.LGBMClassifier(**params)
    booster.fit(fit_part[features].astype(float), fit_part["label"].astype(int))
    calibrated = None
    if len(calib_part) and calib_part["label"].nunique() == 2:
        calibrated = CalibratedClassifierCV(FrozenEstimator(booster), method=cfg.calibration_method)
        calibrated.fit(calib_part[features].astype(float), calib_part["label"].astype(int))
    return RiskModel(features, booster, calibrated, base)
