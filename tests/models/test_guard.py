"""The guarded fit: fitted warning thresholds, the blend with the best baseline, the risk curve."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from shortage_radar.models.blend import choose_blend
from shortage_radar.models.curve import HORIZONS, constant_hazard, monotone
from shortage_radar.models.policy import warning_levels, warning_policy
from shortage_radar.models.policy_fit import fit_policy, threshold_at
from shortage_radar.models.settings import model_config


def _scored(rate: float, n: int = 20000, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Labels at ``rate`` and a calibrated-looking, informative risk (ROC-AUC about 0.75)."""
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < rate).astype(int)
    z = rng.normal(size=n) + 0.95 * y
    risk = 1 / (1 + np.exp(-(z + np.log(rate / (1 - rate)) - 0.5)))
    return risk, y


def test_threshold_never_puts_more_than_the_share_above_it_and_never_splits_ties():
    risk = np.array([0.9, 0.5, 0.5, 0.5, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1])
    assert threshold_at(risk, 0.1) == 0.9
    assert threshold_at(risk, 0.3) == 0.9          # 0.5 would take 4 of 10 rows
    assert threshold_at(risk, 0.4) == 0.5
    assert threshold_at(risk, 0.05) is None


@pytest.mark.parametrize("rate", [0.01, 0.15])
def test_fitted_policy_warns_within_budget_and_catches_onsets_at_any_base_rate(rate):
    """The same defaults give bounded, useful level 1-3 warnings at a 1% and a 15% onset rate."""
    policy = warning_policy()
    risk, y = _scored(rate)
    impact = np.zeros(len(y), dtype=int)
    fitted = fit_policy(policy, risk, impact, y, np.ones(len(y), bool), "test")
    budget = {t.level: t.budget for t in policy.fit.targets}
    test_risk, test_y = _scored(rate, seed=1)  # fresh rows from the same deployment
    levels = warning_levels(test_risk, impact, fitted)
    warned = np.isin(levels, (1, 2, 3))
    assert warned.mean() <= budget[3] * 1.15
    assert test_y[warned].mean() >= 1.5 * rate * 0.9   # the lift held out of sample
    assert test_y[warned].sum() >= 0.15 * test_y.sum()  # and the warnings catch onsets
    yellow = next(r for r in fitted.levels if r.level == 3)
    assert yellow.active and yellow.share <= budget[3] and yellow.lift >= 1.5


def test_a_level_whose_warnings_never_reach_its_lift_is_off():
    policy = warning_policy()
    rng = np.random.default_rng(2)
    y = (rng.random(5000) < 0.1).astype(int)
    fitted = fit_policy(policy, rng.random(5000), np.full(5000, 3), y, np.ones(5000, bool), "noise")
    red = next(r for r in fitted.levels if r.level == 1)
    assert not red.active
    assert not (warning_levels(np.ones(3), np.full(3, 3), fitted) == 1).any()


def test_rows_at_minus_infinity_count_in_the_share_but_are_never_above_the_threshold():
    risk = np.array([0.9, 0.8, -np.inf, -np.inf, -np.inf, -np.inf, 0.1, 0.2, 0.3, 0.4])
    assert threshold_at(risk, 0.2) == 0.8
    assert threshold_at(risk, 0.9) == 0.1                 # 6 finite rows: at most all six
    assert threshold_at(np.full(4, -np.inf), 0.5) is None


def test_rows_in_shortage_take_no_place_in_the_budget():
    """The fitted thresholds put the budget's share of all rows on rows not yet in shortage."""
    policy = warning_policy()
    risk, y = _scored(0.05)
    ongoing = np.random.default_rng(4).random(len(y)) < 0.4
    masked = np.where(ongoing, -np.inf, risk)
    fitted = fit_policy(policy, masked, np.zeros(len(y), int), y, ~ongoing, "t")
    levels = warning_levels(risk, np.zeros(len(y), int), fitted)
    warned = np.isin(levels, (1, 2, 3)) & ~ongoing
    budget = {t.level: t.budget for t in policy.fit.targets}
    assert budget[3] * 0.8 <= warned.mean() <= budget[3]


def test_a_model_and_baselines_that_rank_no_better_than_chance_fall_back_to_the_prior_baseline():
    rng = np.random.default_rng(5)
    n = 12000
    rows = pd.DataFrame({"label": (rng.random(n) < 0.04).astype(int), "month": np.arange(n) % 24,
                         "shortages_last_12m": rng.poisson(0.3, n).astype(float),
                         "months_since_shortage": rng.integers(1, 60, n).astype(float)})
    cfg = model_config()
    blend = choose_blend(rows, rng.random(n), cfg)
    assert blend.inner["winner"] == "fallback" and blend.weight == 0.0
    assert blend.baseline.name == cfg.fallback_baseline == "recency"
    risk = blend.risk(rng.random(n), rows)
    order = np.argsort(-risk, kind="stable")
    assert (np.diff(rows["months_since_shortage"].to_numpy()[order]) >= 0).all()  # ranks like recency


def test_thresholds_rise_with_severity():
    risk, y = _scored(0.05)
    fitted = fit_policy(warning_policy(), risk, np.full(len(y), 3), y, np.ones(len(y), bool), "t")
    active = {r.level: r.min_risk for r in fitted.levels if r.active}
    assert list(active.values()) == sorted(active.values(), reverse=True)


def test_blend_falls_back_to_the_baseline_when_the_model_learned_nothing():
    rng = np.random.default_rng(3)
    n = 6000
    history = rng.poisson(0.5, n)
    y = (rng.random(n) < 0.03 + 0.08 * history).astype(int)
    rows = pd.DataFrame({"label": y, "shortages_last_12m": history.astype(float), "month": np.arange(n) % 12})
    blend = choose_blend(rows, rng.uniform(0.05, 0.15, n), model_config())
    assert blend.inner["chosen"] >= blend.inner["baseline_history"] - 1e-12
    assert blend.inner["model"] < blend.inner["baseline_history"]
    assert blend.inner["winner"] in ("history", "blend") and blend.baseline.name == "history"
    risk = blend.risk(rng.uniform(0.05, 0.15, n), rows)
    assert ((risk > 0) & (risk < 1)).all()
    assert abs(risk.mean() - y.mean()) < 0.03


def test_blend_keeps_the_model_alone_when_it_beats_every_baseline():
    risk, y = _scored(0.1, n=5000)
    rows = pd.DataFrame({"label": y, "shortages_last_12m": np.zeros(len(y)), "month": np.arange(len(y)) % 12})
    blend = choose_blend(rows, risk, model_config())
    assert blend.weight == 1.0 and blend.baseline is None and blend.inner["winner"] == "model"
    np.testing.assert_array_equal(blend.risk(risk, rows), risk)


def test_curve_is_monotone_and_keeps_the_model_horizon():
    rng = np.random.default_rng(4)
    curve = {h: rng.random(200) for h in HORIZONS}
    fixed = monotone(curve, 3)
    stacked = np.vstack([fixed[h] for h in HORIZONS])
    assert (np.diff(stacked, axis=0) >= 0).all()
    np.testing.assert_array_equal(fixed[3], curve[3])
    hazard = constant_hazard(np.array([0.0, 0.3, 1.0]), 3, HORIZONS)
    assert np.allclose(hazard[3], [0.0, 0.3, 1.0]) and (hazard[1] <= hazard[2]).all() and (hazard[6] >= hazard[3]).all()


def test_the_cap_demotes_the_lowest_ranked_warnings_beyond_the_share():
    from shortage_radar.models.policy import cap_warnings

    levels = np.array([3, 0, 3, 1, 3, 4, 3, 2, 3, 3])
    rank = np.array([5, 10, 2, 1, 7, 9, 3, 4, 6, 8])
    capped = cap_warnings(levels, rank, 0.3)
    assert np.isin(capped, (1, 2, 3)).sum() == 3
    np.testing.assert_array_equal(np.flatnonzero(np.isin(capped, (1, 2, 3))), [2, 3, 6])  # ranks 1, 2, 3
    assert set(capped[np.isin(levels, (1, 2, 3)) & ~np.isin(capped, (1, 2, 3))]) == {4}
    np.testing.assert_array_equal(cap_warnings(levels, rank, None), levels)


def test_backtest_watchlist_has_a_monotone_risk_curve_and_bounded_warnings(demo_panel):
    """risk_1m <= risk_2m <= risk_3m <= risk_6m on every row, risk == risk_3m; per-horizon metrics."""
    from shortage_radar.models.backtest import run_backtest

    last = demo_panel["monthly_reports"]["month"].max()
    result = run_backtest(demo_panel, last - 5, last - 3, model_config(), warning_policy(), retrain_every=12,
                          drivers=False)
    watch = result.watchlist
    curve = watch[[f"risk_{h}m" for h in HORIZONS]].to_numpy(dtype=float)
    assert (np.diff(curve, axis=1) >= 0).all() and ((curve >= 0) & (curve <= 1)).all()
    np.testing.assert_array_equal(watch["risk"].to_numpy(), watch["risk_3m"].to_numpy())
    cap = warning_policy().fit.max_warned_share
    shares = watch.groupby(["entity", "month"])["warning_level"].apply(lambda s: s.isin([1, 2, 3]).mean())
    assert (shares <= cap + 1e-9).all()
    v = result.metrics["variety"]
    assert v["warned_share_max_month"] == pytest.approx(shares.loc["variety"].max())
    assert v["warned_share_per_month"] <= v["warned_share_max_month"] <= cap + 1e-9
    assert not (watch["ongoing"].astype(bool) & watch["warning_level"].isin([1, 2, 3])).any()
    assert set(result.metrics["variety"]["horizons"]) <= {"1", "2", "3", "6"} and "3" in result.metrics["variety"][
        "horizons"]


def test_noise_opens_no_level_even_when_a_few_rows_look_lucky():
    """Pure noise at a 3% onset rate on 2,300 rows (a small panel's inner validation): no level 1-3 warnings."""
    rng = np.random.default_rng(5)
    y = (rng.random(2300) < 0.03).astype(int)
    fitted = fit_policy(warning_policy(), rng.random(2300), np.zeros(2300, int), y, np.ones(2300, bool), "noise")
    assert not any(r.active for r in fitted.levels if r.level in (1, 2, 3))


def test_the_simpler_model_is_kept_only_when_it_ranks_the_inner_rows_better():
    from shortage_radar.models.guard import _variant, variants

    risk, y = _scored(0.05, n=4000)
    rows = pd.DataFrame({"label": y})
    ok = np.ones(len(y), bool)
    noise = np.random.default_rng(7).random(len(y))
    assert _variant(rows, {"configured": noise, "simple": risk}, ok)[0] == "simple"
    assert _variant(rows, {"configured": risk, "simple": noise}, ok)[0] == "configured"
    assert _variant(rows, {"configured": risk, "simple": risk.copy()}, ok)[0] == "configured"  # ties
    cfg = model_config()
    assert set(variants(cfg)) == {"configured", "simple"}
    assert variants(cfg)["simple"].lightgbm["num_leaves"] == cfg.simple_lightgbm["num_leaves"]
    assert set(variants(cfg.model_copy(update={"simple_lightgbm": {}}))) == {"configured"}


@pytest.mark.parametrize("seed", [0, 3])
def test_the_signal_test_resamples_varieties_so_a_persistent_lucky_score_is_not_signal(seed):
    """A fixed random score per variety, labels whose rate differs by variety: no skill. Resampling months
    calls it signal (persistent varieties look like many independent hits); resampling varieties does not."""
    from shortage_radar.models.blend import above_chance, clusters

    rng = np.random.default_rng(seed)
    n_v, n_m = 120, 24
    rate = rng.beta(0.5, 12, n_v)
    score = np.repeat(rng.random(n_v), n_m)
    rows = pd.DataFrame({"variety_id": np.repeat(np.arange(n_v), n_m), "month": np.tile(np.arange(n_m), n_v),
                         "label": (rng.random(n_v * n_m) < np.repeat(rate, n_m)).astype(int)})
    cfg = model_config()
    y = rows["label"].to_numpy()
    assert above_chance(y, score, rows["month"], cfg)
    assert not above_chance(y, score, clusters(rows), cfg)


def test_a_fallback_baseline_that_goes_the_wrong_way_on_the_inner_rows_keeps_its_order_not_the_reverse():
    """Noise can make recency look inverted on the inner rows; the prior must still rank by recency."""
    rng = np.random.default_rng(2)
    n = 8000
    since = rng.integers(1, 60, n).astype(float)
    y = (rng.random(n) < 0.02 + 0.0004 * since).astype(int)  # more onsets long after the last one: inverted
    rows = pd.DataFrame({"label": y, "variety_id": np.arange(n) % 400, "months_since_shortage": since})
    cfg = model_config()
    blend = choose_blend(rows, rng.random(n), cfg)
    assert blend.inner["winner"] == "fallback" and blend.base_platt[0] == cfg.platt_min_slope
    risk = blend.risk(rng.random(n), rows)
    order = np.argsort(-risk, kind="stable")
    assert (np.diff(since[order]) >= 0).all()  # fewest months since the last onset first, as the prior says
    assert abs(risk.mean() - y.mean()) < 1e-6


def test_a_horizon_whose_inner_labels_go_against_the_score_keeps_the_scores_order():
    """The 1-month risk of a riskier row (by the 3-month score) is never lower, even when noise says so."""
    from shortage_radar.models.curve import censored_column, fit_curve, label_column

    rng = np.random.default_rng(9)
    n = 5000
    score = rng.normal(-2.5, 1.0, n)
    rows = pd.DataFrame({"ongoing": False, label_column(1): (rng.random(n) < 0.03 - 0.01 * np.tanh(score + 2.5))
                         .astype(float), censored_column(1): False})
    curve = fit_curve(rows, score, model_config())
    assert curve.platt[1][0] == model_config().platt_min_slope
    one_month = curve.apply(score, 1 / (1 + np.exp(-score)), (1, 3))[1]
    order = np.argsort(score)
    assert (np.diff(one_month[order]) >= 0).all()


def _starved_model_rows(seed: int = 11) -> tuple[pd.DataFrame, np.ndarray]:
    """Inner rows where a coarse model (three risk values, a third of the rows tied on top) edges the
    history baseline's PR-AUC, but its top rows cannot be told apart, while history's few top rows have lift."""
    rng = np.random.default_rng(seed)
    n = 8000
    history = (rng.random(n) < 0.05).astype(float)
    group = rng.choice(3, n, p=[0.35, 0.35, 0.30])
    rate = np.array([0.02, 0.05, 0.10])[group] + 0.14 * history
    rows = pd.DataFrame({"label": (rng.random(n) < rate).astype(int), "shortages_last_12m": history,
                         "variety_id": np.arange(n) % 500, "month": np.arange(n) // 500, "ongoing": False})
    return rows, np.array([0.03, 0.06, 0.11])[group]


def test_a_coarse_model_that_cannot_warn_is_blended_with_the_baseline_whose_top_rows_can():
    """The first Canadian refit: ranking keeps the model, whose tied top rows open no level; the guard takes
    the most model-heavy blend that keeps the ranking guarantee and opens one."""
    from shortage_radar.models.guard import _blend_that_warns, _opens_warnings

    rows, model_risk = _starved_model_rows()
    cfg, policy = model_config(), warning_policy()
    ok, y = np.ones(len(rows), bool), rows["label"].to_numpy()
    chosen = choose_blend(rows, model_risk, cfg)
    assert chosen.inner["winner"] == "model" and chosen.inner["model"] > chosen.inner["baseline_history"]
    assert not _opens_warnings(model_risk, rows, ok, y, policy)
    blend = _blend_that_warns(chosen, rows, ok, model_risk, y, cfg, policy)
    assert blend.inner["for_warnings"] and 0.0 < blend.weight < 1.0 and blend.baseline.name == "history"
    assert blend.inner["chosen"] >= chosen.inner["baseline_history"] - 1e-12   # the guarantee holds
    assert _opens_warnings(blend.risk(model_risk, rows), rows, ok, y, policy)


def test_a_blend_that_already_warns_or_a_fallback_is_left_as_chosen():
    from shortage_radar.models.guard import _blend_that_warns

    cfg, policy = model_config(), warning_policy()
    risk, y = _scored(0.05, n=6000)
    rows = pd.DataFrame({"label": y, "shortages_last_12m": np.zeros(len(y)), "ongoing": False,
                         "month": np.arange(len(y)) % 12})
    chosen = choose_blend(rows, risk, cfg)
    assert _blend_that_warns(chosen, rows, np.ones(len(y), bool), risk, y, cfg, policy) is chosen
    noise_rows, noise = _starved_model_rows()
    rng = np.random.default_rng(1)
    noise_rows["label"] = (rng.random(len(noise_rows)) < 0.05).astype(int)
    noise_rows["months_since_shortage"] = rng.integers(1, 60, len(noise_rows)).astype(float)
    fallback = choose_blend(noise_rows, noise, cfg)
    assert fallback.inner["winner"] == "fallback"   # nothing learnt: the prior ranks, no blend is searched
    assert _blend_that_warns(fallback, noise_rows, np.ones(len(noise_rows), bool), noise,
                             noise_rows["label"].to_numpy(), cfg, policy) is fallback



def test_configured_levels_leave_the_ranking_choice_alone():
    """With fixed levels the fitted thresholds are not used, so no blend is chosen for warnings."""
    from shortage_radar.models.guard import _blend_that_warns

    rows, model_risk = _starved_model_rows()
    cfg, policy = model_config(), warning_policy()
    fixed = policy.model_copy(update={"fit": policy.fit.model_copy(update={"mode": "fixed"})})
    chosen = choose_blend(rows, model_risk, cfg)
    y = rows["label"].to_numpy()
    assert _blend_that_warns(chosen, rows, np.ones(len(rows), bool), model_risk, y, cfg, fixed) is chosen
