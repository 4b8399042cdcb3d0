"""Optuna studies: LightGBM parameters by cross-validated PR-AUC, then warning thresholds by onset coverage."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import optuna
import pandas as pd

from shortage_radar.models.cv import CvData, out_of_fold, policy_score, ranking_score
from shortage_radar.models.policy import LevelRule, WarningPolicy
from shortage_radar.models.settings import ModelConfig
from shortage_radar.models.tune_settings import Range, TuneConfig

TrialLogger = Callable[[str, int, dict[str, Any], dict[str, float]], None]


@dataclass(frozen=True)
class TuneResult:
    lightgbm: dict[str, Any]
    cv: dict[str, float]
    baseline_cv: dict[str, float]
    policy: WarningPolicy
    policy_cv: dict[str, float]
    baseline_policy_cv: dict[str, float]


def _suggest(trial: optuna.Trial, name: str, r: Range) -> float | int:
    if r.integer:
        return trial.suggest_int(name, int(r.low), int(r.high), step=int(r.step or 1), log=r.log)
    return trial.suggest_float(name, r.low, r.high, log=r.log, step=r.step)


def _sampler(tcfg: TuneConfig) -> optuna.samplers.TPESampler:
    return optuna.samplers.TPESampler(seed=tcfg.seed)


def tune_lightgbm(data: CvData, cfg: ModelConfig, tcfg: TuneConfig, trials: int,
                  log: TrialLogger) -> tuple[dict[str, Any], dict[str, float], pd.DataFrame]:
    """The LightGBM parameters with the best mean fold PR-AUC; trial 0 is the current config."""
    def objective(trial: optuna.Trial) -> float:
        params = {name: _suggest(trial, name, r) for name, r in tcfg.search.items()}
        scores = ranking_score(out_of_fold(data, cfg.model_copy(update={"lightgbm": {**cfg.lightgbm, **params}})))
        log("lightgbm", trial.number, params, scores)
        trial.set_user_attr("precision_at_10", scores["precision_at_10"])
        return scores["pr_auc"]

    study = optuna.create_study(direction="maximize", sampler=_sampler(tcfg))
    study.enqueue_trial({k: cfg.lightgbm[k] for k in tcfg.search if k in cfg.lightgbm})
    study.optimize(objective, n_trials=trials)
    best = {**cfg.lightgbm, **study.best_params}
    best_cv = {"pr_auc": study.best_value, "precision_at_10": study.best_trial.user_attrs["precision_at_10"]}
    return best, best_cv, out_of_fold(data, cfg.model_copy(update={"lightgbm": best}))


def policy_from(params: dict[str, float], impact: tuple[int, int], base: WarningPolicy) -> WarningPolicy:
    """Four level rules from a yellow threshold and the ratios between levels."""
    yellow = params["min_risk"]
    orange = yellow * params["orange_step"]
    levels = (LevelRule(level=1, min_risk=round(orange * params["red_step"], 4), min_impact=impact[0]),
              LevelRule(level=2, min_risk=round(orange, 4), min_impact=impact[1]),
              LevelRule(level=3, min_risk=round(yellow, 4), min_impact=0),
              LevelRule(level=4, min_risk=round(yellow * params["blue_ratio"], 4), min_impact=0))
    return base.model_copy(update={"levels": levels})


def _outside(value: float, r: Range) -> float:
    return max(0.0, r.low - value) + max(0.0, value - r.high)


def policy_objective(s: dict[str, float], tcfg: TuneConfig) -> float:
    """Coverage plus a little severity precision, minus penalties for breaking the budgets."""
    penalty = (10 * max(0.0, s["warned_share"] - tcfg.max_warned_share)
               + _outside(s["severe_share"], tcfg.severe_share) + _outside(s["red_share"], tcfg.red_share))
    return s["coverage"] + tcfg.severity_weight * s["severe_precision"] - 10 * penalty


def tune_policy(oof: pd.DataFrame, data: CvData, base: WarningPolicy, horizon: int, tcfg: TuneConfig,
                log: TrialLogger) -> tuple[WarningPolicy, dict[str, float]]:
    """Thresholds that warn the most onsets in time within the warning budget."""
    space = tcfg.policy_search

    def objective(trial: optuna.Trial) -> float:
        params = {name: _suggest(trial, name, getattr(space, name))
                  for name in ("min_risk", "blue_ratio", "orange_step", "red_step")}
        impact = (trial.suggest_int("red_impact", 0, space.max_impact),
                  trial.suggest_int("orange_impact", 0, space.max_impact))
        scores = policy_score(oof, data, policy_from(params, impact, base), horizon)
        value = policy_objective(scores, tcfg)
        log("policy", trial.number, {**params, "red_impact": impact[0], "orange_impact": impact[1]},
            {**scores, "objective": value})
        return value

    study = optuna.create_study(direction="maximize", sampler=_sampler(tcfg))
    study.optimize(objective, n_trials=tcfg.policy_trials)
    p = study.best_params
    best = policy_from(p, (p["red_impact"], p["orange_impact"]), base)
    return best, policy_score(oof, data, best, horizon)


def tune(data: CvData, cfg: ModelConfig, policy: WarningPolicy, tcfg: TuneConfig, trials: int,
         log: TrialLogger) -> TuneResult:
    """Both studies in order, with the current configuration's scores for comparison."""
    baseline_oof = out_of_fold(data, cfg)
    lightgbm, cv, oof = tune_lightgbm(data, cfg, tcfg, trials, log)
    best_policy, policy_cv = tune_policy(oof, data, policy, cfg.horizon, tcfg, log)
    return TuneResult(lightgbm, cv, ranking_score(baseline_oof), best_policy, policy_cv,
                      policy_score(baseline_oof, data, policy, cfg.horizon))
