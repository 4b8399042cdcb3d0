"""How hard is the demo panel? Base rate and PR-AUC of simple rules for 3-month-ahead shortage onset.

    python bench/demo_difficulty.py [--seed N] [--national] [--horizon 3] [--seeds 1 2 3]

For each as-of month t (variety level, skipping variety-months with a shortage ongoing at
t, and months whose horizon runs past the panel), the label is "a shortage_events row
starts in t+1 .. t+horizon". Every score uses only what the public tables show by the end
of t (suspensions from their reported_month, end months from the month they happen):

(a) months of supply: lowest sum(inventory) / sum(sales) over the variety's reports at t;
(b) shortage history: onsets in the 12 months up to t;
(c) oracle-ish: open, already-reported suspensions on producers holding >= 50% of the
    variety's recent sales, or producers holding >= 50% reporting api_stock_months < 1
    (binary rule; and a continuous version: suspended share + API-low share);
(d) a learned model (gradient boosting on ~15 public signals) trained on as-of months in
    the first half of the panel and scored on the second half, to show the signal is learnable.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import average_precision_score

from shortage_radar.demo import load_demo_config, national_config, simulate_panel
from shortage_radar.demo.timeline import Timeline

HISTORY_MONTHS = 12
SHARE_WINDOW = 12
MAJOR_SHARE = 0.5
LOW_API_MONTHS = 1.0
TREND_MONTHS = 3


@dataclass(frozen=True)
class Grid:
    """Month indices and variety / pair lookups of one panel."""

    months: dict[str, int]
    varieties: dict[str, int]
    n_months: int

    def month(self, column: pd.Series) -> np.ndarray:
        """Month indices of a column of in-panel ``YYYY-MM`` labels (-1 where missing)."""
        return column.astype(object).map(self.months).fillna(-1).to_numpy(dtype=np.int64)

    def variety(self, column: pd.Series) -> np.ndarray:
        """Variety indices of a column of variety ids."""
        return column.map(self.varieties).to_numpy()


def _grid(tables: dict[str, pd.DataFrame], timeline: Timeline) -> Grid:
    """Month and variety lookups of a panel."""
    labels = list(timeline.labels)
    varieties = tables["varieties"]["variety_id"].astype(str).tolist()
    return Grid({m: i for i, m in enumerate(labels)}, {v: i for i, v in enumerate(varieties)}, timeline.n)


def _matrix(grid: Grid, v: np.ndarray, t: np.ndarray, values: np.ndarray, how: str = "sum") -> np.ndarray:
    """[V, T] aggregate of values by (variety, month); NaN where nothing was reported."""
    shape = (len(grid.varieties), grid.n_months)
    ok = ~np.isnan(values)
    out = np.full(shape, np.nan)
    if how == "sum":
        total = np.zeros(shape)
        count = np.zeros(shape)
        np.add.at(total, (v[ok], t[ok]), values[ok])
        np.add.at(count, (v[ok], t[ok]), 1)
        out[count > 0] = total[count > 0]
    else:
        low = np.full(shape, np.inf)
        np.minimum.at(low, (v[ok], t[ok]), values[ok])
        out[np.isfinite(low)] = low[np.isfinite(low)]
    return out


def labels_and_mask(tables: dict[str, pd.DataFrame], grid: Grid,
                    horizon: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """[V, T] label (onset within the horizon), eligible mask, and onset matrix."""
    ev = tables["shortage_events"]
    v, start = grid.variety(ev["variety_id"]), grid.month(ev["start_month"])
    end = grid.month(ev["end_month"])
    end = np.where(end < 0, grid.n_months - 1, end)
    shape = (len(grid.varieties), grid.n_months)
    onset = np.zeros(shape, dtype=bool)
    onset[v, start] = True
    ongoing = np.zeros(shape, dtype=np.int64)
    np.add.at(ongoing, (v, start), 1)
    after = end + 1
    inside = after < grid.n_months
    np.add.at(ongoing, (v[inside], after[inside]), -1)
    ongoing = np.cumsum(ongoing, axis=1) > 0
    label = np.zeros(shape, dtype=bool)
    for k in range(1, horizon + 1):
        label[:, : grid.n_months - k] |= onset[:, k:]
    mask = ~ongoing
    mask[:, grid.n_months - horizon :] = False
    return label, mask, onset


def _pair_index(reports: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Producer-pair codes of report rows and the pair keys (``enterprise|variety``)."""
    key = reports["enterprise_id"].astype(str) + "|" + reports["variety_id"].astype(str)
    codes, uniques = pd.factorize(key)
    return codes, uniques.to_numpy()


def _trailing_mean(matrix: np.ndarray, window: int) -> np.ndarray:
    """Mean over the ``window`` months up to and including t (NaN-aware)."""
    filled = np.nan_to_num(matrix)
    present = (~np.isnan(matrix)).astype(float)
    cs = np.cumsum(filled, axis=1)
    cn = np.cumsum(present, axis=1)
    cs[:, window:] = cs[:, window:] - cs[:, :-window]
    cn[:, window:] = cn[:, window:] - cn[:, :-window]
    return np.divide(cs, cn, out=np.full_like(cs, np.nan), where=cn > 0)


def _recent_share(rep: pd.DataFrame, pair: np.ndarray, names: np.ndarray, t: np.ndarray,
                  grid: Grid) -> tuple[np.ndarray, np.ndarray]:
    """[pairs, T] each producer's share of its variety's reported sales over the last 12 months; pair -> variety."""
    sales = np.full((len(names), grid.n_months), np.nan)
    sales[pair, t] = rep["sales"].to_numpy(dtype=float)
    recent = np.nan_to_num(_trailing_mean(sales, SHARE_WINDOW))
    pair_variety = grid.variety(pd.Series(names).str.split("|").str[1])
    total = np.zeros((len(grid.varieties), grid.n_months))
    np.add.at(total, pair_variety, recent)
    share = np.divide(recent, total[pair_variety], out=np.zeros_like(recent), where=total[pair_variety] > 0)
    return share, pair_variety


def suspended_share(tables: dict[str, pd.DataFrame], grid: Grid) -> np.ndarray:
    """[V, T] share of the variety's recent sales made by producers with an open, reported suspension."""
    rep = tables["monthly_reports"]
    pair, names = _pair_index(rep)
    share, pair_variety = _recent_share(rep, pair, names, grid.month(rep["month"]), grid)
    sus = tables["suspensions"]
    key = sus["enterprise_id"].astype(str) + "|" + sus["variety_id"].astype(str)
    lookup = {k: i for i, k in enumerate(names)}
    sp = key.map(lookup)
    ok = sp.notna().to_numpy()
    sp = sp[ok].astype(int).to_numpy()
    known = np.maximum(grid.month(sus["start_month"]), grid.month(sus["reported_month"]))[ok]
    closed = grid.month(sus["actual_end_month"])[ok]
    closed = np.where(closed < 0, grid.n_months, closed)
    open_ = np.zeros((len(names), grid.n_months + 1))
    np.add.at(open_, (sp, known), 1)
    np.add.at(open_, (sp, np.minimum(closed, grid.n_months)), -1)
    is_open = np.cumsum(open_, axis=1)[:, : grid.n_months] > 0
    out = np.zeros((len(grid.varieties), grid.n_months))
    np.add.at(out, pair_variety, share * is_open)
    return out


def api_low_share(tables: dict[str, pd.DataFrame], grid: Grid) -> np.ndarray:
    """[V, T] share of the variety's recent sales made by producers reporting api_stock_months < 1."""
    rep = tables["monthly_reports"]
    pair, names = _pair_index(rep)
    t = grid.month(rep["month"])
    share, pair_variety = _recent_share(rep, pair, names, t, grid)
    api = np.full(share.shape, np.nan)
    api[pair, t] = rep["api_stock_months"].to_numpy(dtype=float)
    out = np.zeros((len(grid.varieties), grid.n_months))
    np.add.at(out, pair_variety, share * (np.nan_to_num(api, nan=np.inf) < LOW_API_MONTHS))
    return out


def public_features(tables: dict[str, pd.DataFrame], grid: Grid, onset: np.ndarray) -> dict[str, np.ndarray]:
    """[V, T] public signals known at the end of each month."""
    rep = tables["monthly_reports"]
    v, t = grid.variety(rep["variety_id"]), grid.month(rep["month"])
    col = {c: rep[c].to_numpy(dtype=float) for c in rep.columns if c not in ("enterprise_id", "variety_id", "month")}
    inventory, sales = _matrix(grid, v, t, col["inventory"]), _matrix(grid, v, t, col["sales"])
    safety_gap = _matrix(grid, v, t, np.where(np.isnan(col["safety_stock"]), np.nan,
                                              col["inventory"] < col["safety_stock"]).astype(float))
    api = _matrix(grid, v, t, col["api_stock_months"], how="min")
    contracted = _matrix(grid, v, t, col["contracted_volume"])
    delivered = _matrix(grid, v, t, col["delivered_volume"])
    price = _matrix(grid, v, t, col["ex_factory_price"], how="min")
    inst = tables["institution_reports"]
    reports = np.nan_to_num(_matrix(grid, grid.variety(inst["variety_id"]), grid.month(inst["month"]),
                                    inst["reports"].to_numpy(dtype=float)))
    proc = tables["procurement"]
    bought = _matrix(grid, grid.variety(proc["variety_id"]), grid.month(proc["month"]),
                     proc["purchase_volume"].to_numpy(dtype=float))
    history = np.cumsum(onset, axis=1).astype(float)
    history[:, HISTORY_MONTHS:] -= history[:, :-HISTORY_MONTHS]
    lag = lambda m, k: np.concatenate([np.full((m.shape[0], k), np.nan), m[:, :-k]], axis=1)  # noqa: E731
    return {
        "months_of_supply": inventory / np.maximum(sales, 1.0),
        "history": history,
        "suspended_share": suspended_share(tables, grid),
        "api_min": api,
        "api_low_share": api_low_share(tables, grid),
        "api_change": api - lag(api, TREND_MONTHS),
        "delivery_ratio": delivered / np.where(contracted > 0, contracted, np.nan),
        "price_change_year": price / lag(price, HISTORY_MONTHS),
        "institution_reports": reports,
        "institution_trend": reports - _trailing_mean(lag(reports, 1), TREND_MONTHS),
        "purchases_vs_last_year": _ratio(bought, lag(bought, HISTORY_MONTHS)),
        "sales_vs_last_year": _ratio(sales, lag(sales, HISTORY_MONTHS)),
        "below_safety_share": safety_gap,
        "producers_reporting": _matrix(grid, v, t, np.ones(len(rep))),
        "month_of_year": np.broadcast_to(np.arange(grid.n_months) % 12, sales.shape).astype(float),
    }


def _ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a / b where b > 0, NaN elsewhere."""
    return np.divide(a, b, out=np.full_like(a, np.nan), where=b > 0)


def _ap(label: np.ndarray, score: np.ndarray) -> float:
    """Average precision, with missing scores set to the median score."""
    score = np.where(np.isnan(score), np.nanmedian(score), score)
    return float(average_precision_score(label, score))


def evaluate(tables: dict[str, pd.DataFrame], timeline: Timeline, horizon: int) -> dict[str, float]:
    """Base rate and PR-AUCs of the rules (and the learned model on the later half)."""
    grid = _grid(tables, timeline)
    label, mask, onset = labels_and_mask(tables, grid, horizon)
    f = public_features(tables, grid, onset)
    y = label[mask]
    rule = (f["suspended_share"] >= MAJOR_SHARE) | (f["api_low_share"] >= MAJOR_SHARE)
    hits = rule[mask]
    oracle = f["suspended_share"] + f["api_low_share"]
    out = {
        "variety_months": float(mask.sum()),
        "onsets": float(onset.sum()),
        "base_rate": float(y.mean()),
        "ap_months_of_supply": _ap(y, -f["months_of_supply"][mask]),
        "ap_history": _ap(y, f["history"][mask]),
        "ap_oracle_binary": _ap(y, hits.astype(float)),
        "ap_oracle_continuous": _ap(y, oracle[mask]),
        "oracle_rule_precision": float(y[hits].mean()) if hits.any() else float("nan"),
        "oracle_rule_recall": float(hits[y].mean()),
    }
    out.update(_learned(f, label, mask, grid.n_months))
    return out


def base_rates(tables: dict[str, pd.DataFrame], n_months: int) -> dict[str, float]:
    """Event rates and counts of the panel (per variety-year, per pair-year, per scope and reason)."""
    years = n_months / 12
    reports = tables["monthly_reports"]
    n_pairs = reports.groupby(["enterprise_id", "variety_id"], observed=True).ngroups
    events = tables["shortage_events"]
    procured = reports.dropna(subset=["contracted_volume", "delivered_volume"])
    out = {
        "rows_total": float(sum(len(t) for t in tables.values())),
        "pairs": float(n_pairs),
        "onsets_per_variety_year": len(events) / (len(tables["varieties"]) * years),
        "disruptions_per_pair_year": len(tables["supply_disruptions"]) / (n_pairs * years),
        "suspensions_per_pair_year": len(tables["suspensions"]) / (n_pairs * years),
        "under_delivery_share": float((procured["delivered_volume"] < 0.95 * procured["contracted_volume"]).mean()),
    }
    out.update({f"scope_{k}": float(v) for k, v in events["scope"].astype(str).value_counts().items()})
    out.update({f"reason_{k}": float(v) for k, v in events["reason"].astype(str).value_counts().items()})
    return out


def _learned(f: dict[str, np.ndarray], label: np.ndarray, mask: np.ndarray, n_months: int) -> dict[str, float]:
    """Gradient boosting on public signals: train on the first half of as-of months, test on the rest."""
    split = n_months // 2
    t = np.broadcast_to(np.arange(n_months), label.shape)
    x = np.stack([m[mask] for m in f.values()], axis=1)
    y, tt = label[mask], t[mask]
    train, test = tt < split, tt >= split
    model = HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, max_leaf_nodes=15, random_state=0)
    model.fit(x[train], y[train])
    score = model.predict_proba(x[test])[:, 1]
    return {
        "test_base_rate": float(y[test].mean()),
        "ap_learned_test": float(average_precision_score(y[test], score)),
        "ap_months_of_supply_test": _ap(y[test], -x[test, 0]),
    }


def main() -> None:
    """Simulate, evaluate and print the figures for each seed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="*", help="seeds (default: the configured seed)")
    parser.add_argument("--national", action="store_true", help="national size instead of the default")
    parser.add_argument("--horizon", type=int, default=3)
    args = parser.parse_args()
    base = national_config() if args.national else load_demo_config()
    rows = []
    for seed in args.seeds or [base.seed]:
        config = base.model_copy(update={"seed": seed})
        tables = simulate_panel(config)
        result = evaluate(tables, Timeline.from_config(config.calendar), args.horizon)
        rows.append({"seed": seed, **result, **base_rates(tables, config.calendar.n_months)})
    frame = pd.DataFrame(rows).set_index("seed")
    pd.set_option("display.width", 200)
    print(frame.T.fillna(0).to_string(float_format=lambda x: f"{x:.3f}"))
    if len(rows) > 1:
        print("\nmean over seeds:")
        print(frame.fillna(0).mean().to_string(float_format=lambda x: f"{x:.3f}"))


if __name__ == "__main__":
    main()
