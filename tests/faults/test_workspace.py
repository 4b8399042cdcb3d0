"""The workspace: every default resolves into it, explicit URLs win, config overrides merge over the packaged
configs and are covered by the run's config hash, and tuned values are written there, never into the package."""

from __future__ import annotations

from pathlib import Path

import pytest

from shortage_radar.config import load_config
from shortage_radar.models.config_writer import packaged_config_dir, write_lightgbm, write_policy
from shortage_radar.models.policy import WarningPolicy
from shortage_radar.models.registry import tracking_uri
from shortage_radar.models.settings import ModelConfig
from shortage_radar.store.fingerprint import config_hash
from shortage_radar.store.settings import store_url
from shortage_radar.workspace import workspace


@pytest.fixture
def ws(tmp_path: Path, monkeypatch) -> Path:
    for name in ("SHORTAGE_STORE_URL", "MLFLOW_TRACKING_URI"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SHORTAGE_WORKSPACE", str(tmp_path / "ws"))
    return tmp_path / "ws"


def test_defaults_resolve_into_the_workspace_and_explicit_urls_win(ws, monkeypatch):
    assert store_url() == f"sqlite:///{ws / 'store.db'}"
    assert tracking_uri() == f"sqlite:///{ws / 'mlflow.db'}"
    assert store_url("sqlite:///other.db") == "sqlite:///other.db"
    assert tracking_uri("sqlite:///m.db") == "sqlite:///m.db"
    monkeypatch.setenv("SHORTAGE_STORE_URL", "sqlite:///env.db")
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "sqlite:///envm.db")
    assert (store_url(), tracking_uri()) == ("sqlite:///env.db", "sqlite:///envm.db")


def test_the_default_workspace_is_a_folder_in_the_current_directory(monkeypatch, tmp_path):
    monkeypatch.delenv("SHORTAGE_WORKSPACE", raising=False)
    monkeypatch.chdir(tmp_path)
    assert workspace().root == tmp_path / "shortage-workspace"


def test_overrides_merge_over_the_packaged_config_and_change_the_config_hash(ws):
    packaged = load_config("model", ModelConfig)
    before = config_hash()
    (ws / "configs").mkdir(parents=True)
    (ws / "configs" / "model.yaml").write_text("lightgbm:\n  num_leaves: 7\n", encoding="utf-8")
    merged = load_config("model", ModelConfig)
    assert merged.lightgbm["num_leaves"] == 7
    assert {k: v for k, v in merged.lightgbm.items() if k != "num_leaves"} == \
        {k: v for k, v in packaged.lightgbm.items() if k != "num_leaves"}
    assert merged.horizon == packaged.horizon
    assert config_hash() != before


def test_a_bad_override_is_one_config_error_naming_it(ws):
    from shortage_radar.errors import ConfigError

    (ws / "configs").mkdir(parents=True)
    (ws / "configs" / "model.yaml").write_text("horizon: [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="model.yaml: not valid YAML"):
        load_config("model", ModelConfig)


def test_tuned_values_go_to_the_workspace_and_never_into_the_package(ws):
    policy = load_config("warning_policy", WarningPolicy)
    target = workspace().ensure().configs
    target.mkdir()
    packaged = {p.name: p.read_bytes() for p in packaged_config_dir().glob("*.yaml")}
    write_lightgbm(target, {"num_leaves": 11})
    write_policy(target, policy)
    assert load_config("model", ModelConfig).lightgbm["num_leaves"] == 11
    assert set((target / "model.yaml").read_text().split()) == {"lightgbm:", "num_leaves:", "11"}
    assert {p.name: p.read_bytes() for p in packaged_config_dir().glob("*.yaml")} == packaged
    with pytest.raises(ValueError, match="installed package"):
        write_lightgbm(packaged_config_dir(), {"num_leaves": 11})


def test_an_override_that_would_let_a_baseline_reverse_is_one_config_error_naming_the_key(ws):
    from shortage_radar.errors import ConfigError

    (ws / "configs").mkdir(parents=True)
    (ws / "configs" / "model.yaml").write_text("platt_min_slope: 0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="platt_min_slope"):
        load_config("model", ModelConfig)
