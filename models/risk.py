"""A calibrated LightGBM risk model: fit on pooled history, calibrate on the latest time slice."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.frozen import FrozenEstimator

from shortage_radar.models.settings import ModelConfig

if TYPE_CHECKING:
    from shortage_radar.models.blend import Blend
    from shortage_radar.models.curve import Curve
    from shortage_radar.models.policy import WarningPolicy

KEYS = ("entity", "variety_id", "enterprise_id", "month", "label", "ongoing", "censored")
LABEL_PREFIXES = ("label_", "censored_")  # labels at the risk curve's other horizons: never features


@dataclass
class RiskModel:
    """A fitted classifier, its calibrator, and the feature columns it expects (in order).

    ``blend``, ``curve`` and ``policy`` are set by the guarded fit (models/guard.py): the blend with
    the best simple baseline, the risk curve's calibration, and the warning policy fitted on the
    training window; a plain fit leaves them empty (model risk, constant-hazard curve, configured levels).
    """

    features: list[str]
    booster: lgb.LGBMClassifier | None
    calibrated: CalibratedClassifierCV | None
    base_rate: float
    blend: Blend | None = None
    curve: Curve | None = None
    policy: WarningPolicy | None = None

    def predict(self, frame: pd.DataFrame) -> np.ndarray:
        """Calibrated probability of an onset within the horizon (the blend's, when there is one)."""
        model = self.model_risk(frame)
        return model if self.blend is None else self.blend.risk(model, frame)

    def risk_curve(self, frame: pd.DataFrame, horizon: int) -> dict[int, np.ndarray]:
        """Probability of an onset within 1, 2, 3, 6 and ``horizon`` months, non-decreasing in the horizon."""
        from shortage_radar.models.curve import HORIZONS, constant_hazard

        horizons = tuple(sorted({*HORIZONS, horizon}))
        model = self.model_risk(frame)
        risk = model if self.blend is None else self.blend.risk(model, frame)
        if self.curve is None or self.blend is None:
            return constant_hazard(risk, horizon, horizons)
        return self.curve.apply(self.blend.score(model, frame), risk, horizons)

    def model_risk(self, frame: pd.DataFrame) -> np.ndarray:
        """The LightGBM model's own calibrated probability (before any blend)."""
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
    return [c for c in frame.columns if c not in KEYS and not c.startswith(LABEL_PREFIXES)
            and pd.api.types.is_numeric_dtype(frame[c])]


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
