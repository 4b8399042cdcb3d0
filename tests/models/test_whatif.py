"""What-if: batched scenarios equal a full rebuild of the changed panel; a sole producer's suspension raises risk."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from shortage_radar.contract.panel import Panel
from shortage_radar.errors import ArgumentError
from shortage_radar.models.monthly import score_month
from shortage_radar.models.policy import warning_policy
from shortage_radar.models.settings import model_config
from shortage_radar.models.train import train_models
from shortage_radar.models.whatif import Scenario, run_scenarios, supplier_criticality, what_if, whatif_config


@pytest.fixture(scope="module")
def world(demo_panel):
    cfg, policy = model_config(), warning_policy()
    # the configured levels as written: on this 40-variety panel a fitted policy opens no orange or red level
    policy = policy.model_copy(update={"fit": policy.fit.model_copy(update={"mode": "fixed"})})
    month = demo_panel["monthly_reports"]["month"].max()
    trained = train_models(demo_panel, month - 1, cfg, policy, backtest_months=0)
    return demo_panel, month, trained.variety, policy, cfg


def _producers(panel: Panel, month: pd.Period) -> pd.DataFrame:
    reports = panel["monthly_reports"]
    recent = reports[(reports["month"] <= month) & (reports["month"] > month - 12)]
    return recent[["enterprise_id", "variety_id"]].astype(str).drop_duplicates()


def _changed_panel(panel: Panel, month: pd.Period, s: Scenario) -> Panel:
    """The whole panel with the scenario applied the plain way (the oracle)."""
    tables = dict(panel.tables)
    reports = tables["monthly_reports"].copy()
    at = reports["month"] == month
    if s.kind == "suspend":
        pairs = reports.loc[reports["enterprise_id"].astype(str) == s.target, ["enterprise_id", "variety_id"]]
        pairs = pairs.drop_duplicates()
        old = tables["suspensions"]
        added = pd.DataFrame({"enterprise_id": pairs["enterprise_id"].to_numpy(),
                              "variety_id": pairs["variety_id"].to_numpy(), "start_month": month,
                              "reported_month": month, "expected_end_month": month + s.months,
                              "actual_end_month": pd.NaT, "reason": whatif_config().suspension_reason})
        tables["suspensions"] = pd.concat([old, added.astype(old.dtypes.to_dict())], ignore_index=True) \
            .drop_duplicates(["enterprise_id", "variety_id", "start_month"])
    elif s.kind == "api_shortage":
        ids = panel["varieties"].loc[panel["varieties"]["generic_name"] == s.target, "variety_id"]
        reports.loc[at & reports["variety_id"].isin(ids), "api_stock_months"] = whatif_config().api_shortage_months
    else:
        hit = at & (reports["variety_id"].astype(str) == s.target)
        extra = reports.loc[hit, "sales"] * s.pct / 100
        reports.loc[hit, "sales"] += extra
        reports.loc[hit, "inventory"] = (reports.loc[hit, "inventory"] - extra).clip(lower=0)
        buys = tables["procurement"].copy()
        buys.loc[(buys["month"] == month) & (buys["variety_id"].astype(str) == s.target),
                 "purchase_volume"] *= 1 + s.pct / 100
        tables["procurement"] = buys
    tables["monthly_reports"] = reports
    return Panel(source=panel.source, tables=tables, quarantine=panel.quarantine, results=panel.results)


def test_batched_scenarios_equal_a_full_rebuild(world):
    panel, month, model, policy, cfg = world
    producers = _producers(panel, month)
    busiest = producers["enterprise_id"].value_counts().index[0]
    name = str(panel["varieties"]["generic_name"].iloc[0])
    variety = str(panel["varieties"]["variety_id"].iloc[1])
    scenarios = [Scenario("suspend", busiest, 3), Scenario("api_shortage", name),
                 Scenario("demand_surge", variety, pct=80.0)]
    batched = run_scenarios(panel, month, model, policy, cfg, scenarios)
    plain = score_month(panel, month, model, None, policy, cfg).set_index("variety_id")
    for s in scenarios:
        got = batched[batched["target"] == s.target].set_index("variety_id")
        oracle = score_month(_changed_panel(panel, month, s), month, model, None, policy, cfg).set_index("variety_id")
        assert len(got) > 0
        np.testing.assert_allclose(got["risk_after"], oracle.loc[got.index, "risk"], atol=1e-9)
        np.testing.assert_allclose(got["risk_before"], plain.loc[got.index, "risk"], atol=1e-9)
        assert (got["level_after"] == oracle.loc[got.index, "warning_level"]).all()
        assert (got["drivers_after"] == oracle.loc[got.index, "drivers"]).all()


def test_suspending_sole_producers_lists_their_varieties_and_raises_risk(world):
    panel, month, model, policy, cfg = world
    producers = _producers(panel, month)
    counts = producers["variety_id"].value_counts()
    sole = producers[producers["variety_id"].isin(counts[counts == 1].index)]
    enterprises = sorted(sole["enterprise_id"].unique())
    result = run_scenarios(panel, month, model, policy, cfg, [Scenario("suspend", e, 3) for e in enterprises])
    made = panel["monthly_reports"].loc[panel["monthly_reports"]["month"] <= month]
    for e in enterprises:
        assert set(result.loc[result["target"] == e, "variety_id"]) == set(
            made.loc[made["enterprise_id"] == e, "variety_id"].astype(str))
    mine = result.merge(sole, left_on=["target", "variety_id"], right_on=["enterprise_id", "variety_id"])
    assert mine["risk_after"].mean() > mine["risk_before"].mean()
    severity = {0: 9}
    assert (mine["level_after"].replace(severity) < mine["level_before"].replace(severity)).any()


def test_one_scenario_sorted_by_rise_and_bad_targets_are_one_line_errors(world):
    panel, month, model, policy, cfg = world
    e = str(panel["monthly_reports"]["enterprise_id"].iloc[0])
    out = what_if(panel, month, model, policy, cfg, Scenario("suspend", e, 3))
    rise = (out["risk_after"] - out["risk_before"]).to_numpy()
    assert (np.diff(rise) <= 1e-12).all()
    assert {"variety_id", "generic_name", "risk_before", "risk_after", "level_before", "level_after",
            "drivers_after"} <= set(out.columns)
    with pytest.raises(ArgumentError, match="E_NONE"):
        what_if(panel, month, model, policy, cfg, Scenario("suspend", "E_NONE", 3))
    with pytest.raises(ArgumentError, match="outside the panel"):
        what_if(panel, pd.Period("1900-01", freq="M"), model, policy, cfg, Scenario("suspend", e, 3))
    with pytest.raises(ArgumentError, match="above -100"):
        what_if(panel, month, model, policy, cfg, Scenario("demand_surge", "V0001", pct=-100))


def test_supplier_criticality_ranks_enterprises_by_varieties_turned_orange_or_red(world):
    panel, month, model, policy, cfg = world
    table = supplier_criticality(panel, month, model, policy, cfg)
    assert len(table) > 0 and table["level_after"].isin([1, 2]).all()
    ranks = table.groupby("enterprise_id")["supplier_rank"].first().sort_values()
    newly = table.groupby("enterprise_id")["newly"].sum().loc[ranks.index]
    assert (np.diff(newly.to_numpy()) <= 0).all()
