"""Rolling backtest on a small simulated panel: contract watchlist, determinism, point in time."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from conftest import scramble_future
from shortage_radar.contract.panel import Panel
from shortage_radar.models.backtest import run_backtest
from shortage_radar.models.policy import warning_policy
from shortage_radar.models.scoring import EXPLAINED, WATCHLIST_COLUMNS
from shortage_radar.models.settings import model_config

CONTRACT = ["entity", "variety_id", "enterprise_id", "month", "horizon", "risk", "warning_level", "response_tier",
            "rank", "drivers"]


def _months(panel: Panel) -> tuple[pd.Period, pd.Period]:
    last = panel["monthly_reports"]["month"].max()
    return last - 5, last - 3


@pytest.fixture(scope="module")
def result(demo_panel):
    start, end = _months(demo_panel)
    return run_backtest(demo_panel, start, end, model_config(), warning_policy(), retrain_every=12)


def test_watchlist_has_the_contract_columns(result, demo_panel):
    watch = result.watchlist
    assert list(watch.columns[: len(CONTRACT)]) == CONTRACT
    assert list(watch.columns) == [*WATCHLIST_COLUMNS, *EXPLAINED]
    assert watch["risk"].between(0, 1).all()
    assert set(watch["entity"]) == {"variety", "enterprise"}
    assert set(watch["warning_level"]) <= {0, 1, 2, 3, 4}
    tiers = {0: "none", 4: "county", 3: "city", 2: "provincial", 1: "national"}
    assert (watch["response_tier"] == watch["warning_level"].map(tiers)).all()
    for _, group in watch.groupby(["entity", "month"]):
        assert sorted(group["rank"]) == list(range(1, len(group) + 1))
        assert group.sort_values("rank")["risk"].is_monotonic_decreasing
    varieties = watch[watch["entity"] == "variety"]
    assert (varieties["enterprise_id"] == "").all()
    assert varieties.groupby("month").size().eq(len(demo_panel["varieties"])).all()


def test_metrics_include_baselines(result):
    assert {"stock_rule", "history"} <= set(result.metrics["baselines"])
    assert result.metrics["variety"]["rows"] > 0


def test_same_data_same_watchlist(result, demo_panel):
    start, end = _months(demo_panel)
    again = run_backtest(demo_panel, start, end, model_config(), warning_policy(), retrain_every=12)
    assert again.watchlist.to_csv(index=False) == result.watchlist.to_csv(index=False)


def test_later_information_does_not_move_scores_at_t(result, demo_panel):
    """Scrambling everything known only after t leaves the watchlist as of t unchanged."""
    start, _ = _months(demo_panel)
    scrambled = scramble_future(demo_panel, start, seed=5)
    alone = run_backtest(demo_panel, start, start, model_config(), warning_policy())
    moved = run_backtest(scrambled, start, start, model_config(), warning_policy())
    assert moved.watchlist.to_csv(index=False) == alone.watchlist.to_csv(index=False)
    assert not alone.watchlist.empty


def test_cli_backtest(demo_panel, tmp_path):
    start, end = _months(demo_panel)
    out = tmp_path / "bt.csv"
    run = subprocess.run([sys.executable, "-m", "shortage_radar", "backtest", "--data", str(demo_panel.source),
                          "--start", str(start), "--end", str(start), "--out", str(out)],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    assert list(pd.read_csv(out).columns[: len(CONTRACT)]) == CONTRACT
    assert (tmp_path / "bt.metrics.json").is_file()
    bad = subprocess.run([sys.executable, "-m", "shortage_radar", "backtest", "--data", str(demo_panel.source),
                          "--start", "2024-13", "--end", "2025-01", "--out", str(out)],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1 and "YYYY-MM" in bad.stderr
