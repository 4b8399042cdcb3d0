"""How high can precision@10 go on the demo panel? Ceilings from perfect and from latent-state rankings.

    python bench/precision_ceiling.py [--seed N] [--start 2023-01] [--end 2025-12]

Same rows as ``shortage backtest --start 2023-01 --end 2025-12`` on the demo panel (variety
months not in a shortage, label = an onset in t+1 .. t+horizon, months whose horizon runs past
the panel left out). Rankings, each scored per month and averaged like the backtest:

- perfect: every positive first (the ceiling set by how few positives a month has);
- public model: LightGBM (the engine's parameters) on bench/demo_difficulty.py's public
  signals, rolling origin like the backtest (refit every ``retrain_every`` months on rows whose
  label was known: month <= t - horizon); a sanity check against the engine's own backtest;
- latent-state model: the same, plus the simulator's main hidden state at the end of t (true
  suspensions and how long they have lasted, producer and channel stock in months of demand,
  API stock and availability, usable capacity, unmet demand now, demand-surge share, the
  anticipated seasonal change): more than any user could know at t;
- latent state + the next 3 months' new shocks (suspensions starting, API shocks, surges):
  what remains is what the future adds, which no model can know at t.

If the latent-state model stays below a target, no model of what is known at t meets it.
"""

from __future__ import annotations

import argparse

import lightgbm as lgb
import numpy as np
import pandas as pd
from demo_difficulty import _grid, labels_and_mask, public_features
from sklearn.metrics import average_precision_score

from shortage_radar.demo import load_demo_config
from shortage_radar.demo.panel import Truth, simulate_with_truth
from shortage_radar.models.settings import model_config

TOP_K = (10, 25)


def _by_variety(world, values: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """[V, T] sum over each variety's producer pairs of [N, T] values (optionally weighted)."""
    values = values if weights is None else values * weights
    out = np.zeros((world.n_varieties, values.shape[1]))
    np.add.at(out, world.pair_variety, values)
    return out


def _ahead(matrix: np.ndarray, k: int) -> np.ndarray:
    """[V, T] matrix shifted k months back: column t holds month t + k (0 past the end)."""
    out = np.zeros_like(matrix)
    out[:, : matrix.shape[1] - k] = matrix[:, k:]
    return out


def _elapsed(stopped: np.ndarray) -> np.ndarray:
    """[N, T] months each pair has been stopped so far (0 while producing)."""
    out = np.zeros(stopped.shape)
    for t in range(stopped.shape[1]):
        out[:, t] = np.where(stopped[:, t], (out[:, t - 1] if t else 0) + 1, 0)
    return out


def latent_state(truth: Truth) -> dict[str, np.ndarray]:
    """[V, T] the simulator's main hidden state at the end of each month (never written to the panel).

    Not every internal variable (channel orders, procurement timers), but the ones that drive onsets.
    """
    w, s, d = truth.world, truth.supply, truth.demand
    orders = _by_variety(w, s.orders)
    demand = np.maximum(d.national, 1e-9)
    stopped = s.stop_code != 0
    weight = truth.plan.weight
    channel_end = s.stock_start + s.shipped - s.dispensed
    channel_months = channel_end / np.maximum(d.province, 1e-9)
    api = truth.api_available[w.variety_api]
    usable = s.capacity * truth.plan.squeeze * ~stopped
    return {
        "stopped_weight": _by_variety(w, stopped.astype(float), weight),
        "stopped_producers": _by_variety(w, stopped.astype(float)),
        "stopped_elapsed_max": _max_by_variety(w, _elapsed(stopped)),
        "producer_stock_months": _by_variety(w, s.inventory) / np.maximum(orders, 1e-9),
        "running_stock_months": _by_variety(w, s.inventory * ~stopped) / np.maximum(orders, 1e-9),
        "usable_capacity_ratio": _by_variety(w, usable) / np.maximum(orders, 1e-9),
        "api_stock_weighted": _by_variety(w, s.api_stock, weight),
        "api_stock_min": _min_by_variety(w, s.api_stock),
        "api_available": api,
        "api_available_change": api - np.concatenate([api[:, :1], api[:, :-1]], axis=1),
        "channel_months_national": channel_end.sum(axis=1) / demand,
        "channel_months_min_province": channel_months.min(axis=1),
        "channel_months_p10_province": np.quantile(channel_months, 0.1, axis=1),
        "unmet_national": truth.unmet.national,
        "unmet_province_max": truth.unmet.province.max(axis=1),
        "surge_share": d.surge_share,
        "squeeze_weighted": _by_variety(w, truth.plan.squeeze, weight),
        "season_ahead": _ahead(d.profile, 3) / np.maximum(d.profile, 1e-9),
    }


def _max_by_variety(world, values: np.ndarray) -> np.ndarray:
    """[V, T] largest of each variety's producer pairs' [N, T] values."""
    out = np.zeros((world.n_varieties, values.shape[1]))
    np.maximum.at(out, world.pair_variety, values)
    return out


def _min_by_variety(world, values: np.ndarray) -> np.ndarray:
    """[V, T] smallest of each variety's producer pairs' [N, T] values."""
    out = np.full((world.n_varieties, values.shape[1]), np.inf)
    np.minimum.at(out, world.pair_variety, values)
    return out


def future_shocks(truth: Truth, horizon: int) -> dict[str, np.ndarray]:
    """[V, T] new shocks in t+1 .. t+horizon: what the future adds (knowable to no model at t)."""
    w, s = truth.world, truth.supply
    stopped = (s.stop_code != 0).astype(float)
    starts = np.clip(np.diff(stopped, axis=1, prepend=0.0), 0, None)
    starts_v = _by_variety(w, starts, truth.plan.weight)
    api = truth.api_available[w.variety_api]
    api_drop = np.clip(np.concatenate([np.zeros((api.shape[0], 1)), -np.diff(api, axis=1)], axis=1), 0, None)
    surge = np.clip(np.diff(truth.demand.surge_share, axis=1, prepend=0.0), 0, None)
    out = {"future_stop_weight": 0, "future_api_drop": 0, "future_surge_rise": 0}
    for k in range(1, horizon + 1):
        out["future_stop_weight"] = out["future_stop_weight"] + _ahead(starts_v, k)
        out["future_api_drop"] = out["future_api_drop"] + _ahead(api_drop, k)
        out["future_surge_rise"] = np.maximum(out["future_surge_rise"], _ahead(surge, k))
    return out


def world_rows(config, horizon: int) -> tuple[pd.DataFrame, dict[str, list[str]], dict[str, int]]:
    """Every labelled variety-month of one simulated world (public signals, latent state, next shocks),
    the feature names of each group, and the world's month indices."""
    tables, truth = simulate_with_truth(config)
    grid = _grid(tables, truth.timeline)
    label, mask, onset = labels_and_mask(tables, grid, horizon)
    groups = {"public": public_features(tables, grid, onset), "latent": latent_state(truth),
              "future": future_shocks(truth, horizon)}
    frame = _frame({k: v for group in groups.values() for k, v in group.items()}, label, mask)
    return frame, {name: list(group) for name, group in groups.items()}, grid.months


def _frame(features: dict[str, np.ndarray], label: np.ndarray, mask: np.ndarray) -> pd.DataFrame:
    """Eligible variety-months as rows: month index, label and the given [V, T] features."""
    v, t = np.nonzero(mask)
    frame = pd.DataFrame({name: np.asarray(m, dtype=float)[v, t] for name, m in features.items()})
    return frame.assign(month=t, label=label[v, t].astype(int))


def rolling_scores(frame: pd.DataFrame, columns: list[str], test: range, horizon: int, every: int,
                   extra: pd.DataFrame | None = None, overrides: dict | None = None) -> np.ndarray:
    """Scores of the test months, refit every ``every`` months on rows with month <= t - horizon
    (plus ``extra``: every row of other simulated worlds, which lifts the limit of a small panel)."""
    cfg = model_config()
    params = {**cfg.lightgbm, "random_state": cfg.seed, **(overrides or {})}
    scores = np.full(len(frame), np.nan)
    for first in test[::every]:
        train = pd.concat([frame[frame["month"] <= first - horizon], extra])
        model = lgb.LGBMClassifier(**params).fit(train[columns], train["label"])
        rows = (frame["month"] >= first) & (frame["month"] < first + every) & (frame["month"] <= test[-1])
        scores[rows.to_numpy()] = model.predict_proba(frame.loc[rows, columns])[:, 1]
    return scores


def precision_at(frame: pd.DataFrame, score: np.ndarray, k: int) -> float:
    """Mean over months (with at least k rows) of the positives' share among the k highest scores."""
    scored = frame.assign(score=score)
    return float(np.mean([g.nlargest(k, "score")["label"].mean()
                          for _, g in scored.groupby("month") if len(g) >= k]))


def summary(frame: pd.DataFrame, score: np.ndarray) -> dict[str, float]:
    """PR-AUC and precision@k of one ranking of the held-out rows."""
    out = {"pr_auc": float(average_precision_score(frame["label"], score))}
    out.update({f"p_at_{k}": precision_at(frame, score, k) for k in TOP_K})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, help="simulator seed (default: configs/demo.yaml)")
    parser.add_argument("--start", default="2023-01")
    parser.add_argument("--end", default="2025-12")
    parser.add_argument("--train-seeds", type=int, nargs="*", default=[],
                        help="other seeds whose whole simulated panels are added to every training set")
    parser.add_argument("--trees", type=int, help="LightGBM n_estimators instead of configs/model.yaml's")
    parser.add_argument("--learning-rate", type=float, help="LightGBM learning_rate instead of the config's")
    args = parser.parse_args()
    config = load_demo_config()
    if args.seed is not None:
        config = config.model_copy(update={"seed": args.seed})
    cfg = model_config()
    frame, groups, months = world_rows(config, cfg.horizon)
    extra = pd.concat([world_rows(config.model_copy(update={"seed": s}), cfg.horizon)[0]
                       for s in args.train_seeds]) if args.train_seeds else None
    test = range(months[args.start], months[args.end] + 1)
    held = frame[frame["month"].isin(test)].reset_index(drop=True)
    overrides = {k: v for k, v in {"n_estimators": args.trees, "learning_rate": args.learning_rate}.items()
                 if v is not None}
    rankings = {"perfect": held["label"].to_numpy(dtype=float)}
    public, latent, future = groups["public"], groups["latent"], groups["future"]
    sets = {"public model": public, "latent-state model": [*public, *latent],
            "latent state + next months' shocks": [*public, *latent, *future]}
    for name, columns in sets.items():
        scores = rolling_scores(frame, columns, test, cfg.horizon, cfg.retrain_every, extra, overrides)
        rankings[name] = scores[frame["month"].isin(test).to_numpy()]
    rows = {name: summary(held, score) for name, score in rankings.items()}
    table = pd.DataFrame(rows).T
    print(f"seed {config.seed}, other worlds in training: {args.train_seeds or 'none'}; {len(held):,} eligible "
          f"variety-months {args.start} .. {args.end}, "
          f"prevalence {held['label'].mean():.3f}, "
          f"{held.groupby('month')['label'].sum().mean():.1f} positives a month")
    print(table.to_string(float_format=lambda x: f"{x:.3f}"))


if __name__ == "__main__":
    main()
