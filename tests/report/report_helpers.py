"""Report test helpers: a contract watchlist made from the demo panel, and a report built from it.

The watchlist is built straight from the panel with seeded random risks, so no model is trained.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from shortage_radar.models.policy import TIERS

# Levels by rank: 2 red, 3 orange, 3 yellow, 4 blue, the rest none (an arbitrary but fixed policy for tests).
LEVEL_BY_RANK = [1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 4]


def _rows(entity: str, keys: pd.DataFrame, month: pd.Period, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = keys.reset_index(drop=True).copy()
    frame["risk"] = np.round(rng.uniform(0, 1, len(frame)), 6)
    frame = frame.sort_values(["risk", "variety_id", "enterprise_id"], ascending=[False, True, True]).reset_index(
        drop=True)
    frame["rank"] = np.arange(1, len(frame) + 1)
    frame["warning_level"] = [LEVEL_BY_RANK[i] if i < len(LEVEL_BY_RANK) else 0 for i in range(len(frame))]
    frame["response_tier"] = [TIERS[lv] for lv in frame["warning_level"]]
    frame["drivers"] = [f"stock cover {r:.1f} months; test driver {i}" for i, r in enumerate(frame["risk"])]
    frame["ongoing"] = frame["rank"] % 7 == 0
    return frame.assign(entity=entity, month=str(month), horizon=3)


def make_watchlist(panel, month: pd.Period, seed: int) -> pd.DataFrame:
    """Contract watchlist rows for every variety and every pair reporting in ``month`` (random but seeded risks)."""
    varieties = pd.DataFrame({"variety_id": panel["varieties"]["variety_id"].astype(str), "enterprise_id": ""})
    reports = panel["monthly_reports"]
    pairs = reports.loc[reports["month"] == month, ["variety_id", "enterprise_id"]].astype(str).drop_duplicates()
    frame = pd.concat([_rows("variety", varieties, month, seed), _rows("enterprise", pairs, month, seed + 1)],
                      ignore_index=True)
    return frame[["entity", "variety_id", "enterprise_id", "month", "horizon", "risk", "warning_level",
                  "response_tier", "rank", "drivers", "ongoing"]]


def report_data(path: Path) -> dict:
    """The JSON the page embeds."""
    html = path.read_text(encoding="utf-8")
    found = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', html, re.S)
    assert found, "no embedded report data"
    return json.loads(found.group(1))


@dataclass(frozen=True)
class Case:
    """A report built from the small demo panel: its month, this and last month's watchlists, the file."""

    month: pd.Period
    current: pd.DataFrame
    previous: pd.DataFrame
    path: Path


def stored_history(*watchlists: pd.DataFrame) -> pd.DataFrame:
    """Variety rows of several months' watchlists as ``Store.variety_history()`` returns them."""
    frame = pd.concat([w[w["entity"] == "variety"] for w in watchlists], ignore_index=True)
    return frame[["variety_id", "month", "risk", "warning_level", "rank"]].assign(run_id=1)


def build_case(panel, folder: Path, *, extend=None, months_back: int = 0, criticality=None, policy=None,
               **config) -> Case:
    """Report two months before the panel's end, so later rows exist that it must not use; forecasts computed.

    ``extend(frame)`` may add extension columns to the current watchlist; ``months_back`` earlier months (seeded
    watchlists) go into the stored history with the previous one.
    """
    from shortage_radar.report import build_report
    from shortage_radar.report.settings import report_config

    month = panel["monthly_reports"]["month"].max() - 2
    current, previous = make_watchlist(panel, month, seed=1), make_watchlist(panel, month - 1, seed=2)
    if extend is not None:
        current = extend(current)
    earlier = [make_watchlist(panel, month - 1 - k, seed=2 + k) for k in range(1, months_back + 1)]
    history = stored_history(*earlier, previous) if months_back else None
    cfg = report_config().model_copy(update=config)
    path = build_report(panel, current, month, folder / "report.html", previous=previous, config=cfg,
                        history=history, store_months=None, criticality=criticality, policy=policy)
    return Case(month, current, previous, path)
