"""Drug Shortages Canada -> contract panel: mapping, merged duplicates, point in time, reproducibility."""

from __future__ import annotations

import pandas as pd

from importer_helpers import canada_panel, canada_slice  # noqa: F401 (fixtures)
from shortage_radar.importers.canada import canada_reports
from shortage_radar.importers.reports import map_reasons
from shortage_radar.importers.settings import real_data_config

CFG = real_data_config()


def _reports(folders):
    reports, summary, _ = canada_reports(folders, CFG)
    return reports, summary


def _month(text: str) -> pd.Period:
    return pd.Period(text, freq="M")


def test_panel_validates_clean(canada_panel):
    assert len(canada_panel.quarantine) == 0
    assert {"varieties", "enterprises", "suspensions", "shortage_events", "supply_disruptions"} <= set(
        canada_panel.tables)
    assert (canada_panel["enterprises"]["province"] == CFG.province).all()
    assert not canada_panel["varieties"]["on_shortage_list"].any()  # no list plays that part in Canada


def test_reasons_map_onto_contract_categories():
    text = pd.Series(["Shortage of an active ingredient.", "Requirements related to complying with good "
                      "manufacturing practices.", "Disruption of the manufacture of the drug.",
                      "Demand increase for the drug.", "something new", None])
    assert map_reasons(text, CFG).tolist() == ["api_shortage", "quality_gmp", "equipment", "other", "other",
                                               "other"]


def test_a_report_with_a_typo_in_its_start(canada_slice):
    """Report 28240: B. Braun sodium chloride irrigation, GMP, start typed 0201-11-03, posted 2017-11-06."""
    reports, _ = _reports(canada_slice)
    row = reports[reports["report_id"] == "28240"].iloc[0]
    assert (row["enterprise_id"], row["variety_id"]) == ("B BRAUN MEDICAL", "CHLORIDE SODIUM|SOLUTION")
    assert row["reason"] == "quality_gmp"
    assert row["reported"] == row["event_start"] == _month("2017-11")  # the typo reads as missing


def test_an_amended_report_is_one_report_with_its_first_estimate(canada_slice):
    """Report 10100 is in both exports and the history; its estimated end moved from April to May 2018."""
    reports, summary = _reports(canada_slice)
    assert (reports["report_id"] == "10100").sum() == 1
    assert reports.loc[reports["report_id"] == "10100", "expected_end"].iloc[0] == _month("2018-04")
    assert summary["dsc"]["reports_in_several_exports"] > 0


def test_package_sizes_of_one_product_are_one_suspension(canada_panel):
    s = canada_panel["suspensions"]
    assert not s.duplicated(["enterprise_id", "variety_id", "start_month"]).any()
    events = canada_panel["shortage_events"].sort_values(["variety_id", "start_month"])
    ends = events.groupby("variety_id")["end_month"].shift(1)
    assert not (events["start_month"] <= ends + 1).any()  # overlapping reports are one episode


def test_nothing_is_known_before_it_was_posted(canada_slice, canada_panel):
    reports, _ = _reports(canada_slice)
    assert (reports["event_start"].dropna() >= reports.loc[reports["event_start"].notna(), "reported"]).all()
    s = canada_panel["suspensions"]
    assert (s["reported_month"] <= s["start_month"]).all()  # so no late_report quarantine either


def test_migrated_shortages_start_when_they_were_filed(canada_slice):
    """Mandatory reporting began in March 2017 and old shortages were filed then: public from then."""
    reports, _ = _reports(canada_slice)
    march = reports[(reports["source"] == "dsc") & (reports["reported"] == _month("2017-03"))
                    & reports["event_start"].notna()]
    assert len(march) and (march["event_start"] >= _month("2017-03")).all()


def test_back_dated_start_and_end_count_from_the_snapshot_that_showed_them(canada_slice):
    reports, _ = _reports(canada_slice)
    by_id = reports.set_index("report_id")
    # 19341 (spiramycin): actual start 2018-01-31, first shown as started in February
    assert by_id.loc["19341", "event_start"] == _month("2018-02")
    # 13115 (nifedipine ER): ended 2017-07-17, but still shown open until December 2017
    assert by_id.loc["13115", "end"] == _month("2017-12")


def test_open_reports_of_a_source_that_stops_close_when_it_stops(canada_slice):
    from shortage_radar.importers.panel import close_unseen

    reports, _ = _reports(canada_slice)
    closed = close_unseen(reports, reports["observed_until"].max())
    voluntary = reports["source"] == "voluntary"
    still_open = voluntary & reports["end"].isna()
    assert still_open.any() and (closed.loc[still_open, "end"] == _month("2016-04")).all()  # coverage ends 2016-03
    dsc_open = ~voluntary & reports["end"].isna()
    assert closed.loc[dsc_open, "end"].isna().all()  # the last source: still open at the panel's end


def test_the_gap_between_the_eras_is_censored(canada_panel):
    from shortage_radar.features.grid import panel_months
    from shortage_radar.models.labels import variety_labels
    from shortage_radar.models.settings import model_config

    months = panel_months(canada_panel)
    labels = variety_labels(canada_panel, months, model_config())
    censored = labels.groupby("month")["censored"].all()
    assert censored[_month("2016-06")] and censored[_month("2017-03")]  # in the gap; the launch month
    assert not censored[_month("2015-06")] and not censored[_month("2017-06")]
