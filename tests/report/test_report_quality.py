"""The report's data-quality section: the month's audit per province, per enterprise and finding by finding."""

from __future__ import annotations

import pytest
from report_helpers import Case, build_case, report_data

from shortage_radar.audit import audit, province_summary
from shortage_radar.report.quality import render_section


@pytest.fixture(scope="module")
def case(demo_panel, tmp_path_factory) -> Case:
    return build_case(demo_panel, tmp_path_factory.mktemp("report"))


def test_the_report_carries_the_months_audit(case, demo_panel):
    data = report_data(case.path)["audit"]
    found = audit(demo_panel, case.month)
    assert data["month"] == str(case.month) and data["total"] == len(found)
    assert [p["province"] for p in data["provinces"]] == province_summary(demo_panel, case.month, found)[
        "province"].tolist()
    assert len(data["findings"]) == min(len(found), data["shown"])
    html = case.path.read_text(encoding="utf-8")
    assert '<section id="data-quality">' in html and "Per province" in html and "Per enterprise" in html


def test_the_section_escapes_what_it_shows():
    data = {"month": "2024-01", "total": 1, "shown": 1, "by_check": {"stock_flow": 1}, "enterprises": [],
            "provinces": [{"province": "<b>X</b>", "monitored_pairs": 1}],
            "findings": [{"severity": "high", "check": "stock_flow", "province": "<script>", "enterprise_id": "E1",
                          "variety_id": "V1", "detail": "a & b"}]}
    html = render_section(data)
    assert "<script>" not in html and "&lt;script&gt;" in html and "a &amp; b" in html and 'class="high"' in html
    assert render_section(None) == ""
