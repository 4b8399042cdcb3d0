"""The guarded fit: model, inner validation, blend with the best baseline, risk curve, warning policy.

At every (re)fit, inside the training window only: the latest labelled months (``inner_months``,
at most ``inner_max_share`` of them) are scored by models fitted on the months whose labels were
known before them (rolling origin): the configured one and a simpler one (``simple_lightgbm``); the
better on those rows is the model fitted on the window. On those rows it is compared with the simple baselines
and blended with the best (models/blend.py; when that ranking's top rows open no warning level, the
most model-heavy blend that keeps the guarantee and opens one), the risk curve is calibrated
(models/curve.py) and the warning thresholds are fitted (models/policy_fit.py). Nothing from later
months enters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score

from shortage_radar.models.blend import Blend, choose_blend, guaranteed_blends
from shortage_radar.models.curve import fit_curve
from shortage_radar.models.dataset import local
from shortage_radar.models.policy import WarningPolicy, impact_points, impact_view
from shortage_radar.models.policy_fit import fit_policy
from shortage_radar.models.risk import RiskModel
from shortage_radar.models.settings import ModelConfig

Fit = Callable[[pd.DataFrame, ModelConfig], RiskModel]


def flag(values: pd.Series, missing: bool = True) -> np.ndarray:
    """A boolean column (missing values as ``missing``)."""
    return values.astype("boolean").fillna(missing).to_numpy(dtype=bool)


def eligible_mask(rows: pd.DataFrame) -> np.ndarray:
    """Rows with a known label: not ongoing, not censored."""
    return ~flag(rows["ongoing"], False) & ~flag(rows["censored"]) & rows["label"].notna().to_numpy()


def inner_origin(train: pd.DataFrame, cfg: ModelConfig) -> pd.Period | None:
    """The first month of the inner validation: the latest labelled months of the window."""
    labelled = train[~train["ongoing"].astype(bool) & ~train["censored"].astype("boolean").fillna(True)]
    months = np.sort(local(labelled["month"].unique()))
    n = min(cfg.inner_months, int(cfg.inner_max_share * len(months)))
    return months[-n] if n >= 1 else None


def variants(cfg: ModelConfig) -> dict[str, ModelConfig]:
    """The configured model and, with ``simple_lightgbm``, the simpler one tried beside it."""
    out = {"configured": cfg}
    if cfg.simple_lightgbm:
        out["simple"] = cfg.model_copy(update={"lightgbm": {**cfg.lightgbm, **cfg.simple_lightgbm}})
    return out


def inner_rows(train: pd.DataFrame, cfg: ModelConfig, fit: Fit) -> tuple[pd.DataFrame, dict[str, np.ndarray]] | None:
    """The inner validation rows (all of them, ongoing too) and each model variant's risk on them."""
    origin = inner_origin(train, cfg)
    if origin is None:
        return None
    rows = local(train[train["month"] >= origin])
    ok = eligible_mask(rows)
    if rows.loc[ok, "label"].sum() < cfg.min_inner_positives:
        return None
    before = train[train["month"] <= origin - cfg.horizon]
    return rows, {name: np.clip(fit(before, c).predict(rows), 0.0, 1.0) for name, c in variants(cfg).items()}


def _variant(rows: pd.DataFrame, risks: dict[str, np.ndarray], ok: np.ndarray) -> tuple[str, dict[str, float]]:
    """The variant that ranks the labelled inner rows best (PR-AUC; ties to the first, the configured one)."""
    y = rows.loc[ok, "label"].to_numpy(dtype=int)
    scores = {name: float(average_precision_score(y, r[ok])) if 0 < y.sum() < len(y) else 0.0
              for name, r in risks.items()}
    best = max(scores, key=lambda name: (scores[name], -list(scores).index(name)))
    return best, scores


def _impact(rows: pd.DataFrame, policy: WarningPolicy) -> np.ndarray:
    return impact_points(impact_view(rows), policy.impact)


def _months(rows: pd.DataFrame) -> str:
    return f"{rows['month'].min()}..{rows['month'].max()}"


def guarded_fit(train: pd.DataFrame, cfg: ModelConfig, policy: WarningPolicy, fit: Fit,
                reference: pd.DataFrame | None = None) -> RiskModel:
    """``fit`` on the window, then blend, curve and policy from its inner validation (``cfg.guard``).

    ``reference``: rows of the months after the window and before the as-of month (features known,
    labels not yet): the fitted engine's risk there turns the policy's shares into thresholds.
    """
    if not cfg.guard:
        return fit(train, cfg)
    reference = local(reference) if reference is not None else None
    inner = inner_rows(train, cfg, fit)
    if inner is None:
        return _budget_only(fit(train, cfg), train, cfg, policy, reference)
    rows, risks = inner
    ok = eligible_mask(rows)
    chosen, scores = _variant(rows, risks, ok)
    model, model_risk = fit(train, variants(cfg)[chosen]), risks[chosen]
    blend = choose_blend(rows[ok], model_risk[ok], cfg, [r[ok] for name, r in risks.items() if name != chosen])
    blend = replace(blend, inner={**blend.inner, "variant": chosen,
                                  **{f"variant_{name}": value for name, value in scores.items()}})
    label = rows["label"].fillna(0).to_numpy(dtype=int)
    blend = _blend_that_warns(blend, rows, ok, model_risk, label, cfg, policy)
    score, risk = blend.score(model_risk, rows), blend.risk(model_risk, rows)
    curve = fit_curve(rows, score, cfg)
    basis = (f"inner validation {_months(rows)}: {int(ok.sum())} labelled rows, "
             f"{int(label[ok].sum())} onsets")
    engine = replace(model, blend=blend, curve=curve)
    risk = warnable_risk(risk, rows)
    ref_risk = _reference_risk(engine, reference)
    if ref_risk is not None:
        basis += f"; thresholds on {_months(reference)}"
    fitted = fit_policy(policy, risk, _impact(rows, policy), label, ok, basis, ref_risk)
    return replace(engine, policy=fitted)


def _opens_warnings(risk: np.ndarray, rows: pd.DataFrame, ok: np.ndarray, label: np.ndarray,
                    policy: WarningPolicy) -> bool:
    """Whether the policy fitted on these inner risks opens a level 1-3 (always, for configured levels)."""
    if policy.fit is None or policy.fit.mode != "fitted":
        return True
    fitted = fit_policy(policy, warnable_risk(risk, rows), _impact(rows, policy), label, ok, "check")
    return any(rule.active and 1 <= rule.level <= 3 for rule in fitted.levels)


def _blend_that_warns(blend: Blend, rows: pd.DataFrame, ok: np.ndarray, model_risk: np.ndarray, label: np.ndarray,
                      cfg: ModelConfig, policy: WarningPolicy) -> Blend:
    """``blend``, unless its inner warnings open no level 1-3 and a blend with the best baseline that keeps
    the ranking guarantee does (models/blend.py): then the most model-heavy such blend, marked ``for_warnings``."""
    if _opens_warnings(blend.risk(model_risk, rows), rows, ok, label, policy):
        return blend
    for other in guaranteed_blends(rows[ok], model_risk[ok], blend, cfg):
        if _opens_warnings(other.risk(model_risk, rows), rows, ok, label, policy):
            return replace(other, inner={**other.inner, "for_warnings": True,
                                         "ranking_choice_weight": blend.weight})
    return blend


def fit_as_of(table: pd.DataFrame, t: pd.Period, cfg: ModelConfig, policy: WarningPolicy, fit: Fit,
              unseen: pd.PeriodIndex | None = None) -> RiskModel:
    """The guarded fit as of month t: rows whose labels were known (month <= t - horizon) train; the
    months after them up to t itself (features known at t, labels not yet), except months no source
    observed (``unseen``: a collection gap and its warm-up), are the policy's reference rows."""
    last = t - cfg.horizon
    months = [m for m in pd.period_range(last + 1, t, freq="M") if unseen is None or m not in set(unseen)]
    return guarded_fit(table[table["month"] <= last], cfg, policy, fit, table[table["month"].isin(months)])


def warnable_risk(risk: np.ndarray, rows: pd.DataFrame) -> np.ndarray:
    """The risk where a row may be warned at level 1-3, -inf where it is already in shortage
    (models/policy.py :func:`onset_levels`): such rows count in the budgets' denominators, not in the warnings."""
    ongoing = flag(rows["ongoing"], False) if "ongoing" in rows else np.zeros(len(rows), bool)
    return np.where(ongoing, -np.inf, np.asarray(risk, dtype=float))


def _reference_risk(model: RiskModel, reference: pd.DataFrame | None) -> np.ndarray | None:
    if reference is None or not len(reference):
        return None
    return warnable_risk(np.clip(model.predict(reference), 0.0, 1.0), reference)


def _budget_only(model: RiskModel, train: pd.DataFrame, cfg: ModelConfig, policy: WarningPolicy,
                 reference: pd.DataFrame | None) -> RiskModel:
    """Too few labelled months or onsets to validate: thresholds from the budgets on the latest rows."""
    months = np.sort(local(train["month"].unique()))
    if reference is not None and len(reference):
        recent = reference
    elif len(months):
        recent = local(train[train["month"] >= months[-min(cfg.inner_months, len(months))]])
    else:
        return model
    risk = warnable_risk(np.clip(model.predict(recent), 0.0, 1.0), recent)
    basis = f"budgets only (no inner validation), thresholds on {_months(recent)}"
    fitted = fit_policy(policy, risk, _impact(recent, policy), None, np.zeros(len(recent), bool), basis)
    return replace(model, policy=fitted)


def guard_summary(model: RiskModel) -> dict:
    """What the guarded fit chose: the blend and its inner-validation PR-AUCs, the fitted warning policy."""
    return {"blend": dict(model.blend.inner) if model.blend is not None else None,
            "policy": model.policy.summary() if model.policy is not None else None}


def mlflow_record(model: RiskModel, prefix: str) -> tuple[dict[str, str], dict[str, float]]:
    """MLflow params (choices, thresholds) and metrics (inner PR-AUCs) of a guarded model."""
    params: dict[str, str] = {}
    metrics: dict[str, float] = {}
    if model.blend is not None:
        inner = model.blend.inner
        params |= {f"{prefix}blend_{k}": str(inner.get(k)) for k in ("winner", "weight", "blended_with",
                                                                      "best_baseline", "variant")}
        params[f"{prefix}blend_for_warnings"] = str(bool(inner.get("for_warnings")))
        metrics |= {f"{prefix}inner_{k}_pr_auc": float(v) for k, v in inner.items()
                    if (k in ("model", "chosen") or k.startswith(("baseline_", "variant_"))) and v is not None}
        if inner.get("margin") is not None:
            metrics[f"{prefix}inner_margin_over_best_baseline"] = float(inner["margin"])
    if model.policy is not None:
        params[f"{prefix}policy_fitted_on"] = str(model.policy.fitted_on or "configured")[:500]
        for rule in model.policy.levels:
            params[f"{prefix}policy_level{rule.level}_min_risk"] = str(rule.min_risk if rule.active else "off")
            params[f"{prefix}policy_level{rule.level}_min_impact"] = str(rule.min_impact)
    return params, metrics
