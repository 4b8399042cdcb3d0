"""Service test helpers: a small trained world (simulated panel, champions in a sqlite MLflow, two runs in a store).

Not a conftest: a second conftest.py would shadow ``from conftest import`` in other test folders. The world is
built once per test process (cached) and shared by every module that imports the ``world`` fixture.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from conftest import small_demo_config


@dataclass(frozen=True)
class World:
    folder: Path
    panel_dir: Path
    tracking_uri: str
    store_url: str
    months: tuple[pd.Period, pd.Period]
    keys: dict[str, str]  # label -> key: read, score, admin, all


@pytest.fixture(scope="session")
def world(tmp_path_factory) -> World:
    return build_world(str(tmp_path_factory.getbasetemp()))


@functools.cache
def build_world(base: str) -> World:
    """Train and score once per process (about half a minute)."""
    import shortage_radar as sr
    from shortage_radar.contract.panel import read_panel
    from shortage_radar.demo import simulate_panel, write_panel
    from shortage_radar.serve.keys import create_key
    from shortage_radar.store import open_store

    folder = Path(base) / "serve-world"
    folder.mkdir(parents=True, exist_ok=True)
    panel_dir = write_panel(simulate_panel(small_demo_config()), folder / "panel")
    panel = read_panel(panel_dir)
    last = panel["monthly_reports"]["month"].max()
    uri = f"sqlite:///{folder / 'mlflow.db'}"
    sr.log_models(sr.train(panel, last - 1), panel, uri)
    store_url = f"sqlite:///{folder / 'store.db'}"
    store = open_store(store_url)
    champions = sr.champions(uri)
    for month in (last - 1, last):
        sr.monthly_run(panel, month, champions, store)
    keys = {label: create_key(store.engine, f"test-{label}", scopes)[1]
            for label, scopes in {"read": ["read"], "score": ["score"], "admin": ["admin"],
                                  "all": ["read", "score", "admin"]}.items()}
    return World(folder, Path(panel_dir), uri, store_url, (last - 1, last), keys)


def make_app(world: World, tmp_path: Path, **overrides):
    """A fresh app over the world's store and models (config overrides, e.g. a short key cache)."""
    from shortage_radar.serve.app import create_app
    from shortage_radar.serve.settings import serve_config

    cfg = serve_config().model_copy(update={"report_cache_dir": str(tmp_path / "ui"), "key_cache_seconds": 0.0,
                                            "warm_report": False, **overrides})  # warming: its own test
    return create_app(store_url=world.store_url, tracking_uri=world.tracking_uri, cfg=cfg)


@pytest.fixture(scope="module")
def client(world, tmp_path_factory):
    """One app per test module (loading the models takes seconds); tests that change its state restore it."""
    from fastapi.testclient import TestClient

    # `with`: the lifespan loads the index, the panel and the models
    with TestClient(make_app(world, tmp_path_factory.mktemp("app"))) as c:
        yield c


def headers(world: World, label: str = "read") -> dict[str, str]:
    return {"X-API-Key": world.keys[label]}
