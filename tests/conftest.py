"""Shared fixtures: small hand-built contract panels (independent of the simulator)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest


def small_tables() -> dict[str, pd.DataFrame]:
    """A tiny clean panel with every table: 3 varieties, 2 enterprises, 4 months."""
    months = ["2022-01", "2022-02", "2022-03", "2022-04"]
    pairs = [("E1", "V1"), ("E2", "V1"), ("E1", "V2"), ("E2", "V3")]
    reports = pd.DataFrame(
        [
            {"enterprise_id": e, "variety_id": v, "month": m, "production": "100", "sales": "90",
             "inventory": "50", "capacity": "150", "api_stock_months": "2.5", "ex_factory_price": "1.2",
             "contracted_volume": "80", "delivered_volume": "78", "safety_stock": "30"}
            for e, v in pairs for m in months
        ]
    )
    provinces = ["Beijing", "Hebei"]
    return {
        "varieties": pd.DataFrame({
            "variety_id": ["V1", "V2", "V3"], "generic_name": ["amoxicillin", "heparin", "cisplatin"],
            "dosage_form": ["capsule", "injection", "injection"], "on_shortage_list": ["true", "false", "true"],
            "on_key_monitoring_list": ["false", "true", "true"], "vbp_batch": ["3", None, "5"],
            "essential": ["true", "true", None], "therapeutic_class": ["anti-infective", "anticoagulant", "oncology"],
        }),
        "enterprises": pd.DataFrame({"enterprise_id": ["E1", "E2"], "name": ["Alpha", "Beta"],
                                     "province": ["Beijing", "Hebei"], "is_reserve": ["false", "true"]}),
        "monthly_reports": reports,
        "suspensions": pd.DataFrame({
            "enterprise_id": ["E1"], "variety_id": ["V2"], "start_month": ["2022-02"], "reported_month": ["2022-03"],
            "expected_end_month": ["2022-05"], "actual_end_month": [None], "reason": ["api_shortage"]}),
        "institution_reports": pd.DataFrame(
            [{"month": m, "province": p, "variety_id": "V2", "reports": "1"} for m in months for p in provinces]),
        "procurement": pd.DataFrame(
            [{"month": m, "province": p, "variety_id": v, "purchase_volume": "40", "avg_price": "1.5"}
             for m in months for p in provinces for v in ("V1", "V2", "V3")]),
        "shortage_events": pd.DataFrame({"variety_id": ["V2"], "start_month": ["2022-03"], "end_month": [None],
                                         "scope": ["provincial"], "provinces": ["Beijing;Hebei"],
                                         "reason": ["api_shortage"]}),
        "supply_disruptions": pd.DataFrame({"enterprise_id": ["E1"], "variety_id": ["V2"],
                                            "start_month": ["2022-02"], "end_month": ["2022-04"]}),
    }


def write_tables(tables: dict[str, pd.DataFrame], folder: Path, fmt: str = "csv") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        if fmt == "csv":
            frame.to_csv(folder / f"{name}.csv", index=False)
        else:
            frame.to_parquet(folder / f"{name}.parquet", index=False)
    return folder


@pytest.fixture
def tables() -> dict[str, pd.DataFrame]:
    return small_tables()


@pytest.fixture
def write_panel(tmp_path: Path) -> Callable[..., Path]:
    """Write tables to a fresh folder under tmp_path and return it."""
    counter = iter(range(1000))

    def write(tables: dict[str, pd.DataFrame], fmt: str = "csv") -> Path:
        return write_tables(tables, tmp_path / f"panel{next(counter)}", fmt)

    return write


def small_demo_config(n_varieties: int = 40, n_enterprises: int = 100, n_months: int = 48, seed: int = 7):
    """The demo mechanisms at a size that simulates in well under a second."""
    from shortage_radar.demo import load_demo_config

    return load_demo_config({"seed": seed, "size": {"n_varieties": n_varieties, "n_enterprises": n_enterprises},
                             "calendar": {"n_months": n_months}})


@pytest.fixture(scope="session")
def small_panel(tmp_path_factory):
    """The hand-built panel, validated."""
    from shortage_radar.contract.panel import read_panel

    return read_panel(write_tables(small_tables(), tmp_path_factory.mktemp("small")))


@pytest.fixture(scope="session")
def demo_panel(tmp_path_factory):
    """A small simulated demo panel (same mechanisms, fewer entities and months), validated."""
    from shortage_radar.contract.panel import read_panel
    from shortage_radar.demo import simulate_panel, write_panel

    folder = write_panel(simulate_panel(small_demo_config()), tmp_path_factory.mktemp("demo"))
    return read_panel(folder)


# Point-in-time helpers shared by the leak tests of features and models.

def shuffled(panel, seed: int):
    rng = np.random.default_rng(seed)
    tables = {n: f.iloc[rng.permutation(len(f))].reset_index(drop=True) for n, f in panel.tables.items()}
    return _panel_type()(source=panel.source, tables=tables, quarantine=panel.quarantine, results=panel.results)


def scramble_future(panel, t: pd.Period, seed: int):
    """Change every value that is only known after t; keep everything known by t."""
    rng = np.random.default_rng(seed)
    tables = dict(panel.tables)
    for name in ("monthly_reports", "procurement", "institution_reports"):
        if name not in tables:
            continue
        frame = tables[name].copy()
        later = (frame["month"] > t).to_numpy()
        for col in frame.columns:
            if frame[col].dtype == "float64":
                frame.loc[later, col] = frame.loc[later, col] * rng.uniform(0, 5, later.sum())
        tables[name] = frame.iloc[rng.permutation(len(frame))]
    if "suspensions" in tables:
        s = tables["suspensions"].copy()
        s.loc[s["reported_month"] > t, "reason"] = "other"
        ends = s["actual_end_month"] > t
        s.loc[ends, "actual_end_month"] = s.loc[ends, "actual_end_month"] + 7
        never_ended = s["actual_end_month"].isna() & (s["reported_month"] <= t)
        s.loc[never_ended, "actual_end_month"] = t + 1  # it ends, but only after t
        tables["suspensions"] = s
    if "shortage_events" in tables:
        e = tables["shortage_events"].copy()
        late = e["end_month"].isna() & (e["start_month"] <= t)
        e.loc[late, "end_month"] = t + 2
        future = e[e["start_month"] > t]
        extra = future.assign(start_month=future["start_month"] + 1, end_month=pd.NaT)
        tables["shortage_events"] = pd.concat([e, extra]).drop_duplicates(["variety_id", "start_month"])
    return _panel_type()(source=panel.source, tables=tables, quarantine=panel.quarantine, results=panel.results)


def _panel_type():
    from shortage_radar.contract.panel import Panel

    return Panel


# Store tests run on SQLite always and on PostgreSQL when SHORTAGE_TEST_POSTGRES_URL is set (CI sets it).

PG_ENV = "SHORTAGE_TEST_POSTGRES_URL"


def _postgres_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{PG_ENV} is not set: CI must run the store tests on PostgreSQL")
        pytest.skip(f"{PG_ENV} not set (CI sets it; see .ci/run)")
    return url


def _fresh_postgres_schema(url: str) -> str:
    """A new database per test so runs do not see each other's rows."""
    import sqlalchemy as sa

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.rsplit("/", 1)[0] + "/" + name


def _drop_postgres_database(url: str) -> None:
    """Drop a test database, closing connections the test's engines still hold."""
    import sqlalchemy as sa

    name = url.rsplit("/", 1)[1]
    admin = sa.create_engine(_postgres_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    url = _fresh_postgres_schema(_postgres_url())
    yield url
    _drop_postgres_database(url)


@pytest.fixture(autouse=True)
def _mlflow_uri_not_leaked():
    """``mlflow.set_tracking_uri`` exports MLFLOW_TRACKING_URI; a test that calls it must not redirect the
    CLI subprocesses of later tests in the same worker (they would log to that test's database)."""
    before = os.environ.get("MLFLOW_TRACKING_URI")
    yield
    if before is None:
        os.environ.pop("MLFLOW_TRACKING_URI", None)
    else:
        os.environ["MLFLOW_TRACKING_URI"] = before


@pytest.fixture(autouse=True, scope="session")
def _no_workspace_left_in_the_checkout():
    """A command run by a test with the default workspace writes ./shortage-workspace where pytest runs: tests
    must give their commands a folder of their own (cwd or --workspace). Checked when the session ends."""
    leftover = Path.cwd() / "shortage-workspace"
    existed = leftover.exists()
    yield
    assert existed or not leftover.exists(), (
        f"a test left {leftover}: run its command with cwd= a temporary folder or with --workspace")
