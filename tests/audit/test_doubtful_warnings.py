"""Done-when of issue 19: one 1e308 sales figure changes the number of warned rows by at most 1.

The audit finds it implausible (high severity): the panel keeps it, the features blank it. A guard
runs the same backtest with the blanking switched off, so the test can fail.
"""

from __future__ import annotations

import numpy as np
import pytest

from conftest import small_demo_config
from shortage_radar.audit.settings import audit_config
from shortage_radar.contract.panel import read_panel
from shortage_radar.demo import simulate_panel, write_panel
from shortage_radar.models.backtest import run_backtest
from shortage_radar.models.policy import warning_policy
from shortage_radar.models.settings import model_config

HUGE = 1e308
BAD_MONTHS_BEFORE_END = 8  # the bad figure sits inside the backtest's training and scoring windows


@pytest.fixture(scope="module")
def panels(tmp_path_factory):
    tables = simulate_panel(small_demo_config())
    reports = tables["monthly_reports"].copy()
    last = max(reports["month"].astype(str))
    bad_month = str(np.datetime64(last, "M") - BAD_MONTHS_BEFORE_END)
    row = np.flatnonzero((reports["month"].astype(str) == bad_month).to_numpy())[0]
    reports.loc[reports.index[row], "sales"] = HUGE
    folder = tmp_path_factory.mktemp("huge")
    clean = read_panel(write_panel(tables, folder / "clean"))
    dirty = read_panel(write_panel({**tables, "monthly_reports": reports}, folder / "dirty"))
    return clean, dirty


def _warned(panel) -> int:
    last = panel["monthly_reports"]["month"].max()
    result = run_backtest(panel, last - 11, last - 3, model_config(), warning_policy(), drivers=False)
    return int((result.watchlist["warning_level"] > 0).sum())


@pytest.fixture(scope="module")
def clean_warned(panels) -> int:
    return _warned(panels[0])


def test_one_huge_sales_figure_moves_at_most_one_warning(panels, clean_warned):
    dirty = panels[1]
    assert dirty["monthly_reports"]["sales"].max() == HUGE  # kept, never dropped
    assert abs(_warned(dirty) - clean_warned) <= 1


def test_without_blanking_the_huge_figure_moves_warnings(panels, clean_warned, monkeypatch):
    """Guard: the same figure taken as true does change the warnings (so the test above can fail)."""
    dirty = panels[1]
    cfg = audit_config()
    off = cfg.model_copy(update={"implausible_value": cfg.implausible_value.model_copy(
        update={"absolute_max": float("inf"), "high_ratio": float("inf")})})
    monkeypatch.setattr("shortage_radar.features.grid.audit_config", lambda: off)
    assert abs(_warned(dirty) - clean_warned) > 1
