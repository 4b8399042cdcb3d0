"""Time-series cross-validation: rolling-origin folds whose training rows were known at the origin."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from shortage_radar.contract.panel import Panel
from shortage_radar.features import FeatureSet, as_known_at, build_features
from shortage_radar.features.grid import panel_months
from shortage_radar.models import metrics
from shortage_radar.models.dataset import model_tables
from shortage_radar.models.policy import WarningPolicy, impact_points, warning_levels
from shortage_radar.models.risk import fit_risk_model
from shortage_radar.models.settings import ModelConfig


@dataclass(frozen=True)
class Fold:
    """Train on what was known at ``origin``; score ``months`` (origin .. origin + fold_months - 1)."""

    origin: pd.Period
    months: pd.PeriodIndex
    train: pd.DataFrame
    test: pd.DataFrame


@dataclass(frozen=True)
class CvData:
    folds: tuple[Fold, ...]
    onsets: pd.DataFrame


def fold_origins(months: pd.PeriodIndex, holdout: int, folds: int, fold_months: int) -> list[pd.Period]:
    """The most recent ``folds`` origins whose scored months all end before the holdout."""
    last_scored = months[-1] - holdout
    origins = [last_scored - fold_months * (k + 1) + 1 for k in range(folds)]
    return sorted(o for o in origins if o > months[0])


def cv_data(panel: Panel, cfg: ModelConfig, holdout: int, folds: int, fold_months: int,
            features: FeatureSet | None = None) -> CvData:
    """Training and scoring tables of every fold, built once and reused by all trials."""
    features = features or build_features(panel)
    truth = model_tables(panel, cfg, features).variety
    built = []
    for origin in fold_origins(panel_months(panel), holdout, folds, fold_months):
        known = model_tables(as_known_at(panel, origin), cfg, features).variety
        months = pd.period_range(origin, periods=fold_months, freq="M")
        built.append(Fold(origin, months, known[known["month"] <= origin - cfg.horizon],
                          truth[truth["month"].isin(months)]))
    events = panel.get("shortage_events")
    onsets = events[["variety_id", "start_month"]].astype({"variety_id": str}) if events is not None \
        else pd.DataFrame({"variety_id": pd.Series(dtype=str), "start_month": pd.Series(dtype="period[M]")})
    return CvData(tuple(built), onsets)


def out_of_fold(data: CvData, cfg: ModelConfig) -> pd.DataFrame:
    """Every fold's scored rows with the fold model's risk (all rows, ongoing included)."""
    parts = []
    for fold in data.folds:
        model = fit_risk_model(fold.train, cfg)
        parts.append(fold.test.assign(risk=model.predict(fold.test), fold=str(fold.origin)))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _eligible(oof: pd.DataFrame) -> pd.DataFrame:
    return oof[~oof["ongoing"].astype(bool) & ~oof["censored"].fillna(True).astype(bool) & oof["label"].notna()]


def ranking_score(oof: pd.DataFrame) -> dict[str, float]:
    """Mean over folds of PR-AUC and precision@10 (folds without both classes are skipped)."""
    per_fold = [metrics.ranking_metrics(g, "risk") for _, g in _eligible(oof).groupby("fold")]
    pr = [m["pr_auc"] for m in per_fold if m["pr_auc"] is not None]
    p10 = [m["precision_at_10"] for m in per_fold if m["precision_at_10"] is not None]
    return {"pr_auc": float(np.mean(pr)) if pr else 0.0, "precision_at_10": float(np.mean(p10)) if p10 else 0.0}


def policy_score(oof: pd.DataFrame, data: CvData, policy: WarningPolicy, horizon: int) -> dict[str, float]:
    """Onset coverage, warning load and severity mix of a policy on the out-of-fold scores."""
    levels = warning_levels(oof["risk"].to_numpy(), impact_points(oof, policy.impact), policy)
    watch = pd.DataFrame({"variety_id": oof["variety_id"].astype(str), "month": oof["month"], "warning_level": levels})
    covered, onsets = [], 0
    for fold in data.folds:
        inside = data.onsets[(data.onsets["start_month"] > fold.months[0])
                             & (data.onsets["start_month"] <= fold.months[-1] + 1)]
        result = metrics.onset_warnings(inside, watch[watch["month"].isin(fold.months)], horizon)
        covered.append((result["warned_share"] or 0.0) * result["onsets"])
        onsets += result["onsets"]
    warned = np.isin(levels, metrics.WARNED)
    severe = np.isin(levels, (1, 2))
    eligible = _eligible(oof.assign(level=levels))
    severe_rows = eligible[eligible["level"].isin((1, 2))]
    return {"coverage": float(sum(covered) / onsets) if onsets else 0.0,
            "warned_share": float(pd.Series(warned).groupby(oof["month"].to_numpy()).mean().mean()),
            "severe_share": float(severe.sum() / warned.sum()) if warned.any() else 0.0,
            "red_share": float((levels == 1).sum() / warned.sum()) if warned.any() else 0.0,
            "severe_precision": float(severe_rows["label"].mean()) if len(severe_rows) else 0.0}
