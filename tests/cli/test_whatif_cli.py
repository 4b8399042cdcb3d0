"""``shortage whatif --suspend`` on an enterprise that alone makes some variety: every one of its varieties is
listed, and its sole-producer varieties' risk rises on average with a level raised."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "serve"))
from serve_helpers import world  # noqa: E402, F401 - fixture

from shortage_radar.cli import app  # noqa: E402
from shortage_radar.contract.panel import read_panel  # noqa: E402
from shortage_radar.models.policy import warning_policy  # noqa: E402
from shortage_radar.models.registry import load_champion, mlflow_config, use_tracking  # noqa: E402
from shortage_radar.models.settings import model_config  # noqa: E402
from shortage_radar.models.whatif import Scenario, run_scenarios  # noqa: E402


def _sole(panel, month: pd.Period) -> pd.DataFrame:
    """(enterprise, variety) pairs where the enterprise is the variety's only producer in the last 12 months."""
    r = panel["monthly_reports"]
    recent = r[(r["month"] <= month) & (r["month"] > month - 12) & (r["production"] > 0)]
    pairs = recent[["enterprise_id", "variety_id"]].astype(str).drop_duplicates()
    counts = pairs["variety_id"].value_counts()
    return pairs[pairs["variety_id"].isin(counts[counts == 1].index)]


def _invoke(*args: str):
    from typer.testing import CliRunner

    return CliRunner().invoke(app, list(args))


@pytest.fixture(scope="module")
def raising(world):  # noqa: F811
    """A sole producer whose suspension raises a level (the library over every sole producer picks it)."""
    panel, month = read_panel(world.panel_dir), world.months[1]
    sole = _sole(panel, month)
    use_tracking(world.tracking_uri)
    model, _ = load_champion(mlflow_config().variety_model)
    result = run_scenarios(panel, month, model, warning_policy(), model_config(),
                           [Scenario("suspend", e, 3) for e in sorted(sole["enterprise_id"].unique())])
    mine = result.merge(sole, left_on=["target", "variety_id"], right_on=["enterprise_id", "variety_id"])
    assert mine["risk_after"].mean() > mine["risk_before"].mean()  # over every sole producer of the panel
    raised = mine[mine["level_after"].replace(0, 9) < mine["level_before"].replace(0, 9)]
    assert len(raised), "no sole producer's suspension raises a level"
    return panel, month, str(raised["target"].iloc[0]), sole


def test_whatif_suspend_lists_every_variety_and_raises_its_sole_ones(world, raising, tmp_path):  # noqa: F811
    panel, month, enterprise, sole = raising
    out = tmp_path / "whatif.csv"
    result = _invoke("whatif", "--data", str(world.panel_dir), "--month", str(month), "--suspend", enterprise,
                     "--out", str(out), "--tracking-uri", world.tracking_uri)
    assert result.exit_code == 0, result.output
    rows = pd.read_csv(out, dtype={"variety_id": str})
    made = panel["monthly_reports"]
    assert set(rows["variety_id"]) == set(made.loc[(made["enterprise_id"] == enterprise)
                                                   & (made["month"] <= month), "variety_id"].astype(str))
    mine = rows[rows["variety_id"].isin(sole.loc[sole["enterprise_id"] == enterprise, "variety_id"])]
    assert len(mine) and mine["risk_after"].mean() > mine["risk_before"].mean()
    assert (mine["level_after"].replace(0, 9) < mine["level_before"].replace(0, 9)).any()


def test_whatif_arguments_are_one_line_errors(world, tmp_path):  # noqa: F811
    month = str(world.months[1])
    both = _invoke("whatif", "--data", str(world.panel_dir), "--month", month, "--suspend", "E1",
                   "--api-shortage", "x", "--out", str(tmp_path / "x.csv"))
    assert both.exit_code == 2
    bad = _invoke("whatif", "--data", str(world.panel_dir), "--month", month, "--demand-surge", "V1",
                  "--out", str(tmp_path / "x.csv"), "--tracking-uri", world.tracking_uri)
    assert bad.exit_code != 0
    unknown = _invoke("whatif", "--data", str(world.panel_dir), "--month", month, "--suspend", "E_NOPE",
                      "--out", str(tmp_path / "x.csv"), "--tracking-uri", world.tracking_uri)
    assert unknown.exit_code == 1 and not (tmp_path / "x.csv").exists()
