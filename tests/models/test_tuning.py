"""shortage tune: folds stay before the holdout and point-in-time; the best values land in configs."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import scramble_future


def test_folds_end_before_the_holdout_and_do_not_overlap():
    from shortage_radar.models.cv import fold_origins

    months = pd.period_range("2019-01", "2025-12", freq="M")
    origins = fold_origins(months, holdout=36, folds=4, fold_months=6)
    assert [str(o) for o in origins] == ["2021-01", "2021-07", "2022-01", "2022-07"]
    assert origins[-1] + 5 == months[-1] - 36  # the last scored month is the last before the holdout


def test_fold_training_rows_were_known_at_the_origin(demo_panel):
    """Scrambling everything after a fold's origin leaves that fold's training table unchanged."""
    from shortage_radar.models.cv import cv_data
    from shortage_radar.models.settings import model_config

    cfg = model_config()
    first = cv_data(demo_panel, cfg, holdout=6, folds=2, fold_months=6)
    origin = first.folds[0].origin
    again = cv_data(scramble_future(demo_panel, origin, seed=3), cfg, holdout=6, folds=2, fold_months=6)
    before, after = first.folds[0].train, again.folds[0].train
    assert len(before) and int(before["label"].sum()) > 0
    assert before["month"].max() <= origin - cfg.horizon
    pd.testing.assert_frame_equal(before.reset_index(drop=True), after.reset_index(drop=True))


def test_policy_thresholds_are_ordered_by_severity():
    from shortage_radar.models.policy import warning_policy
    from shortage_radar.models.tuning import policy_from

    policy = policy_from({"min_risk": 0.1, "blue_ratio": 0.5, "orange_step": 2.0, "red_step": 1.5}, (2, 1),
                         warning_policy())
    risk = {r.level: r.min_risk for r in policy.levels}
    assert risk[1] >= risk[2] >= risk[3] >= risk[4]
    assert {r.level: r.min_impact for r in policy.levels} == {1: 2, 2: 1, 3: 0, 4: 0}


def test_policy_objective_penalises_a_broken_budget():
    from shortage_radar.models.tune_settings import tune_config
    from shortage_radar.models.tuning import policy_objective

    tcfg = tune_config()
    ok = {"coverage": 0.6, "warned_share": tcfg.max_warned_share, "severe_share": 0.3, "red_share": 0.1,
          "severe_precision": 0.5}
    assert policy_objective({**ok, "warned_share": 0.5}, tcfg) < policy_objective(ok, tcfg)
    assert policy_objective({**ok, "coverage": 0.7}, tcfg) > policy_objective(ok, tcfg)


@pytest.fixture(scope="module")
def tuned(demo_panel, tmp_path_factory):
    from shortage_radar.models.config_writer import packaged_config_dir

    folder = tmp_path_factory.mktemp("tune")
    configs = folder / "configs"
    shutil.copytree(packaged_config_dir(), configs, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    uri = f"sqlite:///{folder / 'mlflow.db'}"
    run = subprocess.run([sys.executable, "-m", "shortage_radar", "tune", "--data", str(demo_panel.source),
                          "--trials", "2", "--policy-trials", "4", "--holdout", "12", "--tracking-uri", uri,
                          "--config-dir", str(configs)], capture_output=True, text=True, timeout=900, cwd=folder)
    assert run.returncode == 0, run.stderr
    return uri, configs, run.stdout


def test_tune_writes_valid_configs_that_keep_their_comments(tuned):
    from shortage_radar.config import load_config
    from shortage_radar.models.policy import WarningPolicy
    from shortage_radar.models.settings import ModelConfig

    _, configs, _ = tuned
    model = load_config("model", ModelConfig, config_dir=configs)
    policy = load_config("warning_policy", WarningPolicy, config_dir=configs)
    assert model.lightgbm["deterministic"] is True  # untouched keys stay
    assert sorted(r.level for r in policy.levels) == [1, 2, 3, 4]
    assert policy.fit.mode == "fixed"  # tuned thresholds are used as written, not re-fitted
    assert "# Graded warnings" in (configs / "warning_policy.yaml").read_text()
    assert "# Risk models" in (configs / "model.yaml").read_text()


def test_each_trial_is_a_nested_mlflow_run(tuned):
    import mlflow

    uri, _, _ = tuned
    mlflow.set_tracking_uri(uri)
    runs = mlflow.search_runs(experiment_names=["shortage-radar"])
    parents = runs[runs["tags.mlflow.runName"] == "tune"]
    assert len(parents) == 1
    children = runs[runs["tags.mlflow.parentRunId"] == parents.iloc[0]["run_id"]]
    assert sorted(children["tags.study"].value_counts().items()) == [("lightgbm", 2), ("policy", 4)]
    assert children["metrics.pr_auc"].notna().sum() == 2


def test_tune_fails_in_one_line_when_the_panel_is_too_short(demo_panel, tmp_path: Path):
    run = subprocess.run([sys.executable, "-m", "shortage_radar", "tune", "--data", str(demo_panel.source),
                          "--trials", "1", "--holdout", "60", "--no-write",
                          "--tracking-uri", f"sqlite:///{tmp_path / 'm.db'}"],
                         capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert run.returncode == 1
    assert "too few months" in run.stderr and "Traceback" not in run.stderr
