"""Done-when of issue 19: each check finds >= 90% of faults placed where the test knows, and on the
untouched pairs stock_flow and implausible_value flag <= 1% of the month's reports."""

from __future__ import annotations

import pytest

from audit_helpers import audit_months, faulty_panel, found
from shortage_radar.audit import CHECKS

PER_CHECK = 20
MIN_RECALL = 0.9
MAX_FALSE_SHARE = 0.01


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    panel, manifest = faulty_panel(tmp_path_factory.mktemp("faulty"), per_check=PER_CHECK, seed=19)
    return panel, manifest, audit_months(panel, manifest["month"])


def test_every_check_has_its_faults(audited):
    _, manifest, _ = audited
    assert manifest["check"].value_counts().reindex(list(CHECKS), fill_value=0).min() >= PER_CHECK


@pytest.mark.parametrize("check", CHECKS)
def test_each_check_finds_its_faults(audited, check):
    _, manifest, findings = audited
    mine = manifest["check"] == check
    recall = found(manifest[mine], findings).mean()
    assert recall >= MIN_RECALL, f"{check}: found {recall:.0%} of {mine.sum()} injected faults"


@pytest.mark.parametrize("check", ["stock_flow", "implausible_value"])
def test_clean_pairs_are_rarely_flagged(audited, check):
    panel, manifest, findings = audited
    touched = set(zip(manifest["enterprise_id"], manifest["variety_id"], strict=True))
    on_pairs = findings[(findings["check"] == check) & findings["enterprise_id"].notna()]
    false = on_pairs[[(e, v) not in touched for e, v in zip(on_pairs["enterprise_id"], on_pairs["variety_id"],
                                                            strict=True)]]
    reports = panel["monthly_reports"]["month"].astype(str).value_counts()
    months = sorted(set(manifest["month"]))
    share = false.groupby("month").size().reindex(months, fill_value=0) / reports.reindex(months)
    assert share.max() <= MAX_FALSE_SHARE, share.sort_values().tail(3).to_dict()


def test_missing_faults_would_be_missed_without_the_check(audited):
    """Guard: the matching is not vacuous (a finding of another check never counts)."""
    _, manifest, findings = audited
    other = findings.assign(check=findings["check"].map({"missing_report": "late_report"}).fillna("x"))
    assert not found(manifest[manifest["check"] == "missing_report"], other).any()
