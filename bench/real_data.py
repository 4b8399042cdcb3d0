"""Real-data benchmark: the engine against every simple baseline on real and partial-feed panels, in one run.

    python bench/real_data.py --canada PANEL [--demo PANEL] [--canada-2023 PANEL] [--demo-seeds 1 2 3 4]
                              [--only NAME ...] [--before] [--grid] [--json FILE]

Panels (each a rolling-origin backtest with the default configuration, nothing tuned per panel):
Canada voluntary era (as-of 2014-04 .. 2015-12) and mandatory era (2017-04 .. 2018-01) of the
panel `shortage import canada` writes; optionally Canada 2023 (a panel imported with the 2023
folder too, as-of 2023-04 .. its last month with a known 3-month horizon); and partial-feed
variants of a demo panel, each with `shortage_events` as the labels: prices only (`procurement`
with purchase volumes blanked), reports only (`suspensions`), events only (no input feed), and
the full demo (as-of the last 36 months). Per panel: PR-AUC, ROC-AUC, P@10 of the engine and of
every baseline, the best baseline as it could be picked at each refit (on the refit's inner validation,
point in time), the engine's share of onsets warned at level 1-3 one to three months ahead, level
1-3 warnings per month and their share of varieties; and three ceilings of "onsets warned" with
at most 10% of varieties warned a month: a perfect ranker, the engine's own ranking (its top 10%
warned whatever the policy says) and a cross-fitted hindsight model (LightGBM on the same
features, fitted on the other varieties' rows of the whole window, labels in hindsight), each
also where a skill gate could open (the weakest gate, judged at each refit on its inner rows);
in the JSON, the mean of monthly PR-AUCs (ranking within a month) and the largest monthly
share warned. ``--demo-seeds`` repeats the demo panels on panels simulated with other seeds:
how much of a partial-feed figure is the draw of one simulation.
``--before`` runs the pre-issue-18 engine (`guard: false`, configured fixed levels) for the
"before" column.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score
from sklearn.model_selection import GroupKFold

from shortage_radar.contract.panel import Panel, read_panel
from shortage_radar.demo import load_demo_config, simulate_panel, write_panel
from shortage_radar.features.grid import panel_months
from shortage_radar.models import metrics
from shortage_radar.models.backend import LocalBackend, unseen_months
from shortage_radar.models.backtest import _baselines, _eligible, _window_onsets, run_backtest
from shortage_radar.models.baselines import baseline_score, blend_scale, present
from shortage_radar.models.blend import Blend, monotone_platt
from shortage_radar.models.dataset import local
from shortage_radar.models.guard import eligible_mask, inner_origin, inner_rows, warnable_risk
from shortage_radar.models.risk import feature_columns
from shortage_radar.models.policy import warning_policy
from shortage_radar.models.policy_fit import precision_lower, threshold_at
from shortage_radar.models.settings import model_config

DEMO_MONTHS = 36
BOOTSTRAP = 200
CEILING_SHARE = 0.10  # the Done-when line: at most 10% of varieties a month at level 1-3
CROSS_FOLDS = 5       # variety folds of the cross-fitted hindsight ceiling
# --grid: LightGBM settings from the configured trees to near-additive ones, each backtested point in time.
GRID = {"configured": {}, "leaves 15 / min child 50": {"num_leaves": 15, "min_child_samples": 50},
        "leaves 7 / min child 100": {"num_leaves": 7, "min_child_samples": 100},
        "leaves 4 / min child 200": {"num_leaves": 4, "min_child_samples": 200},
        "stumps, 400 trees": {"num_leaves": 2, "min_child_samples": 100, "n_estimators": 400},
        "leaves 15 / min child 50, 0.05 rate": {"num_leaves": 15, "min_child_samples": 50, "learning_rate": 0.05}}
PARTIAL = {"prices only": ("varieties", "procurement", "shortage_events"),
           "reports only": ("varieties", "enterprises", "suspensions", "shortage_events"),
           "events only": ("varieties", "shortage_events")}


def partial_folder(demo: Path, tables: tuple[str, ...], out: Path) -> Path:
    """A copy of the demo panel folder with only ``tables`` (procurement keeps its prices, volumes blanked)."""
    out.mkdir(parents=True, exist_ok=True)
    for name in tables:
        frame = pd.read_csv(demo / f"{name}.csv", dtype=str, keep_default_na=False)
        if name == "procurement":
            frame["purchase_volume"] = ""
        frame.to_csv(out / f"{name}.csv", index=False)
    return out


def _settings(before: bool):
    cfg, policy = model_config(), warning_policy()
    if before:
        cfg = cfg.model_copy(update={"guard": False})
        policy = policy.model_copy(update={"fit": policy.fit.model_copy(update={"mode": "fixed"})})
    return cfg, policy


def _difference_interval(rows: pd.DataFrame, best: pd.Series) -> list[float]:
    """90% interval of engine PR-AUC minus the best baseline's, resampling whole months (seeded)."""
    rng = np.random.default_rng(0)
    groups = [g.index.to_numpy() for _, g in rows.groupby("month")]
    diffs = []
    for _ in range(BOOTSTRAP):
        idx = np.concatenate([groups[i] for i in rng.integers(0, len(groups), len(groups))])
        y = rows.loc[idx, "label"].to_numpy(dtype=int)
        if 0 < y.sum() < len(y):
            diffs.append(average_precision_score(y, rows.loc[idx, "risk"]) - average_precision_score(y, best.loc[idx]))
    return [round(float(np.quantile(diffs, q)), 4) for q in (0.05, 0.95)] if diffs else [None, None]


def _monthly_pr_auc(rows: pd.DataFrame, score: np.ndarray) -> float | None:
    """Mean over months of each month's PR-AUC: ranking within a month, as the warnings use it, without the
    pooled figure's reward for calibration that tracks the onset rate from month to month."""
    frame = rows.assign(_score=np.asarray(score, dtype=float))
    values = [average_precision_score(g["label"].astype(int), g["_score"]) for _, g in frame.groupby("month")
              if 0 < g["label"].sum() < len(g)]
    return float(np.mean(values)) if values else None


def _refit_spans(months: pd.PeriodIndex, cfg) -> list[tuple[pd.Period, pd.Period]]:
    """Each backtest refit's as-of month and the first month after those it scores."""
    refits = list(months[::cfg.retrain_every])
    return list(zip(refits, [*refits[1:], months[-1] + 1], strict=True))


def _rate_errors(table: pd.DataFrame, months: pd.PeriodIndex, cfg) -> dict[str, float]:
    """How well a refit's onset-rate estimate, the inner months' or the whole training window's, matched the
    rate of the months it scored (mean absolute error over refits): which level a risk should carry."""
    rows = local(table)
    rows = rows[eligible_mask(rows)]
    errors: dict[str, list[float]] = {"inner": [], "window": []}
    for t, until in _refit_spans(months, cfg):
        train = rows[rows["month"] <= t - cfg.horizon]
        origin = inner_origin(train, cfg)
        scored = rows[(rows["month"] >= t) & (rows["month"] < until)]["label"].mean()
        if origin is None or not len(train) or np.isnan(scored):
            continue
        errors["inner"].append(abs(train.loc[train["month"] >= origin, "label"].mean() - scored))
        errors["window"].append(abs(train["label"].mean() - scored))
    return {k: round(float(np.mean(v)), 4) for k, v in errors.items() if v}


def _top_share_warned(onsets: pd.DataFrame, rows: pd.DataFrame, score: np.ndarray, per_month: pd.Series,
                      cfg) -> float | None:
    """Onsets warned 1-3 months ahead when the ``score``-ranked top 10% of each month's varieties are warned."""
    ranked = rows.assign(_score=score).sort_values(["month", "_score", "variety_id"], ascending=[True, False, True])
    top = ranked[ranked.groupby("month").cumcount() < np.floor(CEILING_SHARE * ranked["month"].map(per_month))]
    return metrics.onset_warnings(onsets, top.assign(warning_level=3), cfg.horizon)["warned_share"]


def _cross_fitted(table: pd.DataFrame, rows: pd.DataFrame, end: pd.Period, cfg) -> np.ndarray:
    """Each evaluated row scored by LightGBM (the engine's parameters) fitted on the other varieties' labelled
    rows up to the window's end, in hindsight: the era's whole relation between these features and onsets is
    known, only the variety's own labels are not. An optimistic ceiling of what these features can rank."""
    labelled = local(table[table["month"] <= end])
    labelled = labelled[~labelled["ongoing"].astype(bool) & ~labelled["censored"].astype("boolean").fillna(True)
                        & labelled["label"].notna()].reset_index(drop=True)
    features = feature_columns(labelled)
    groups = labelled["variety_id"].astype(str)
    oof = np.full(len(labelled), np.nan)
    for fit_idx, test_idx in GroupKFold(n_splits=CROSS_FOLDS).split(labelled, groups=groups):
        model = lgb.LGBMClassifier(**{**cfg.lightgbm, "random_state": cfg.seed})
        model.fit(labelled.loc[fit_idx, features].astype(float), labelled.loc[fit_idx, "label"].astype(int))
        oof[test_idx] = model.predict_proba(labelled.loc[test_idx, features].astype(float))[:, 1]
    def key(frame: pd.DataFrame) -> pd.Series:
        return frame["variety_id"].astype(str) + "|" + frame["month"].astype(str)

    return pd.Series(oof, index=key(labelled)).reindex(key(rows)).to_numpy()


def _baseline_at_the_time(tables_at, rows: pd.DataFrame, months: pd.PeriodIndex, cfg) -> dict:
    """The best simple baseline as it could be picked at each refit, point in time: the one with the best PR-AUC
    on the refit's inner validation rows (the guard's), Platt-scaled there (monotone), scoring the months up
    to the next refit; its PR-AUC pooled over the window (the fair counterpart of "best baseline", which is
    picked on the evaluated months themselves)."""
    score, picks = np.full(len(rows), np.nan), []
    for t, until in _refit_spans(months, cfg):
        train = local(tables_at(t).variety)
        train = train[train["month"] <= t - cfg.horizon]
        origin = inner_origin(train, cfg)
        inner = train[train["month"] >= origin] if origin is not None else train.iloc[:0]
        inner = inner[eligible_mask(inner)]
        y = inner["label"].to_numpy(dtype=int)
        specs = present(inner, cfg.baselines) if 0 < y.sum() < len(y) else []
        if not specs:
            return {"pr_auc": None, "picks": picks}
        best = max(specs, key=lambda spec: average_precision_score(y, baseline_score(inner, spec)))
        alone = Blend(0.0, best, monotone_platt(blend_scale(inner, best), y, cfg.platt_min_slope))  # as the engine
        sel = ((rows["month"] >= t) & (rows["month"] < until)).to_numpy()
        score[sel] = alone.risk(np.zeros(int(sel.sum())), rows[sel])
        picks.append(best.name)
    return {"pr_auc": float(average_precision_score(rows["label"].astype(int), score)), "picks": picks}


def _inner_evidence(rows: pd.DataFrame, score: np.ndarray, z: float, min_hits: int) -> dict:
    """The top ``CEILING_SHARE`` of the inner rows by ``score`` (rows in shortage never warned): their lift over
    the inner onset rate and the Wilson lower bound of that lift (``z``); demonstrated when the bound is >= 1."""
    ok = eligible_mask(rows)
    y = rows["label"].fillna(0).to_numpy(dtype=int)
    score = warnable_risk(score, rows)
    cut = threshold_at(score, CEILING_SHARE)
    warned = ok & (score >= cut) if cut is not None else np.zeros(len(rows), bool)
    hits, n, prevalence = int(y[warned].sum()), int(warned.sum()), float(y[ok].mean())
    lift = hits / n / prevalence if n and prevalence else None
    lower = precision_lower(hits, n, z) / prevalence if prevalence else None
    return {"lift": lift, "lower": lower, "demonstrated": hits >= min_hits and lower is not None and lower >= 1.0}


def _gate_ceiling(backend: LocalBackend, tables_at, rows: pd.DataFrame, months: pd.PeriodIndex, onsets: pd.DataFrame,
                  per_month: pd.Series, hindsight: np.ndarray, cfg, policy) -> dict:
    """The most onsets a skill-gated policy could warn at 10% of varieties a month: at each refit, every candidate
    ranking known then (each model variant the guard fits on the inner validation, each baseline) is judged on
    the refit's inner rows by the weakest gate (its top 10% beat the onset rate at the policy's confidence);
    where any passes, the month's top 10% by the engine's (or, more optimistic, the hindsight model's) ranking
    are warned, elsewhere none. A window too short to validate applies budgets without a gate, so it passes."""
    fit, passed, by_refit = policy.fit, np.zeros(len(rows), bool), []
    for t, until in _refit_spans(months, cfg):
        train = local(tables_at(t).variety)
        inner = inner_rows(train[train["month"] <= t - cfg.horizon], cfg, backend.fit)
        evidence = {}
        if inner is not None:
            inner_frame, risks = inner
            evidence = {**{f"model {name}": _inner_evidence(inner_frame, r, fit.confidence_z, fit.min_hits)
                           for name, r in risks.items()},
                        **{spec.name: _inner_evidence(inner_frame, baseline_score(inner_frame, spec),
                                                      fit.confidence_z, fit.min_hits)
                           for spec in present(inner_frame, cfg.baselines)}}
        gate = inner is None or any(e["demonstrated"] for e in evidence.values())
        passed |= ((rows["month"] >= t) & (rows["month"] < until)).to_numpy() & gate
        by_refit.append({"refit": str(t), "gate": bool(gate),
                         **{k: {"lift": None if e["lift"] is None else round(e["lift"], 2),
                                "lower": None if e["lower"] is None else round(e["lower"], 2)}
                            for k, e in evidence.items()}})
    gated = rows[passed]
    return {"gated_engine_top10_warned": _top_share_warned(onsets, gated, gated["risk"].to_numpy(float),
                                                            per_month, cfg),
            "gated_hindsight_top10_warned": _top_share_warned(onsets, gated,
                                                               np.nan_to_num(hindsight[passed], nan=-1.0),
                                                               per_month, cfg),
            "gate_by_refit": by_refit}


def _settings_ceiling(backend: LocalBackend, rows: pd.DataFrame, start: pd.Period, end: pd.Period, cfg,
                      policy) -> dict[str, float]:
    """PR-AUC of the LightGBM model alone (no guard) under each ``GRID`` setting, each a point-in-time
    backtest; the best of them, picked on the evaluated months, is an optimistic ceiling of what tuning
    these models at the time could have reached."""
    out = {}
    y = rows["label"].astype(int).to_numpy()
    for name, override in GRID.items():
        c = cfg.model_copy(update={"guard": False, "lightgbm": {**cfg.lightgbm, **override}})
        watch = run_backtest(backend, start, end, c, policy, drivers=False).watchlist
        watch = watch[watch["entity"] == "variety"].assign(month=lambda w: pd.PeriodIndex(w["month"], freq="M"))
        risk = rows[["variety_id", "month"]].merge(watch[["variety_id", "month", "risk"]], how="left")["risk"]
        out[name] = float(average_precision_score(y, risk.fillna(0.0)))
    return out


def _ceilings(panel: Panel, backend: LocalBackend, tables_at, rows: pd.DataFrame, watch: pd.DataFrame,
              months: pd.PeriodIndex, cfg, policy) -> dict:
    """Onsets warned 1-3 months ahead at most 10% of varieties a month warned: by a perfect ranker, by the
    engine's own ranking, by the cross-fitted hindsight ranking (:func:`_cross_fitted`, with its PR-AUC), by
    either where a skill gate could open (:func:`_gate_ceiling`); and the share of onsets at a variety with an
    earlier onset in the panel (what history could ever flag)."""
    table = tables_at(None).variety
    onsets = _window_onsets(panel, months, unseen_months(panel, cfg))
    per_month = watch.groupby("month").size()
    oracle = rows[rows["label"] > 0].sort_values(["month", "variety_id"])
    oracle = oracle[oracle.groupby("month").cumcount() < np.floor(CEILING_SHARE * oracle["month"].map(per_month))]
    perfect = metrics.onset_warnings(onsets, oracle.assign(warning_level=3), cfg.horizon)["warned_share"]
    hindsight = _cross_fitted(table, rows, months[-1], cfg)
    ok = ~np.isnan(hindsight)
    ceiling = {"engine_top10_warned": _top_share_warned(onsets, rows, rows["risk"].to_numpy(float), per_month, cfg),
               "hindsight_top10_warned": _top_share_warned(onsets, rows, np.nan_to_num(hindsight, nan=-1.0),
                                                           per_month, cfg),
               "hindsight_pr_auc": float(average_precision_score(rows.loc[ok, "label"].astype(int), hindsight[ok]))}
    events = panel.get("shortage_events")
    first = events.groupby(events["variety_id"].astype(str))["start_month"].min() if events is not None else None
    recurring = None
    if first is not None and len(onsets):
        recurring = float((onsets["start_month"] > onsets["variety_id"].map(first)).mean())
    gated = _gate_ceiling(backend, tables_at, rows, months, onsets, per_month, hindsight, cfg, policy) \
        if policy.fit is not None and policy.fit.mode == "fitted" else {}
    return {"perfect_at_10pct": perfect, "recurring_share": recurring, **ceiling, **gated}


def _row(name: str, panel: Panel, start: pd.Period, end: pd.Period, before: bool, grid: bool = False) -> dict:
    cfg, policy = _settings(before)
    began = time.perf_counter()
    backend = LocalBackend(panel)
    tables_at = backend.tables(cfg)  # built once, shared with the backtest
    result = run_backtest(backend, start, end, cfg, policy, drivers=False)
    m = result.metrics
    months = pd.period_range(start, end, freq="M")
    rows = _eligible(tables_at(None).variety, result.watchlist, "variety", months, cfg).reset_index(drop=True)
    rows = rows.assign(month=pd.PeriodIndex(rows["month"], freq="M"))
    watch = result.watchlist[result.watchlist["entity"] == "variety"]
    watch = watch.assign(month=pd.PeriodIndex(watch["month"], freq="M"))
    v = m["variety"]
    base = {k: {"pr_auc": b["pr_auc"], "roc_auc": b["roc_auc"], "precision_at_10": b["precision_at_10"]}
            for k, b in m["baselines"].items()}
    best = max((k for k in base if base[k]["pr_auc"] is not None), key=lambda k: base[k]["pr_auc"], default=None)
    return {"panel": name, "months": f"{start}..{end}", "prevalence": v["prevalence"], "rows": v["rows"],
            "engine": {k: v[k] for k in ("pr_auc", "roc_auc", "precision_at_10")}, "baselines": base,
            "best_baseline": best, "onsets": v["onsets"]["onsets"], "onsets_warned": v["onsets"]["warned_share"],
            "warnings_per_month": v["warnings_per_month"], "warned_share_per_month": v["warned_share_per_month"],
            "warned_share_max_month": v["warned_share_max_month"],
            "horizons": {h: x["pr_auc"] for h, x in v.get("horizons", {}).items()},
            "monthly_pr_auc": {"engine": _monthly_pr_auc(rows, rows["risk"]),
                               **{k: _monthly_pr_auc(rows, b["score"]) for k, b in _baselines(rows, cfg).items()}},
            "rate_error": _rate_errors(tables_at(None).variety, months, cfg),
            "engine_minus_best_90pct": _difference_interval(rows, _baselines(rows, cfg)[best]["score"]) if best
            else None, "baseline_at_the_time": _baseline_at_the_time(tables_at, rows, months, cfg),
            **_ceilings(panel, backend, tables_at, rows, watch, months, cfg, policy),
            **({"settings_pr_auc": _settings_ceiling(backend, rows, start, end, cfg, policy)} if grid else {}),
            "seconds": round(time.perf_counter() - began, 1)}


def _fmt(x, pct: bool = False) -> str:
    return "-" if x is None else (f"{x:.1%}" if pct else f"{x:.3f}")


def _markdown(rows: list[dict]) -> str:
    names = sorted({b for r in rows for b in r["baselines"]})
    head = ["panel", "as-of months", "prevalence", "engine PR-AUC", "best baseline", "engine / best",
            "engine / history", "engine - best, 90% (months resampled)",
            "best baseline picked at each refit (point in time)", "engine / it", "ROC-AUC", "P@10",
            *[f"{n} PR-AUC" for n in names], "onsets warned 1-3 m ahead", "warnings / month (share, most in a month)",
            "perfect ranker at 10%: onsets warned", "engine's ranking at 10%: onsets warned",
            "hindsight ceiling at 10%: onsets warned (PR-AUC)", "onsets recurring"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        e, best = r["engine"], r["best_baseline"]
        bp = r["baselines"][best]["pr_auc"] if best else None
        then = (r.get("baseline_at_the_time") or {}).get("pr_auc")
        hist = r["baselines"].get("history", {}).get("pr_auc")
        ratio = lambda a, b: "-" if not a or not b else f"{a / b:.2f}x"  # noqa: E731
        cells = [r["panel"], r["months"], _fmt(r["prevalence"]), _fmt(e["pr_auc"]),
                 f"{best} {_fmt(bp)}" if best else "-", ratio(e["pr_auc"], bp), ratio(e["pr_auc"], hist),
                 "-" if not r.get("engine_minus_best_90pct") else
                 f"{r['engine_minus_best_90pct'][0]:+.3f} .. {r['engine_minus_best_90pct'][1]:+.3f}",
                 _fmt(then), ratio(e["pr_auc"], then),
                 _fmt(e["roc_auc"]), _fmt(e["precision_at_10"]),
                 *[_fmt(r["baselines"].get(n, {}).get("pr_auc")) for n in names],
                 f"{_fmt(r['onsets_warned'], True)} of {r['onsets']}",
                 f"{r['warnings_per_month']:.1f} ({r['warned_share_per_month']:.1%}, max "
                 f"{r.get('warned_share_max_month', float('nan')):.1%})",
                 _fmt(r.get("perfect_at_10pct"), True), _fmt(r.get("engine_top10_warned"), True),
                 f"{_fmt(r.get('hindsight_top10_warned'), True)} ({_fmt(r.get('hindsight_pr_auc'))})",
                 _fmt(r.get("recurring_share"), True)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _panels(args) -> list[tuple[str, Panel, pd.Period, pd.Period]]:
    out = []
    if args.canada:
        canada = read_panel(args.canada)
        out += [("Canada voluntary", canada, pd.Period("2014-04", "M"), pd.Period("2015-12", "M")),
                ("Canada mandatory", canada, pd.Period("2017-04", "M"), pd.Period("2018-01", "M"))]
    if args.canada_2023:
        panel = read_panel(args.canada_2023)
        last = panel_months(panel)[-1] - model_config().horizon
        out.append(("Canada 2023", panel, pd.Period("2023-04", "M"), last))
    if args.demo:
        out += _demo_panels(Path(args.demo), Path(args.work), "")
    for seed in args.demo_seeds or []:
        folder = Path(args.work) / f"demo-seed-{seed}"
        if not (folder / "varieties.csv").exists():
            write_panel(simulate_panel(load_demo_config().model_copy(update={"seed": seed})), folder)
        out += _demo_panels(folder, folder / "partial", f" (seed {seed})")
    return out


def _demo_panels(folder: Path, work: Path, suffix: str) -> list[tuple[str, Panel, pd.Period, pd.Period]]:
    """The demo panel (its last 36 months) and its partial-feed variants, written under ``work``."""
    demo = read_panel(folder)
    last = panel_months(demo)[-1]
    start = last - DEMO_MONTHS + 1
    return [(f"demo (all feeds){suffix}", demo, start, last),
            *[(f"demo {name}{suffix}", read_panel(partial_folder(folder, tables, work / name.replace(" ", "_"))),
               start, last) for name, tables in PARTIAL.items()]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--canada")
    parser.add_argument("--canada-2023")
    parser.add_argument("--demo")
    parser.add_argument("--work", default="bench-partial-panels", help="where the partial-feed panels are written")
    parser.add_argument("--demo-seeds", nargs="*", type=int,
                        help="also simulate a demo panel with each of these seeds (under --work) and run its variants")
    parser.add_argument("--only", nargs="*", help="panels whose name starts with one of these (default: all)")
    parser.add_argument("--before", action="store_true", help="the pre-issue-18 engine")
    parser.add_argument("--grid", action="store_true",
                        help="also backtest the model alone under each GRID setting (a tuning ceiling; slow)")
    parser.add_argument("--json")
    args = parser.parse_args()
    rows = []
    for name, panel, start, end in _panels(args):
        if args.only and not name.startswith(tuple(args.only)):
            continue
        rows.append(_row(name, panel, start, end, args.before, args.grid))
        print(json.dumps(rows[-1], default=str), flush=True)
    print(_markdown(rows))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
