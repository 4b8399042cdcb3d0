"""Collection gaps: months no table observed are unknown, not quiet; short panels still calibrate."""

from __future__ import annotations

import numpy as np
import pandas as pd

from shortage_radar.contract.panel import Panel
from shortage_radar.features.grid import panel_months
from shortage_radar.models.coverage import unobserved_months, window_unobserved
from shortage_radar.models.labels import variety_labels
from shortage_radar.models.risk import _split
from shortage_radar.models.settings import model_config


def _panel(months: list[str]) -> Panel:
    """One event per listed month (a variety each), so exactly those months have dated rows."""
    ids = [f"V{i}" for i in range(len(months))]
    events = pd.DataFrame({"variety_id": ids, "start_month": pd.PeriodIndex(months, freq="M"),
                           "end_month": pd.PeriodIndex(months, freq="M")})
    varieties = pd.DataFrame({"variety_id": ids})
    return Panel(source=None, tables={"varieties": varieties, "shortage_events": events}, quarantine=pd.DataFrame(),
                 results={})


def test_a_long_empty_run_is_a_gap_and_the_month_after_it_warms_up():
    panel = _panel(["2020-01", "2020-02", "2020-03", "2020-08", "2020-09", "2020-10"])
    months = panel_months(panel)
    gap = unobserved_months(panel, months, gap_months=3, warmup_months=1)
    assert [str(m) for m in months[gap]] == ["2020-04", "2020-05", "2020-06", "2020-07", "2020-08"]
    assert not unobserved_months(panel, months, gap_months=5, warmup_months=1).any()  # 4 empty months: quiet
    assert not unobserved_months(panel, months, gap_months=0, warmup_months=1).any()  # off


def test_labels_touching_a_gap_are_censored():
    panel = _panel(["2020-01", "2020-02", "2020-03", "2020-04", "2020-05", "2020-09", "2020-10", "2020-11",
                    "2020-12", "2021-01", "2021-02"])  # gap Jun..Aug, warm-up Sep
    labels = variety_labels(panel, panel_months(panel), model_config())
    censored = labels.groupby(labels["month"].astype(str))["censored"].all()
    assert not censored["2020-02"]  # t+1..t+3 = Mar..May, all observed
    assert censored["2020-03"] and censored["2020-07"] and censored["2020-09"]  # Jun in the horizon; gap; warm-up
    assert not censored["2020-10"]


def test_window_unobserved_looks_at_t_and_the_horizon():
    gap = np.array([False, False, False, True, False, False])
    assert window_unobserved(gap, 2).tolist() == [False, True, True, True, False, False]


def test_short_histories_keep_most_months_for_the_booster():
    cfg = model_config()
    fit, calib = _split(_rows(pd.period_range("2014-01", periods=10, freq="M")), cfg)
    assert calib["month"].nunique() == int(cfg.calibration_max_share * 10)
    long = _rows(pd.period_range("2014-01", periods=48, freq="M"))
    assert _split(long, cfg)[1]["month"].nunique() == cfg.calibration_months


def _rows(months: pd.PeriodIndex, positives_per_month: int = 5) -> pd.DataFrame:
    return pd.DataFrame({"month": months.repeat(10),
                         "label": np.tile([1] * positives_per_month + [0] * (10 - positives_per_month), len(months))})


def test_too_few_positives_to_calibrate_on_means_no_calibration():
    cfg = model_config()
    rows = _rows(pd.period_range("2014-01", periods=48, freq="M"), positives_per_month=0)
    rows.loc[rows.index[:20], "label"] = 1  # positives only in the oldest months
    fit, calib = _split(rows, cfg)
    assert calib.empty and len(fit) == len(rows)


def test_parts_of_a_panel_find_the_whole_panels_gaps():
    """A partition alone sees gaps the whole panel does not have; given the whole panel's dated counts
    (the Dask engine sums them over partitions) its labels are censored as in the whole panel."""
    from shortage_radar.models.coverage import combine_dated, dated_counts

    panel = _panel(["2020-01", "2020-02", "2020-03", "2020-04", "2020-05", "2020-09", "2020-10", "2020-11",
                    "2020-12", "2021-01", "2021-02"])
    months = panel_months(panel)
    halves = [{"V0", "V1", "V2", "V3", "V4"}, {"V5", "V6", "V7", "V8", "V9", "V10"}]
    parts = [Panel(source=None, tables={n: f[f["variety_id"].isin(ids)].reset_index(drop=True)
                                        for n, f in panel.tables.items()}, quarantine=pd.DataFrame(), results={})
             for ids in halves]
    dated = combine_dated([dated_counts(p) for p in parts])
    pd.testing.assert_series_equal(dated, dated_counts(panel))
    cfg = model_config()
    whole = variety_labels(panel, months, cfg).set_index(["variety_id", "month"])["censored"]
    alone = pd.concat([variety_labels(p, months, cfg) for p in parts]).set_index(["variety_id", "month"])["censored"]
    given = pd.concat([variety_labels(p, months, cfg, dated) for p in parts])
    assert (alone.reindex(whole.index) != whole).any()  # the first half alone thinks Jun..Feb is a gap
    pd.testing.assert_series_equal(given.set_index(["variety_id", "month"])["censored"].reindex(whole.index), whole)
