"""The report in a real headless Chromium (the Debian package, driven by Playwright): loads offline, no errors,
the ranking has the watchlist's rows, sorting, filters, CSV export, month picker and comparison work, nothing is
clipped at 1280 px with a detail open, a variety opens with its chart and risk trend.

Skips when /usr/bin/chromium is missing, except under CI (env CI set), where it fails: `.ci/run` installs it.
Set ``SHORTAGE_REPORT_SCREENSHOTS=DIR`` to save the screenshots docs/report.md shows (docs/report-*.png).
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pandas as pd
import pytest
from browser_helpers import browser, open_page, screenshot  # noqa: F401 - fixture
from report_helpers import Case, build_case, make_watchlist

def _extend(frame: pd.DataFrame) -> pd.DataFrame:
    """Extension columns as the warning policy writes them (contract v1.1)."""
    return frame.assign(impact=frame["warning_level"].map({0: 0, 4: 1, 3: 2, 2: 3, 1: 4}),
                        level_reason=[f"test reason {i}" for i in range(len(frame))],
                        drivers_zh=[f"测试因素 {i}" for i in range(len(frame))])


def _criticality(panel) -> pd.DataFrame:
    """A supplier criticality table as the what-if library writes it: three pairs, ranked."""
    reports = panel["monthly_reports"]
    pairs = reports[["enterprise_id", "variety_id"]].astype(str).drop_duplicates().head(3)
    return pairs.assign(supplier_rank=[2, 1, 1], risk_before=[0.1, 0.2, 0.3], risk_after=[0.7, 0.8, 0.65],
                        level_before=[4, 0, 3], level_after=[2, 1, 2], newly=[True, True, False])


# A fitted policy as WarningPolicy.summary() gives it: red off, the others with their fitted shares and lifts.
POLICY = {"fitted_on": "inner validation 2024-01..2024-12: 2300 labelled rows, 80 onsets",
          "levels": [{"level": 1, "min_risk": 1.0, "min_impact": 3, "active": False, "share": 0.0, "lift": None},
                     {"level": 2, "min_risk": 0.41, "min_impact": 2, "active": True, "share": 0.012, "lift": 3.1},
                     {"level": 3, "min_risk": 0.1234, "min_impact": 0, "active": True, "share": 0.08, "lift": 1.9},
                     {"level": 4, "min_risk": 0.05, "min_impact": 0, "active": True, "share": 0.2, "lift": 1.2}]}


@pytest.fixture(scope="module")
def case(demo_panel, tmp_path_factory) -> Case:
    # Some varieties without chart; fewer rows per page than varieties, so "show more" is exercised; three months
    # in the stored history (for the month picker and the comparison); extension columns and a supplier
    # criticality table present.
    return build_case(demo_panel, tmp_path_factory.mktemp("report"), detail_top=5, page_rows=25, extend=_extend,
                      months_back=1, criticality=_criticality(demo_panel), policy=POLICY)


@pytest.fixture
def page(browser, case):
    page = open_page(browser, case.path.as_uri())
    yield page
    page.close()


def _ids(page, attr: str = "data-variety") -> list[str]:
    """The ids of the rows shown, after drawing every page."""
    while page.is_visible("#more"):
        page.click("#more")
    return page.eval_on_selector_all("#watchlist tbody tr", f"rows => rows.map(r => r.getAttribute('{attr}'))")


def _varieties(case: Case) -> pd.DataFrame:
    """The onset ranking: variety rows not already in shortage, by rank."""
    rows = case.current[(case.current["entity"] == "variety") & ~case.current["ongoing"]]
    return rows.sort_values("rank")


def test_loads_offline_with_the_watchlist_rows(page, case):
    varieties = _varieties(case)
    assert page.locator("#watchlist tbody tr").count() == 25  # the first page
    assert page.inner_text("#shown") == f"showing 25 of {len(varieties)}"
    assert _ids(page) == varieties["variety_id"].tolist()  # count, order, and the top-ranked one first
    assert page.inner_text("#shown") == f"showing {len(varieties)} of {len(varieties)}"
    assert page.problems == [] and page.requests == []
    assert page.is_hidden("#whatif")  # the offline file has no service to ask


def test_sorting_and_filters(page, case):
    varieties = _varieties(case)
    page.click('#watchlist th[data-key="risk"]')  # risk: highest first
    assert _ids(page) == varieties.sort_values("risk", ascending=False, kind="stable")["variety_id"].tolist()
    page.click('#watchlist th[data-key="risk"]')
    assert _ids(page)[0] == varieties.loc[varieties["risk"].idxmin(), "variety_id"]
    page.click('#watchlist th[data-key="variety_id"]')
    assert _ids(page) == sorted(varieties["variety_id"])

    page.select_option("#level", "1")
    assert sorted(_ids(page)) == sorted(varieties.loc[varieties["warning_level"] == 1, "variety_id"])
    page.select_option("#level", "warned")
    assert len(_ids(page)) == int((varieties["warning_level"] > 0).sum())
    page.select_option("#level", "all")

    target = varieties["variety_id"].iloc[-1]
    page.fill("#filter", target)
    assert _ids(page) == [target]
    page.fill("#filter", "")

    page.check("#entity-enterprise")
    pairs = case.current[case.current["entity"] == "enterprise"].sort_values("rank")
    assert _ids(page, "data-enterprise") == pairs["enterprise_id"].tolist()
    page.select_option("#change", "new")
    shown = len(_ids(page))
    assert 0 < shown < len(pairs)
    assert page.problems == []


def _producer_provinces(panel) -> dict[str, set[str]]:
    ent = panel["enterprises"].set_index("enterprise_id")["province"]
    pairs = panel["monthly_reports"][["variety_id", "enterprise_id"]].drop_duplicates()
    return pairs.assign(p=pairs["enterprise_id"].map(ent)).groupby("variety_id")["p"].agg(set).to_dict()


def test_dropdown_filters_and_a_typed_province(page, case, demo_panel):
    varieties = _varieties(case)
    info = demo_panel["varieties"].set_index("variety_id").loc[varieties["variety_id"]]
    provinces = _producer_provinces(demo_panel)
    province = pd.Series([p for v in varieties["variety_id"] for p in provinces.get(v, ())]).mode().iloc[0]
    in_province = [v for v in varieties["variety_id"] if province in provinces.get(v, ())]
    assert 0 < len(in_province) < len(varieties)
    page.select_option("#f-province", province)
    assert _ids(page) == in_province
    page.select_option("#f-province", "")
    page.fill("#filter", province.lower())  # typing the province finds the same varieties (never 0 rows)
    assert _ids(page) == in_province
    page.fill("#filter", "")

    cls = info["therapeutic_class"].mode().iloc[0]
    page.select_option("#f-class", cls)
    expected_cls = info.index[info["therapeutic_class"] == cls].tolist()
    assert _ids(page) == expected_cls
    page.select_option("#f-essential", "yes")
    both = info.index[(info["therapeutic_class"] == cls) & (info["essential"] == True)].tolist()  # noqa: E712
    assert _ids(page) == both  # filters combine
    screenshot(page, "filters")
    page.click("#reset")
    assert len(_ids(page)) == len(varieties)

    page.select_option("#f-list", "shortage")
    assert _ids(page) == info.index[info["on_shortage_list"].astype(bool)].tolist()
    page.select_option("#f-list", "none")
    none = ~info["on_shortage_list"].astype(bool) & ~info["on_key_monitoring_list"].astype(bool)
    assert _ids(page) == info.index[none].tolist()
    page.click("#reset")
    page.select_option("#f-vbp", "none")
    assert _ids(page) == info.index[info["vbp_batch"].isna()].tolist()
    page.click("#reset")
    form = info["dosage_form"].mode().iloc[0]
    page.select_option("#f-form", form)
    assert _ids(page) == info.index[info["dosage_form"] == form].tolist()
    top = _ids(page)[0]
    name = page.inner_text(f'#watchlist tbody tr[data-variety="{top}"] td.c-name')
    assert name == f"{info.at[top, 'generic_name']} ({form})"  # names carry their dosage form
    assert page.problems == []


def test_csv_export_is_the_filtered_table(page, case):
    varieties = _varieties(case)
    page.select_option("#level", "warned")
    with page.expect_download() as info:
        page.click("#export")
    download = info.value
    assert download.suggested_filename == f"watchlist-{case.month}-variety.csv"
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    warned = varieties[varieties["warning_level"] > 0]
    assert [r["variety_id"] for r in rows] == warned["variety_id"].tolist()  # every matching row, not one page
    assert [float(r["risk"]) for r in rows] == warned["risk"].tolist()
    assert [r["drivers"] for r in rows] == warned["drivers"].tolist()
    assert [r["level_reason"] for r in rows] == warned["level_reason"].tolist()
    assert page.problems == [] and page.requests == []


def test_month_picker_shows_a_stored_month(page, case):
    months = [str(case.month), str(case.month - 1), str(case.month - 2)]
    assert page.eval_on_selector_all("#month-pick option", "o => o.map(x => x.value)") == months
    page.select_option("#month-pick", str(case.month - 1))
    previous = case.previous[case.previous["entity"] == "variety"].sort_values("rank")
    assert _ids(page) == previous["variety_id"].tolist()  # last month's ranking, from the stored run
    assert str(case.month - 1) in page.inner_text("#snapshot")
    assert page.is_disabled("#entity-enterprise")
    page.select_option("#month-pick", str(case.month))
    assert _ids(page) == _varieties(case)["variety_id"].tolist()
    assert page.problems == []


SEVERITY = {0: 0, 4: 1, 3: 2, 2: 3, 1: 4}


def _expected_changes(a: pd.DataFrame, b: pd.DataFrame) -> dict[str, str]:
    a = a[a["entity"] == "variety"].set_index("variety_id")["warning_level"].map(SEVERITY)
    b = b[b["entity"] == "variety"].set_index("variety_id")["warning_level"].map(SEVERITY)
    both = pd.concat([a.rename("a"), b.rename("b")], axis=1).fillna(0)
    kinds = {}
    for vid, (x, y) in both.iterrows():
        if y > 0 and x == 0:
            kinds[vid] = "new"
        elif y == 0 and x > 0:
            kinds[vid] = "resolved"
        elif y != x:
            kinds[vid] = "up" if y > x else "down"
    return kinds


def test_comparing_two_months(page, case, demo_panel):
    page.click('#views button[data-view="compare"]')
    first = make_watchlist(demo_panel, case.month - 2, seed=3)  # what build_case stored for month - 2
    page.select_option("#cmp-a", str(case.month - 2))
    page.select_option("#cmp-b", str(case.month))
    shown = dict(page.eval_on_selector_all("#compare-table tbody tr",
                                           "rows => rows.map(r => [r.dataset.variety, r.dataset.kind])"))
    expected = _expected_changes(first, case.current)
    assert shown == expected and set(expected.values()) >= {"new", "resolved"}
    summary = page.inner_text("#cmp-summary")
    for kind in ("new", "up", "down", "resolved"):
        assert f"{sum(k == kind for k in expected.values())} {kind}" in summary
    screenshot(page, "compare")
    page.select_option("#cmp-a", str(case.month - 1))
    assert len(page.locator("#compare-table tbody tr").all()) == len(_expected_changes(case.previous, case.current))
    assert page.problems == []


def test_in_shortage_now_is_apart_from_the_ranking(page, case):
    ongoing = case.current[(case.current["entity"] == "variety") & case.current["ongoing"]].sort_values("rank")
    assert not set(ongoing["variety_id"]) & set(_ids(page))
    assert f"{len(ongoing)} varieties already in shortage" in page.inner_text("#ongoing-note")
    page.click('#views button[data-view="shortage"]')
    shown = page.eval_on_selector_all("#shortage-table tbody tr", "rows => rows.map(r => r.dataset.variety)")
    assert shown == ongoing["variety_id"].tolist()
    assert "Why this level" in page.inner_text("#shortage-table thead")
    assert page.problems == []


def test_opening_a_variety_draws_its_chart_trend_and_reason(page, case):
    top = _varieties(case)["variety_id"].iloc[0]
    page.click(f'#watchlist a.open[data-open="variety"][data-id="{top}"]')
    page.wait_for_selector(f'#chart.js-plotly-plot[data-variety="{top}"]')
    page.wait_for_selector(f'#trend.js-plotly-plot[data-variety="{top}"]')
    assert page.evaluate("document.getElementById('chart').data.length") >= 3
    assert page.locator("#chart .scatterlayer .trace").count() >= 3
    trend = page.evaluate("document.getElementById('trend').data[0]")
    risk = case.current.loc[(case.current["entity"] == "variety") & (case.current["variety_id"] == top), "risk"]
    assert trend["x"] == [str(case.month - 2), str(case.month - 1), str(case.month)]
    assert trend["y"][-1] == pytest.approx(float(risk.iloc[0]), abs=1e-4)
    assert top in page.inner_text("#detail-head")
    row = case.current[(case.current["entity"] == "variety") & (case.current["variety_id"] == top)].iloc[0]
    assert row["level_reason"] in page.inner_text("#detail-head")
    assert row["drivers"].split(";")[0] in page.inner_text("#detail-body")
    page.select_option("#lang", "zh")
    assert row["drivers_zh"] in page.inner_text("#detail-body")  # the user's language
    shot = os.environ.get("SHORTAGE_REPORT_SCREENSHOT")
    if shot:  # docs/report.md: how docs/report.png was made
        page.screenshot(path=shot)
    assert page.problems == [] and page.requests == []


def test_nothing_is_clipped_at_1280_with_a_detail_open(browser, case):
    page = open_page(browser, case.path.as_uri(), width=1280, height=800)
    try:
        for entity in ("variety", "enterprise"):
            page.check(f"#entity-{entity}")
            first = page.get_attribute("#watchlist tbody tr:first-child a.open", "data-id")
            page.click(f'#watchlist tbody tr:first-child a.open[data-id="{first}"]')
            page.wait_for_selector("#detail:not([hidden])")
            fits = page.evaluate("""() => { const w = document.getElementById('table-wrap');
                return [w.scrollWidth, w.clientWidth]; }""")
            assert fits[0] <= fits[1], f"{entity}: the table needs {fits[0]} px in {fits[1]}"
            for key in ("level", "change", "risk"):
                box = page.locator(f"#watchlist thead th.c-{key}").bounding_box()
                wrap = page.locator("#table-wrap").bounding_box()
                assert box["x"] >= wrap["x"] and box["x"] + box["width"] <= wrap["x"] + wrap["width"] + 0.5
            if entity == "variety":
                screenshot(page, "detail-1280")
        assert page.problems == []
    finally:
        page.close()


def test_a_variety_without_chart_and_an_enterprise_view(page, case):
    varieties = _varieties(case)
    last = varieties["variety_id"].iloc[-1]
    _ids(page)  # the last variety is on the second page
    page.click(f'#watchlist a.open[data-open="variety"][data-id="{last}"]')
    assert "No chart in this file" in page.inner_text("#chart")

    pairs = case.current[case.current["entity"] == "enterprise"]
    enterprise = pairs.sort_values("rank")["enterprise_id"].iloc[0]
    page.check("#entity-enterprise")
    page.click(f'#watchlist a.open[data-open="enterprise"][data-id="{enterprise}"]')
    rows = page.locator("#detail-body tbody tr").count()
    assert rows == int((pairs["enterprise_id"] == enterprise).sum())
    assert page.locator("#chart .js-plotly-plot, #chart.js-plotly-plot svg").count() == 0
    assert page.problems == [] and page.requests == []


def test_a_chinese_browser_gets_the_chinese_drivers(browser, case):
    page = open_page(browser, case.path.as_uri(), locale="zh-CN")
    try:
        top = _varieties(case).iloc[0]
        assert page.input_value("#lang") == "zh"
        assert page.inner_text(f'#watchlist tbody tr[data-variety="{top["variety_id"]}"] td.c-drivers') == top[
            "drivers_zh"]
        page.select_option("#lang", "en")
        assert page.inner_text(f'#watchlist tbody tr[data-variety="{top["variety_id"]}"] td.c-drivers') == top[
            "drivers"]
        assert page.problems == []
    finally:
        page.close()


def test_single_points_of_failure_when_the_table_is_given(page, demo_panel):
    table = _criticality(demo_panel).sort_values(["supplier_rank", "risk_after"], ascending=[True, False])
    page.click('#views button[data-view="critical"]')
    shown = page.eval_on_selector_all("#critical-table tbody tr",
                                      "rows => rows.map(r => [r.dataset.enterprise, r.dataset.variety])")
    assert shown == table[["enterprise_id", "variety_id"]].values.tolist()
    first = page.inner_text("#critical-table tbody tr:first-child")
    assert "0.200 → 0.800" in first and "new 新增" in first
    assert page.problems == []


def test_the_warning_policy_in_force_is_shown(page):
    assert page.is_hidden("#policy-body")
    page.click("#policy summary")
    assert page.inner_text("#policy-basis") == POLICY["fitted_on"]
    cells = page.eval_on_selector_all("#policy-body tbody tr", "rows => rows.map(r => r.innerText)")
    assert len(cells) == 4
    assert "off" in cells[0] and "risk ≥ 0.4100" in cells[1] and "1.2%" in cells[1] and "3.10x" in cells[1]
    assert "risk ≥ 0.1234" in cells[2] and "8.0%" in cells[2]
    assert page.problems == []
