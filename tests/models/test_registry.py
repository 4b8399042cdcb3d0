"""train -> MLflow run + registered models with aliases -> score from the champion (sqlite tracking)."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest


@pytest.fixture(scope="module")
def tracked(demo_panel, tmp_path_factory):
    folder = tmp_path_factory.mktemp("mlflow")
    uri = f"sqlite:///{folder / 'mlflow.db'}"
    run = subprocess.run([sys.executable, "-m", "shortage_radar", "train", "--data", str(demo_panel.source),
                          "--tracking-uri", uri], capture_output=True, text=True, timeout=900, cwd=folder)
    assert run.returncode == 0, run.stderr
    return uri, folder


def test_run_models_and_aliases_are_recorded(tracked):
    import mlflow
    from mlflow import MlflowClient

    uri, _ = tracked
    mlflow.set_tracking_uri(uri)
    client = MlflowClient()
    champion = client.get_model_version_by_alias("shortage-variety", "champion")
    assert str(champion.version) == "1"
    runs = mlflow.search_runs(experiment_names=["shortage-radar"])
    assert len(runs) == 1
    assert "metrics.variety_pr_auc" in runs.columns
    artifacts = {a.path for a in client.list_artifacts(runs.iloc[0]["run_id"])}
    assert {"feature_importance.csv", "backtest_metrics.json", "guard.json"} <= artifacts
    run = runs.iloc[0]
    assert run["params.variety_blend_winner"] in {"model", "blend", "history", "stock_rule", "recency",
                                                  "ingredient_history", "class_history"}
    assert 0 <= run["metrics.variety_inner_model_pr_auc"] <= 1
    baselines = [run[c] for c in runs.columns if c.startswith("metrics.variety_inner_baseline_")]
    if run["params.variety_blend_winner"] != "fallback":   # the guarantee (a fallback is the prior instead)
        assert baselines and run["metrics.variety_inner_chosen_pr_auc"] >= max(baselines) - 1e-9
    if run["params.variety_blend_for_warnings"] == "False":   # ranking alone chose: the model unless beaten
        assert run["metrics.variety_inner_chosen_pr_auc"] >= run["metrics.variety_inner_model_pr_auc"]
    assert "inner validation" in run["params.variety_policy_fitted_on"]
    yellow = run["params.variety_policy_level3_min_risk"]
    assert yellow == "off" or 0 < float(yellow) <= 1


def test_the_registered_model_carries_its_fitted_policy(tracked):
    from shortage_radar.models.registry import load_champion, use_tracking

    uri, _ = tracked
    use_tracking(uri)
    model, _ = load_champion("shortage-variety")
    assert model.policy is not None and model.policy.fitted_on.startswith("inner validation")
    assert model.blend is not None and "winner" in model.blend.inner


def test_a_worse_model_becomes_challenger(tracked, demo_panel):
    import mlflow

    from shortage_radar.models.registry import load_champion, log_and_register, use_tracking

    uri, _ = tracked
    use_tracking(uri)
    model, _ = load_champion("shortage-variety")
    sample = demo_panel["varieties"].assign(**{f: 0.0 for f in model.features})
    with mlflow.start_run():
        worse = log_and_register("shortage-variety", model, sample, pr_auc=-1.0)
    assert worse.alias == "challenger"
    with mlflow.start_run():
        better = log_and_register("shortage-variety", model, sample, pr_auc=1.0)
    assert better.alias == "champion"
    assert load_champion("shortage-variety")[1] == better.version


def test_score_writes_the_same_watchlist_twice(tracked, demo_panel):
    uri, folder = tracked
    month = str(demo_panel["monthly_reports"]["month"].max())
    outputs = []
    for name in ("a.csv", "b.csv"):
        run = subprocess.run([sys.executable, "-m", "shortage_radar", "score", "--data", str(demo_panel.source),
                              "--month", month, "--out", str(folder / name), "--tracking-uri", uri],
                             capture_output=True, text=True, timeout=600, cwd=folder)  # its workspace: folder
        assert run.returncode == 0, run.stderr
        outputs.append((folder / name).read_bytes())
    assert outputs[0] == outputs[1]
    watch = pd.read_csv(folder / "a.csv", keep_default_na=False)
    assert set(watch["entity"]) == {"variety", "enterprise"}
    assert (watch["month"] == month).all()


def test_score_without_a_model_says_so(demo_panel, tmp_path):
    run = subprocess.run([sys.executable, "-m", "shortage_radar", "score", "--data", str(demo_panel.source),
                          "--month", "2022-06", "--out", str(tmp_path / "w.csv"),
                          "--tracking-uri", f"sqlite:///{tmp_path / 'empty.db'}"],
                         capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert run.returncode == 1
    assert "shortage train" in run.stderr
    assert "Traceback" not in run.stderr


def test_pointing_at_a_tracking_store_leaves_the_environment_alone(tmp_path, monkeypatch):
    """MLflow exports the URI it is given; a later command (or a subprocess) must still use its own workspace."""
    import os

    from shortage_radar.models.registry import use_tracking

    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    use_tracking(f"sqlite:///{tmp_path / 'one.db'}")
    assert "MLFLOW_TRACKING_URI" not in os.environ
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "sqlite:///chosen.db")
    use_tracking(f"sqlite:///{tmp_path / 'two.db'}")
    assert os.environ["MLFLOW_TRACKING_URI"] == "sqlite:///chosen.db"
