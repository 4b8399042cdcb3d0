"""A convex blend of the model with the best simple baseline, chosen on the inner validation.

The blend is convex in probability: the model's calibrated risk and the baseline's probability
(its value Platt-scaled on the inner rows), so the model keeps its own calibration. When the model's PR-AUC on
the inner rows is at least the best baseline's, the model is kept alone. Otherwise the model's
weight is the largest on a grid from 1 down to 0 (the baseline alone) whose blend reaches the best
baseline's PR-AUC, over every baseline: as close to the model as the guarantee allows (on a
regime change the inner months under-rate the model, so the smallest departure from it is kept).
So on the inner validation the engine ranks at least as well as the best baseline.

Ranking and warning can disagree: a model starved of months can edge the best baseline's PR-AUC with a
coarse ranking whose top rows have no lift, so the warning policy opens no level. Then, among the
blends with the best baseline that keep the guarantee (:func:`guaranteed_blends`, model-heavy first),
the guarded fit takes the first whose top rows open one (models/guard.py).

When nothing ranks above chance on the inner rows (neither the model nor any baseline: see
:func:`above_chance`), the inner PR-AUCs are noise and choosing among them is choosing noise; the
engine then ranks by the configured prior, ``fallback_baseline`` (winner ``fallback``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from scipy.optimize import brentq
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score

from shortage_radar.models.baselines import baseline_score, blend_scale, present
from shortage_radar.models.settings import BaselineSpec, ModelConfig

EPS = 1e-6
TIE = 1e-9
INTERCEPT_BRACKET = 50.0


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=float), EPS, 1 - EPS)
    return np.log(p / (1 - p))


@dataclass(frozen=True)
class Blend:
    """weight x the model's probability + (1 - weight) x the baseline's probability (Platt on the inner rows)."""

    weight: float
    baseline: BaselineSpec | None
    base_platt: tuple[float, float] | None = None
    inner: dict = field(default_factory=dict)

    def risk(self, model_risk: np.ndarray, rows: pd.DataFrame) -> np.ndarray:
        """The model's risk when it is alone, else the convex blend of the two probabilities."""
        model_risk = np.asarray(model_risk, dtype=float)
        if self.baseline is None or self.base_platt is None or self.weight >= 1.0:
            return model_risk
        return self.weight * model_risk + (1.0 - self.weight) * _sigmoid(blend_scale(rows, self.baseline),
                                                                         self.base_platt)

    def score(self, model_risk: np.ndarray, rows: pd.DataFrame) -> np.ndarray:
        """The blended risk as a logit (the risk curve's input)."""
        return logit(self.risk(model_risk, rows))


def _sigmoid(x: np.ndarray, platt: tuple[float, float]) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(platt[0] * x + platt[1])))


def _pr_auc(y: np.ndarray, s: np.ndarray) -> float:
    return float(average_precision_score(y, s)) if 0 < y.sum() < len(y) else 0.0


def monotone_platt(s: np.ndarray, y: np.ndarray, min_slope: float) -> tuple[float, float]:
    """Platt scaling that keeps the score's order (a baseline's known direction, the model's order at
    another horizon): where the rows say it goes the wrong way (noise), the slope is floored at
    ``min_slope`` and the intercept refitted, so the probabilities sit near the base rate, in order."""
    fit = LogisticRegression(C=1e4).fit(s.reshape(-1, 1), y)
    slope, intercept = float(fit.coef_[0, 0]), float(fit.intercept_[0])
    if slope >= min_slope:
        return slope, intercept
    z, rate = min_slope * s, float(np.mean(y))
    bound = INTERCEPT_BRACKET + float(np.abs(z).max())  # the mean probability crosses the rate inside it
    return min_slope, float(brentq(lambda b: float(np.mean(_sigmoid(z, (1.0, b)))) - rate, -bound, bound))


def _candidates(p: np.ndarray, rows: pd.DataFrame, y: np.ndarray, cfg: ModelConfig) -> list[tuple[float, float, Blend]]:
    """(weight, PR-AUC, blend) for every baseline and every model weight below 1."""
    out = []
    for spec in present(rows, cfg.baselines):
        raw = blend_scale(rows, spec)
        if np.ptp(raw) == 0:
            continue
        platt = monotone_platt(raw, y, cfg.platt_min_slope)
        b = _sigmoid(raw, platt)
        for w in np.linspace(1.0, 0.0, cfg.blend_steps)[1:]:
            out.append((float(w), _pr_auc(y, w * p + (1 - w) * b), Blend(float(w), spec, platt)))
    return out


def _pick(model_value: float, target: float | None, candidates: list[tuple[float, float, Blend]],
          alone: Blend) -> tuple[Blend, float]:
    """The model alone when it reaches ``target``; else the most model-heavy blend that does; else the best."""
    if target is None or model_value >= target - TIE or not candidates:
        return alone, model_value
    reaching = [c for c in candidates if c[1] >= target - TIE]
    w, value, blend = max(reaching, key=lambda c: (c[0], c[1])) if reaching else max(candidates, key=lambda c: c[1])
    return (blend, value) if value > model_value + TIE else (alone, model_value)


def guaranteed_blends(rows: pd.DataFrame, model_risk: np.ndarray, chosen: Blend, cfg: ModelConfig) -> list[Blend]:
    """The blends of the model with the inner rows' best baseline (by PR-AUC) that rank them at least as
    well as it, from the most model-heavy to the baseline alone (none when ``chosen`` is the fallback)."""
    best = chosen.inner.get("best_baseline")
    spec = next((s for s in present(rows, cfg.baselines) if s.name == best), None)
    if spec is None or chosen.inner.get("winner") == "fallback" or np.ptp(blend_scale(rows, spec)) == 0:
        return []
    y, p = rows["label"].to_numpy(dtype=int), np.asarray(model_risk, dtype=float)
    target = chosen.inner[f"baseline_{best}"]
    out = []
    for w, value, blend in _candidates(p, rows, y, cfg.model_copy(update={"baselines": (spec,)})):
        if value >= target - TIE and w < chosen.weight:
            out.append(replace(blend, inner={**chosen.inner, "chosen": value, "weight": w,
                                             "winner": best if w == 0 else "blend", "blended_with": best,
                                             "margin": value - target}))
    return out


def clusters(rows: pd.DataFrame) -> pd.Series:
    """What the signal test resamples whole: varieties (an onset labels up to ``horizon`` consecutive
    months of one variety, and varieties keep their risk from month to month), else months."""
    return rows["variety_id"] if "variety_id" in rows else rows["month"]


def above_chance(y: np.ndarray, score: np.ndarray, groups_of: pd.Series, cfg: ModelConfig) -> bool:
    """Whether ``score`` ranks above chance: the one-sided ``signal_quantile`` bound of PR-AUC minus
    prevalence, resampling whole groups (:func:`clusters`) ``signal_draws`` times (seeded), is above 0."""
    codes = pd.factorize(groups_of)[0]
    groups = np.split(np.argsort(codes, kind="stable"), np.cumsum(np.bincount(codes))[:-1]) if len(codes) else []
    rng = np.random.default_rng(cfg.seed)
    gains = []
    for _ in range(cfg.signal_draws if groups else 0):
        idx = np.concatenate([groups[i] for i in rng.integers(0, len(groups), len(groups))])
        if 0 < y[idx].sum() < len(idx):
            gains.append(average_precision_score(y[idx], score[idx]) - y[idx].mean())
    return bool(gains) and float(np.quantile(gains, cfg.signal_quantile)) > 0.0


def _no_signal(rows: pd.DataFrame, y: np.ndarray, models: list[np.ndarray], cfg: ModelConfig) -> bool:
    """Neither any model tried nor any baseline ranks the inner rows above chance, each judged at
    ``signal_quantile`` / the number judged (Bonferroni: looking at many noise scores finds a lucky one)."""
    scores = models + [baseline_score(rows, spec) for spec in present(rows, cfg.baselines)]
    strict = cfg.model_copy(update={"signal_quantile": cfg.signal_quantile / len(scores)})
    return not any(above_chance(y, s, clusters(rows), strict) for s in scores)


def _fallback(rows: pd.DataFrame, y: np.ndarray, cfg: ModelConfig) -> Blend | None:
    """The configured prior baseline alone (Platt-scaled on the inner rows), if the rows carry its column."""
    spec = next((s for s in present(rows, cfg.baselines) if s.name == cfg.fallback_baseline), None)
    if spec is None or np.ptp(blend_scale(rows, spec)) == 0:
        return None
    return Blend(0.0, spec, monotone_platt(blend_scale(rows, spec), y, cfg.platt_min_slope))


def choose_blend(rows: pd.DataFrame, model_risk: np.ndarray, cfg: ModelConfig,
                 others: list[np.ndarray] | None = None) -> Blend:
    """The blend on labelled inner rows (``label``) by the rule above, and what each candidate scored.

    ``others``: the inner risks of the other models tried (judged for signal too, so that choosing
    the luckier of two noise models does not count as signal)."""
    y = rows["label"].to_numpy(dtype=int)
    p = np.asarray(model_risk, dtype=float)
    inner = {"model": _pr_auc(y, p), "rows": int(len(y)), "positives": int(y.sum())}
    for spec in present(rows, cfg.baselines):
        inner[f"baseline_{spec.name}"] = _pr_auc(y, baseline_score(rows, spec))
    base_values = {k: v for k, v in inner.items() if k.startswith("baseline_")}
    best_base = max(base_values, key=base_values.get) if base_values else None
    target = base_values[best_base] if best_base else None
    fallback = _fallback(rows, y, cfg) if _no_signal(rows, y, [p, *(others or [])], cfg) else None
    if fallback is not None:
        best, best_value = fallback, base_values[f"baseline_{cfg.fallback_baseline}"]
    else:
        best, best_value = _pick(inner["model"], target, _candidates(p, rows, y, cfg), Blend(1.0, None))
    winner = ("fallback" if fallback is not None else "model" if best.baseline is None
              else best.baseline.name if best.weight == 0 else "blend")
    inner.update(chosen=best_value, weight=best.weight, winner=winner,
                 blended_with=best.baseline.name if best.baseline else None,
                 best_baseline=best_base.removeprefix("baseline_") if best_base else None,
                 margin=best_value - base_values[best_base] if best_base else None)
    return replace(best, inner=inner)
