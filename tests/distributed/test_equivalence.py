"""The Dask engine gives the local engine's results on a LocalCluster with 2 workers.

One small simulated panel with bad rows of every kind, stored as month-partitioned Parquet, cut
into partitions of 7 varieties (so every cross-variety feature spans partitions):
identical features, quarantine and watchlist (models trained locally, and trained on the
cluster's model tables with local LightGBM); forecasts equal to float32 precision (Fugue's).
"""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import small_demo_config

pytest.importorskip("distributed")
pytest.importorskip("fugue_dask")

import shortage_radar as sr  # noqa: E402
from shortage_radar.contract.panel import read_panel  # noqa: E402
from shortage_radar.distributed.cluster import dask_client  # noqa: E402
from shortage_radar.distributed.forecast import forecast_dask  # noqa: E402
from shortage_radar.distributed.backend import DaskBackend  # noqa: E402
from shortage_radar.distributed.reader import read_partitioned  # noqa: E402
from shortage_radar.distributed.settings import dask_config  # noqa: E402
from shortage_radar.distributed.tables import DaskTables  # noqa: E402
from shortage_radar.features import as_known_at, build_features  # noqa: E402
from shortage_radar.features.settings import feature_config  # noqa: E402
from shortage_radar.models.dataset import local, tables_source  # noqa: E402
from shortage_radar.models.forecast_config import forecast_config  # noqa: E402
from shortage_radar.models.forecasting import forecast_panel  # noqa: E402
from shortage_radar.models.backend import LocalBackend  # noqa: E402
from shortage_radar.models.policy import warning_policy  # noqa: E402
from shortage_radar.models.risk import fit_risk_model  # noqa: E402
from shortage_radar.models.settings import model_config  # noqa: E402
from shortage_radar.models.train import TrainedModels  # noqa: E402

MONTH = pd.Period("2022-09", "M")  # the as-of month scored (the panel runs 2019-01 .. 2022-12)
TRAINED = MONTH - 3                # models trained on what was known then
H = 3


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """The demo mechanisms at 40 varieties and 48 months, bad rows injected, month-partitioned Parquet."""
    from shortage_radar.demo import simulate_panel
    from shortage_radar.demo.dirty import inject_bad_rows
    from shortage_radar.demo.writer import write_partitions

    tables, _ = inject_bad_rows(simulate_panel(small_demo_config()), seed=3)
    return write_partitions(tables, tmp_path_factory.mktemp("partitioned"))


@pytest.fixture(scope="module")
def dcfg():
    return dask_config().model_copy(update={"varieties_per_partition": 7})


@pytest.fixture(scope="module")
def client(dcfg):
    with dask_client(dcfg) as connected:
        assert len(connected.scheduler_info()["workers"]) == 2
        yield connected


@pytest.fixture(scope="module")
def panel(folder):
    return read_panel(folder)


@pytest.fixture(scope="module")
def models(panel):
    """Variety and enterprise models fitted locally on what was known at TRAINED."""
    cfg = model_config()
    tables = tables_source(as_known_at(panel, TRAINED), cfg)(None)
    last = TRAINED - cfg.horizon
    return (fit_risk_model(tables.variety[tables.variety["month"] <= last], cfg),
            fit_risk_model(tables.pair[tables.pair["month"] <= last], cfg))


@pytest.fixture(scope="module")
def dask_tables(client, folder, dcfg):
    return DaskTables(client, read_partitioned(folder, dcfg), TRAINED, model_config(), feature_config(), dcfg)


def test_features_are_identical(panel, dask_tables):
    local_features = build_features(as_known_at(panel, TRAINED))
    distributed = dask_tables.features_set()
    assert dask_tables.features and len(dask_tables.features) == 6  # 40 varieties in partitions of 7
    for name in ("variety", "pair"):
        pd.testing.assert_frame_equal(getattr(distributed, name), getattr(local_features, name), check_exact=True)


def test_model_tables_are_identical_as_known_at_any_month(panel, dask_tables):
    source = tables_source(as_known_at(panel, TRAINED), model_config())
    for at in (None, TRAINED - 7):
        mine, theirs = source(at), dask_tables(at)
        for name in ("variety", "pair"):
            pd.testing.assert_frame_equal(local(getattr(theirs, name)).reset_index(drop=True), getattr(mine, name),
                                          check_exact=True)


def _trained(models) -> TrainedModels:
    return TrainedModels(*models, warning_policy(), model_config())


def test_watchlist_and_quarantine_are_identical(client, folder, panel, models):
    expected = sr.score(LocalBackend(panel), _trained(models), MONTH)
    backend = DaskBackend.open(client, folder)
    watchlist = sr.score(backend, _trained(models), MONTH)
    assert len(expected) > 100
    assert watchlist.to_csv(index=False) == expected.to_csv(index=False)
    pd.testing.assert_frame_equal(backend.panel.quarantine, panel.quarantine)
    assert len(panel.quarantine) > 20


def test_training_on_the_cluster_with_local_lightgbm_gives_the_same_watchlist(client, folder, panel, models):
    cfg = model_config()
    backend = DaskBackend.open(client, folder, training="local").known_at(TRAINED)
    tables = backend.tables(cfg)(None)
    last = TRAINED - cfg.horizon
    trained = (backend.fit(tables.variety[tables.variety["month"] <= last], cfg),
               backend.fit(tables.pair[tables.pair["month"] <= last], cfg))
    mine = sr.score(panel, _trained(models), MONTH)
    assert sr.score(panel, _trained(trained), MONTH).to_csv(index=False) == mine.to_csv(index=False)


def test_forecasts_agree_to_float32_precision(client, folder, dcfg, panel):
    expected = forecast_panel(panel, MONTH, H)
    got = forecast_dask(client, read_partitioned(folder, dcfg), MONTH, H, forecast_config(), dcfg)
    assert len(expected) > 1000
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-6, atol=1e-6)


def test_months_no_source_observed_are_the_whole_panels(panel, dask_tables):
    from shortage_radar.models.backend import unseen_months

    known = as_known_at(panel, TRAINED)
    assert dask_tables.unseen_months().equals(unseen_months(known, model_config()))
