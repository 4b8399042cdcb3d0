"""Labels: onset within t+1..t+h, ongoing rows, censored rows at the panel's end."""

from __future__ import annotations

import pandas as pd

from shortage_radar.features.grid import panel_months
from shortage_radar.models.labels import pair_labels, variety_labels
from shortage_radar.models.settings import model_config


def _at(frame: pd.DataFrame, month: str, **keys: str) -> pd.Series:
    mask = frame["month"] == pd.Period(month, "M")
    for k, v in keys.items():
        mask &= frame[k].astype(str) == v
    return frame[mask].iloc[0]


def test_variety_onset_window_and_ongoing(small_panel):
    months = panel_months(small_panel)  # 2022-01 .. 2022-04; V2 short from 2022-03
    labels = variety_labels(small_panel, months, model_config())
    assert _at(labels, "2022-01", variety_id="V2")["label"] == 1  # onset at t+2
    assert _at(labels, "2022-02", variety_id="V2")["label"] == 1  # onset at t+1
    assert _at(labels, "2022-03", variety_id="V2")["label"] == 0  # onset is t itself, not ahead
    assert bool(_at(labels, "2022-03", variety_id="V2")["ongoing"])
    assert _at(labels, "2022-01", variety_id="V1")["label"] == 0
    assert bool(_at(labels, "2022-02", variety_id="V1")["censored"])  # 2022-02 + 3 runs past 2022-04
    assert not bool(_at(labels, "2022-01", variety_id="V1")["censored"])


def test_pair_labels_from_disruptions(small_panel):
    months = panel_months(small_panel)
    keys = pd.DataFrame({"enterprise_id": ["E1", "E1"], "variety_id": ["V1", "V2"]})
    labels = pair_labels(small_panel, keys, months, model_config())
    assert _at(labels, "2022-01", enterprise_id="E1", variety_id="V2")["label"] == 1
    assert _at(labels, "2022-01", enterprise_id="E1", variety_id="V1")["label"] == 0


def test_pair_labels_derived_without_the_table(small_panel):
    from shortage_radar.contract.panel import Panel

    tables = {k: v for k, v in small_panel.tables.items() if k != "supply_disruptions"}
    panel = Panel(small_panel.source, tables, small_panel.quarantine, small_panel.results)
    keys = pd.DataFrame({"enterprise_id": ["E1"], "variety_id": ["V2"]})
    labels = pair_labels(panel, keys, panel_months(panel), model_config())
    # the suspension starting 2022-02 is a derived disruption start
    assert _at(labels, "2022-01", enterprise_id="E1", variety_id="V2")["label"] == 1
