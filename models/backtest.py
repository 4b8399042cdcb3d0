"""Rolling-origin backtest: at each month, train only on what was known then, score, and measure."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from shortage_radar.contract.panel import Panel
from shortage_radar.models import metrics
from shortage_radar.models.backend import Backend, Progress, as_backend, no_progress
from shortage_radar.models.dataset import ModelTables, local
from shortage_radar.models.policy import WarningPolicy
from shortage_radar.models.risk import RiskModel
from shortage_radar.models.scoring import score_tables
from shortage_radar.models.settings import ModelConfig


@dataclass(frozen=True)
class BacktestResult:
    """Every month's watchlist rows and the metrics of the model and the baselines on the same rows."""

    watchlist: pd.DataFrame
    metrics: dict


def _train(known: ModelTables, t: pd.Period, cfg: ModelConfig, backend: Backend) -> tuple[RiskModel, RiskModel | None]:
    """Fit on rows whose labels were fully known at the end of t (month <= t - horizon)."""
    last = t - cfg.horizon
    variety = backend.fit(known.variety[known.variety["month"] <= last], cfg)
    pair = backend.fit(known.pair[known.pair["month"] <= last], cfg) if len(known.pair) else None
    return variety, pair


def run_backtest(data: Panel | Backend, start: pd.Period, end: pd.Period, cfg: ModelConfig, policy: WarningPolicy,
                 retrain_every: int | None = None, drivers: bool = True,
                 progress: Progress = no_progress) -> BacktestResult:
    """Watchlist rows for every month in [start, end] and the metrics against what happened.

    Each month is scored by models fitted only on rows whose labels were known at its end, refitted
    every ``retrain_every`` months (default configs/model.yaml).
    """
    backend = as_backend(data)
    retrain_every = retrain_every or cfg.retrain_every
    tables_at = backend.tables(cfg)
    tables = tables_at(None)
    months = pd.period_range(start, end, freq="M")
    parts, models, fitted_at = [], None, None
    for done, t in enumerate(months, start=1):
        if models is None or (t - fitted_at).n >= retrain_every:
            models, fitted_at = _train(tables_at(t), t, cfg, backend), t
        parts.append(score_tables(tables, t, *models, policy, cfg, with_drivers=drivers))
        progress("backtest", done, len(months))
    watchlist = pd.concat(parts, ignore_index=True)
    return BacktestResult(watchlist=watchlist,
                          metrics=evaluate(backend.panel, tables, watchlist, months, cfg, backend.unseen_months(cfg)))


def _eligible(table: pd.DataFrame, watch: pd.DataFrame, entity: str, months: pd.PeriodIndex) -> pd.DataFrame:
    keys = ["variety_id", "month"] if entity == "variety" else ["enterprise_id", "variety_id", "month"]
    table = local(table[table["month"].isin(list(months))])
    truth = table.assign(month=table["month"].astype(str))
    cols = [*keys, "label", "ongoing", "censored", "months_of_supply", "shortages_last_12m"]
    merged = watch[watch["entity"] == entity].merge(truth[[c for c in cols if c in truth]], on=keys, how="left",
                                                    suffixes=("", "_truth"))
    return merged[~merged["ongoing"].astype(bool) & ~merged["censored"].fillna(True).astype(bool)
                  & merged["label"].notna()]


def _baselines(rows: pd.DataFrame) -> dict[str, pd.DataFrame]:
    out = {}
    if "months_of_supply" in rows:
        out["stock_rule"] = rows.assign(score=-rows["months_of_supply"].fillna(np.inf).clip(upper=1e6))
    if "shortages_last_12m" in rows:
        out["history"] = rows.assign(score=rows["shortages_last_12m"].fillna(0))
    return out


def _budget_levels(rows: pd.DataFrame, per_month: float) -> pd.DataFrame:
    """A baseline's warnings at the model's budget: its top-k per month get level 3."""
    k = max(int(round(per_month)), 1)
    rank = rows.groupby("month")["score"].rank(method="first", ascending=False)
    return rows.assign(warning_level=np.where(rank <= k, 3, 0))


def _window_onsets(panel: Panel, months: pd.PeriodIndex, unseen: pd.PeriodIndex) -> pd.DataFrame:
    """Onsets the window's warnings could have foreseen, except those in months no source observed."""
    events = panel.get("shortage_events")
    if events is None:
        return pd.DataFrame({"variety_id": pd.Series(dtype=str), "start_month": pd.Series(dtype="period[M]")})
    onsets = events[(events["start_month"] > months[0]) & (events["start_month"] <= months[-1] + 1)
                    & ~events["start_month"].isin(unseen)]
    return onsets.assign(variety_id=onsets["variety_id"].astype(str))


def evaluate(panel: Panel, tables: ModelTables, watchlist: pd.DataFrame, months: pd.PeriodIndex,
             cfg: ModelConfig, unseen: pd.PeriodIndex | None = None) -> dict:
    """Metrics of the model and of the two baselines, computed on the same rows (``unseen``: months no
    source observed, default the panel's)."""
    rows = _eligible(tables.variety, watchlist, "variety", months)
    rows = rows.assign(month=pd.PeriodIndex(rows["month"], freq="M"))
    unseen = as_backend(panel).unseen_months(cfg) if unseen is None else unseen
    onsets = _window_onsets(panel, months, unseen)
    variety_watch = watchlist[watchlist["entity"] == "variety"]
    variety_watch = variety_watch.assign(month=pd.PeriodIndex(variety_watch["month"], freq="M"))
    load = metrics.warning_load(variety_watch)
    result = {"variety": {**metrics.ranking_metrics(rows, "risk"),
                          "brier": float(np.mean((rows["risk"] - rows["label"]) ** 2)) if len(rows) else None,
                          "reliability": metrics.reliability(rows) if len(rows) else [],
                          "onsets": metrics.onset_warnings(onsets, variety_watch, cfg.horizon), **load},
              "baselines": {}}
    for name, scored in _baselines(rows).items():
        warned = _budget_levels(scored, load["warnings_per_month"])
        result["baselines"][name] = {**metrics.ranking_metrics(scored, "score"),
                                     "onsets": metrics.onset_warnings(onsets, warned, cfg.horizon)}
    pair_rows = _eligible(tables.pair, watchlist, "enterprise", months) if len(tables.pair) else pd.DataFrame()
    if len(pair_rows):
        result["enterprise"] = metrics.ranking_metrics(pair_rows, "risk")
    return result
