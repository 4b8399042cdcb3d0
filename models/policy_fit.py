"""Fit the warning policy's risk thresholds to a deployment: budgets and minimum lifts -> thresholds.

For each level, from its budget down in steps of ``share_step``: the threshold that puts at most
that share of the inner validation's rows at or above it (ties are never split, so the share is
never exceeded); the first share whose warnings (rows at or above it with the level's impact) had
at least ``min_lift`` times the base rate, with confidence (the Wilson lower bound of their
precision at ``confidence_z`` standard errors), wins: a handful of lucky rows does not open a
level. No share qualifies: the level is off. The level's risk threshold is then the one that puts
that share of the *reference* rows at or above it: the fitted engine's risk on the months after
the training window up to the as-of month (features known, labels not yet), so the budget holds
for the model that will score, whatever its calibration. Thresholds are finally made
non-decreasing with severity. Without labelled inner rows only the budgets apply.
"""

from __future__ import annotations

import numpy as np

from shortage_radar.models.policy import LevelRule, LevelTarget, PolicyFit, WarningPolicy

DIGITS = 6


def threshold_at(risk: np.ndarray, share: float) -> float | None:
    """The lowest threshold with at most ``share`` of ``risk`` at or above it (None: not even one row).

    Rows at -inf (never to be warned) count in the share's denominator only.
    """
    ordered = np.sort(np.asarray(risk, dtype=float))[::-1]
    k = min(int(np.floor(share * len(ordered) + 1e-9)), int(np.isfinite(ordered).sum()))
    if k < 1:
        return None
    t = ordered[k - 1]
    if (ordered >= t).sum() > k:
        higher = ordered[ordered > t]
        if not len(higher):
            return None
        t = higher.min()
    return float(t)


def precision_lower(hits: int, n: int, z: float) -> float:
    """Wilson score lower bound of a precision of ``hits`` in ``n`` (one-sided, ``z`` standard errors)."""
    if n == 0:
        return 0.0
    p = hits / n
    centre = p + z * z / (2 * n)
    margin = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return float((centre - margin) / (1 + z * z / n))


def _off(target: LevelTarget) -> LevelRule:
    return LevelRule(level=target.level, min_risk=1.0, min_impact=target.min_impact, active=False, share=0.0)


def _rule(target: LevelTarget, share: float, reference: np.ndarray, lift: float | None) -> LevelRule:
    """The level at ``share`` of the reference rows (off when not even one row)."""
    t = threshold_at(reference, share)
    if t is None:
        return _off(target)
    return LevelRule(level=target.level, min_risk=round(t, DIGITS), min_impact=target.min_impact,
                     share=round(float((reference >= t).mean()), DIGITS),
                     lift=None if lift is None else round(lift, 3))


def _fit_level(target: LevelTarget, risk: np.ndarray, impact: np.ndarray, label: np.ndarray | None,
               eligible: np.ndarray, fit: PolicyFit, reference: np.ndarray) -> LevelRule:
    prevalence = float(label[eligible].mean()) if label is not None and eligible.any() else 0.0
    for share in np.arange(target.budget, 0.0, -fit.share_step):
        t = threshold_at(risk, share)
        if t is None:
            continue
        if label is None:
            return _rule(target, share, reference, None)
        warned = eligible & (risk >= t) & (impact >= target.min_impact)
        if label[warned].sum() < fit.min_hits or prevalence <= 0:
            continue
        lift = float(label[warned].mean()) / prevalence
        lower = precision_lower(int(label[warned].sum()), int(warned.sum()), fit.confidence_z)
        if lower >= target.min_lift * prevalence:
            return _rule(target, share, reference, lift)
    return _off(target)


def _ordered(rules: list[LevelRule]) -> tuple[LevelRule, ...]:
    """A more severe level never has a lower risk threshold than a milder one."""
    out, floor = [], 0.0
    for rule in sorted(rules, key=lambda r: -r.level):
        if rule.active:
            floor = max(floor, rule.min_risk)
            rule = rule.model_copy(update={"min_risk": floor})
        out.append(rule)
    return tuple(sorted(out, key=lambda r: r.level))


def fit_policy(policy: WarningPolicy, risk: np.ndarray, impact: np.ndarray, label: np.ndarray | None,
               eligible: np.ndarray, basis: str, reference: np.ndarray | None = None) -> WarningPolicy:
    """``policy`` with risk thresholds fitted on rows scored out of sample (``label`` None: budgets only).

    ``risk`` and ``impact`` cover every row of the validation months (rows already in shortage at
    -inf: they count in the budgets' denominators but are never warned); ``label`` is read where
    ``eligible``. ``reference``: the scoring model's risk on recent rows, where the chosen shares
    become thresholds (default ``risk``).
    """
    if policy.fit is None:
        return policy
    risk = np.asarray(risk, dtype=float)
    reference = risk if reference is None or not len(reference) else np.asarray(reference, dtype=float)
    rules = [_fit_level(t, risk, np.asarray(impact), label, eligible, policy.fit, reference)
             for t in policy.fit.targets]
    return policy.model_copy(update={"levels": _ordered(rules), "fitted_on": basis})
