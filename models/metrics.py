"""Backtest metrics: ranking quality, calibration, and how early onsets were warned."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score, roc_auc_score

WARNED = (1, 2, 3)


def _safe(fn, y: np.ndarray, s: np.ndarray) -> float | None:
    return float(fn(y, s)) if len(np.unique(y)) == 2 else None


def precision_at(frame: pd.DataFrame, score: str, k: int) -> float | None:
    """Mean over months of the share of positives among the k highest scores."""
    values = [g.nlargest(k, score)["label"].mean() for _, g in frame.groupby("month") if len(g) >= k]
    return float(np.mean(values)) if values else None


def ranking_metrics(frame: pd.DataFrame, score: str) -> dict[str, float | None]:
    """PR-AUC, ROC-AUC and precision@10/25 over rows with a known label, not ongoing."""
    y, s = frame["label"].to_numpy(dtype=int), frame[score].to_numpy(dtype=float)
    return {"pr_auc": _safe(average_precision_score, y, s), "roc_auc": _safe(roc_auc_score, y, s),
            "precision_at_10": precision_at(frame, score, 10), "precision_at_25": precision_at(frame, score, 25),
            "prevalence": float(y.mean()) if len(y) else None, "rows": int(len(y))}


def reliability(frame: pd.DataFrame, bins: int = 10) -> list[dict]:
    """Mean predicted risk vs observed rate in risk deciles."""
    cut = pd.qcut(frame["risk"].rank(method="first"), q=min(bins, len(frame)), labels=False)
    table = frame.groupby(cut).agg(predicted=("risk", "mean"), observed=("label", "mean"), rows=("label", "size"))
    return table.round(4).to_dict(orient="records")


def onset_warnings(onsets: pd.DataFrame, warned: pd.DataFrame, h: int) -> dict:
    """Share of onsets with a level 1-3 warning 1..h months before, and the lead times."""
    flagged = warned[warned["warning_level"].isin(WARNED)][["variety_id", "month"]]
    leads = []
    for row in onsets.itertuples(index=False):
        before = flagged[(flagged["variety_id"] == row.variety_id) & (flagged["month"] < row.start_month)
                         & (flagged["month"] >= row.start_month - h)]
        leads.append(int((row.start_month - before["month"].min()).n) if len(before) else 0)
    leads_arr = np.array(leads)
    hit = leads_arr > 0
    return {"onsets": int(len(leads_arr)), "warned_share": float(hit.mean()) if len(hit) else None,
            "lead_months": {str(k): int((leads_arr == k).sum()) for k in range(1, h + 1)}}


def warning_load(warned: pd.DataFrame) -> dict:
    """Level 1-3 warnings a month: their mean count, their mean share of the month's rows, the largest share."""
    flagged = warned["warning_level"].isin(WARNED)
    per_month = flagged.groupby(warned["month"]).mean()
    counts = flagged.groupby(warned["month"]).sum()
    return {"warnings_per_month": float(counts.mean()), "warned_share_per_month": float(per_month.mean()),
            "warned_share_max_month": float(per_month.max()) if len(per_month) else 0.0}
