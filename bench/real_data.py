"""The Canadian backtest split by reporting era, and at the 6-month horizon of the FDA anchor.

    python bench/real_data.py --data PANEL [--start 2014-04] [--end 2018-01] [--horizons 3 6]

`shortage backtest` gives the pooled figures of docs/real-data.md. This runs the same rolling
origin (same models, retraining every 6 months) and prints, per horizon, PR-AUC, its ratio to
the prevalence, ROC-AUC and precision@10/25 for the model and the history baseline, pooled and
per era: the stretches of months between collection gaps (for Canada: voluntary reporting to
2016-03, mandatory reporting 2017-03 .. 2018-04, and 2023 when that folder is imported too).
Months whose horizon runs into a gap or past the panel are censored in both (models/coverage.py).
"""

from __future__ import annotations

import argparse

import pandas as pd

from shortage_radar.contract.panel import read_panel
from shortage_radar.features import build_features
from shortage_radar.features.grid import panel_months
from shortage_radar.models.backtest import _eligible, run_backtest
from shortage_radar.models.coverage import unobserved_months
from shortage_radar.models.dataset import model_tables
from shortage_radar.models.metrics import ranking_metrics
from shortage_radar.models.policy import warning_policy
from shortage_radar.models.settings import model_config



def _eras(panel, cfg) -> pd.Series:
    """Each month's era: the stretch of observed months it belongs to, named by its first and last month."""
    months = panel_months(panel)
    gap = pd.Series(unobserved_months(panel, months, cfg.gap_months, cfg.gap_warmup_months), index=months)
    era = (gap & ~gap.shift(1, fill_value=False)).cumsum()
    spans = pd.Series(months, index=months)[~gap].groupby(era[~gap]).agg(["min", "max"])
    return era.map(lambda k: f"{spans.loc[k, 'min']}..{spans.loc[k, 'max']}" if k in spans.index else "gap")


def _line(name: str, m: dict) -> str:
    fmt = lambda x: "   -" if x is None else f"{x:.3f}"  # noqa: E731
    ratio = m["pr_auc"] / m["prevalence"] if m["pr_auc"] and m["prevalence"] else None
    return (f"  {name:<8} PR-AUC {fmt(m['pr_auc'])} ({'-' if ratio is None else f'{ratio:.2f}'}x prev) "
            f"ROC-AUC {fmt(m['roc_auc'])} P@10 {fmt(m['precision_at_10'])} P@25 {fmt(m['precision_at_25'])}")


def _report(panel, start: pd.Period, end: pd.Period, horizon: int) -> None:
    cfg = model_config().model_copy(update={"horizon": horizon})
    result = run_backtest(panel, start, end, cfg, warning_policy(), drivers=False)
    tables = model_tables(panel, cfg, build_features(panel))
    rows = _eligible(tables.variety, result.watchlist, "variety")
    rows = rows.assign(month=pd.PeriodIndex(rows["month"], freq="M"),
                       history=rows["shortages_last_12m"].fillna(0))
    era = rows["month"].map(_eras(panel, cfg))
    eras = {"pooled": rows, **{f"era {name}": rows[era == name] for name in sorted(era.unique())}}
    print(f"horizon {horizon} months, as-of {start} .. {end}")
    for era, part in eras.items():
        onsets = int(part["label"].sum())
        print(f" {era}: {part['month'].nunique()} months, {part['variety_id'].nunique()} varieties, "
              f"{len(part):,} rows, {onsets:,} positive, prevalence {part['label'].mean():.3f}")
        print(_line("model", ranking_metrics(part, "risk")))
        print(_line("history", ranking_metrics(part, "history")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--start", default="2014-04")
    parser.add_argument("--end", default="2018-01")
    parser.add_argument("--horizons", type=int, nargs="+", default=[3, 6])
    args = parser.parse_args()
    panel = read_panel(args.data)
    for h in args.horizons:
        end = pd.Period(args.end, freq="M") - (h - 3)  # the last as-of month whose horizon the panel covers
        _report(panel, pd.Period(args.start, freq="M"), end, h)


if __name__ == "__main__":
    main()
