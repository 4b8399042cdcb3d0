"""Drivers in words: largest positive contributions first, one phrase per signal, none from NaN."""

from __future__ import annotations

import numpy as np
import pandas as pd

from shortage_radar.models.drivers import drivers

NAMES = ["months_of_supply", "projected_months_of_supply_1m", "projected_months_of_supply_2m",
         "suspended_share", "producers_active"]


def test_top_positive_contributions_in_words_one_per_signal():
    frame = pd.DataFrame([[0.6, 0.0, 0.1, 0.5, 3.0]], columns=NAMES)
    contrib = np.array([[0.5, 0.9, 0.8, 0.2, -1.0]])
    assert drivers(frame, NAMES, contrib, top=3) == [
        "projected cover 0.0 months in 1m; stock cover 0.6 months; suspended producers make 50% of supply"]


def test_no_driver_from_a_missing_value_or_a_lowering_feature():
    frame = pd.DataFrame([[np.nan, np.nan, np.nan, 0.5, 1.0]], columns=NAMES)
    contrib = np.array([[0.9, 0.8, 0.7, -0.1, 0.0]])
    assert drivers(frame, NAMES, contrib, top=3) == [""]
