"""openFDA shortage list -> contract panel: clean, discontinuations are not shortages, posting = known."""

from __future__ import annotations

import pandas as pd

from importer_helpers import openfda_folder  # noqa: F401 (fixtures)
from shortage_radar.contract.panel import read_panel
from shortage_radar.importers.build import import_openfda
from shortage_radar.importers.openfda import openfda_reports
from shortage_radar.importers.settings import real_data_config

CFG = real_data_config()


def test_openfda_panel_validates_clean(openfda_folder, tmp_path):
    summary = import_openfda(openfda_folder, tmp_path / "panel")
    panel = read_panel(tmp_path / "panel")
    assert len(panel.quarantine) == 0
    assert summary["tables"]["varieties"] == len(panel["varieties"]) > 100
    assert summary["observed_until"] == "2026-05"  # the snapshot of 2026-06-19: June is partial


def test_openfda_mapping(openfda_folder):
    reports, _, reference = openfda_reports(openfda_folder, CFG)
    stopping = reports["kind"] == "discontinuation"
    assert stopping.any() and (reports.loc[stopping, "reason"] == "discontinued").all()
    assert reports.loc[stopping, "event_start"].isna().all()  # to be discontinued is not a shortage
    shortages = reports[~stopping]
    assert (shortages["event_start"] == shortages["reported"]).all()  # public from the posting month
    assert (shortages["dosage_form"] == CFG.names.injection_form).mean() > 0.3
    assert reference["therapeutic_class"].notna().all()
    assert not reports.duplicated("report_id").any()


def test_openfda_reports_posted_after_the_snapshot_month_are_left_out(openfda_folder):
    reports, summary, _ = openfda_reports(openfda_folder, CFG)
    assert (reports["reported"] <= pd.Period(summary["observed_until"], freq="M")).all()
    assert summary["dropped"]["posted_after_coverage"] > 0
