"""``as_known_at``: the last month shares the panel's month-keyed frames; nothing changes a panel in place."""

from __future__ import annotations

import pandas as pd

from shortage_radar.features import as_known_at, build_features
from shortage_radar.features.grid import panel_months
from shortage_radar.features.pointintime import MONTH_KEYED
from shortage_radar.models.dataset import model_tables
from shortage_radar.models.settings import model_config


def test_the_last_month_shares_the_month_keyed_frames(demo_panel):
    last = panel_months(demo_panel)[-1]
    known = as_known_at(demo_panel, last)
    for name in MONTH_KEYED:
        if name in demo_panel:
            assert known[name] is demo_panel[name]
    earlier = as_known_at(demo_panel, last - 6)
    reports = earlier["monthly_reports"]
    assert reports is not demo_panel["monthly_reports"] and reports["month"].max() == last - 6
    assert reports.index.equals(pd.RangeIndex(len(reports)))


def test_features_and_labels_leave_the_panel_as_it_was(demo_panel):
    before = {name: frame.copy(deep=True) for name, frame in demo_panel.tables.items()}
    last = panel_months(demo_panel)[-1]
    known = as_known_at(demo_panel, last)
    model_tables(known, model_config(), build_features(known, months=[last]))
    for name, frame in before.items():
        pd.testing.assert_frame_equal(demo_panel[name], frame, check_exact=True)
