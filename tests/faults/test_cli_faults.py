"""Fault injection: the CLI on each broken input exits 1 with exactly one error line, and the score store's
current runs are what they were before."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import small_tables, write_tables
from typer.testing import CliRunner

from shortage_radar.cli import app, hoist_global_options
from shortage_radar.errors import ShortageRadarError
from shortage_radar.store import open_store
from shortage_radar.workspace import workspace

LAST = pd.Period("2022-04", freq="M")  # the small panel's last month (conftest.small_tables)


def _watchlist(month: pd.Period, risk: float) -> pd.DataFrame:
    return pd.DataFrame({"entity": ["variety"], "variety_id": ["V1"], "enterprise_id": [""], "month": [str(month)],
                         "horizon": [3], "risk": [risk], "warning_level": [0], "response_tier": ["none"],
                         "rank": [1], "drivers": [""], "ongoing": [False]})


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """A workspace whose store has current runs for the panel's last two months, and a clean panel beside it."""
    root = tmp_path / "ws"
    root.mkdir()
    store = open_store(workspace(root).store_url)
    for month in (LAST - 1, LAST):
        run = store.begin_run(month, data_path=str(tmp_path / "panel"), fingerprint="f", model_versions={},
                              config_hash="c")
        store.finish_run(run, _watchlist(month, 0.5), pd.DataFrame())
    store.engine.dispose()
    write_tables(small_tables(), tmp_path / "panel")
    return root


def _current(root: Path) -> dict[str, int]:
    store = open_store(workspace(root).store_url, create=False)
    try:
        return {r.month: r.run_id for r in store.runs() if r.is_current}
    finally:
        store.engine.dispose()


def _run(root: Path, *args: str) -> tuple[int, str, list[str]]:
    env = {"SHORTAGE_WORKSPACE": str(root), "SHORTAGE_STORE_URL": None, "MLFLOW_TRACKING_URI": None,
           "COLUMNS": "400"}
    result = CliRunner().invoke(app, ["--workspace", str(root), *args], env=env)
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    if isinstance(result.exception, ShortageRadarError):  # shortage_radar.cli.main prints it as this one line
        errors.append(f"error: {result.exception}")
        return result.exception.exit_code, result.stdout, errors
    return result.exit_code, result.stdout, errors


def _one_error(code: int, errors: list[str], *fragments: str) -> str:
    assert code == 1, errors
    assert len(errors) == 1, errors
    assert "Traceback" not in errors[0]
    for fragment in fragments:
        assert fragment in errors[0], errors[0]
    return errors[0]


@pytest.mark.parametrize(("month", "where"), [("2030-01", "after the panel's last"), ("2021-12", "before the panel's")])
def test_score_a_month_outside_the_panel(ws, month, where):
    before = _current(ws)
    code, _, errors = _run(ws, "score", "--data", str(ws.parent / "panel"), "--month", month,
                           "--out", str(ws.parent / "x.csv"))
    _one_error(code, errors, where, "scorable months: 2022-01 .. 2022-04")
    assert _current(ws) == before and len(open_store(workspace(ws).store_url).runs()) == 2  # nothing written
    assert not (ws.parent / "x.csv").exists()
    assert _health(ws)["last_run_month"] == str(LAST)


def _health(root: Path) -> dict:
    """GET /health of a service on the workspace's store (no models: degraded, but it names the latest run)."""
    from fastapi.testclient import TestClient

    from shortage_radar.serve.app import create_app

    from shortage_radar.serve.settings import serve_config

    app = create_app(store_url=workspace(root).store_url, tracking_uri=f"sqlite:///{root / 'none.db'}",
                     cfg=serve_config().model_copy(update={"warm_report": False}))
    with TestClient(app) as client:
        return client.get("/health").json()


@pytest.mark.parametrize("kind", ["dangling", "loop", "folder"])
@pytest.mark.parametrize("command", ["validate", "score"])
def test_an_unopenable_table_file_stops_the_run(ws, kind, command):
    panel = ws.parent / "panel"
    target = panel / "procurement.csv"
    target.unlink()
    if kind == "dangling":
        target.symlink_to(panel / "gone.csv")
    elif kind == "loop":
        target.symlink_to(target)
    else:
        target.mkdir()
    before = _current(ws)
    extra = ["--month", str(LAST), "--out", str(ws.parent / "x.csv")] if command == "score" else []
    code, _, errors = _run(ws, command, "--data", str(panel), *extra)
    _one_error(code, errors, str(target))
    assert _current(ws) == before


def test_a_truncated_mlflow_database_names_mlflow(ws):
    ws.joinpath("mlflow.db").write_bytes(b"SQLite format 3\x00" + b"\x00" * 50)  # a header and nothing else
    before = _current(ws)
    code, _, errors = _run(ws, "score", "--data", str(ws.parent / "panel"), "--month", str(LAST),
                           "--out", str(ws.parent / "x.csv"))
    line = _one_error(code, errors, "MLflow tracking store")
    assert "score store" not in line
    assert _current(ws) == before


def test_a_missing_mlflow_database_is_not_created(ws):
    code, _, errors = _run(ws, "score", "--data", str(ws.parent / "panel"), "--month", str(LAST),
                           "--out", str(ws.parent / "x.csv"))
    _one_error(code, errors, "MLflow tracking store", "no database")
    assert not ws.joinpath("mlflow.db").exists()


def test_a_corrupt_score_store_names_the_score_store(ws):
    ws.joinpath("store.db").write_bytes(b"not a database at all" * 100)
    for suffix in ("-wal", "-shm"):
        ws.joinpath("store.db" + suffix).unlink(missing_ok=True)
    code, _, errors = _run(ws, "runs", "list")
    line = _one_error(code, errors, "score store")
    assert "MLflow" not in line


@pytest.mark.parametrize("target", ["/dev/full", "{tmp}/a-file/quarantine.csv"])
def test_quarantine_to_an_unwritable_path(ws, target):
    blocker = ws.parent / "a-file"
    blocker.write_text("a file, not a folder")
    path = target.format(tmp=ws.parent)
    code, _, errors = _run(ws, "validate", "--data", str(ws.parent / "panel"), "--quarantine", path)
    _one_error(code, errors, "output path", path)


@pytest.mark.parametrize("args", [["runs", "list"], ["runs", "show", "1"], ["keys", "list"],
                                  ["report", "--month", "2022-04"]])
def test_read_only_commands_never_create_a_database(tmp_path, args):
    mistyped = tmp_path / "typo" / "store.db"
    code, _, errors = _run(tmp_path / "ws", *args, "--store", f"sqlite:///{mistyped}")
    _one_error(code, errors, "score store", "no database")
    assert not mistyped.exists() and not mistyped.parent.exists()
    code, _, errors = _run(tmp_path / "empty-ws", *args)
    _one_error(code, errors, "no database")
    assert not (tmp_path / "empty-ws").exists()


def test_withdraw_makes_the_previous_run_current_again(ws):
    store = open_store(workspace(ws).store_url)
    bad = store.begin_run(LAST, data_path="p", fingerprint="f", model_versions={}, config_hash="c")
    store.finish_run(bad, _watchlist(LAST, 0.9), pd.DataFrame())
    good = _current(ws)[str(LAST)]
    assert good == bad
    code, out, errors = _run(ws, "runs", "withdraw", str(bad))
    assert code == 0 and not errors, errors
    assert _current(ws)[str(LAST)] == 2 and "run 2 is current" in out.replace("\n", " ")
    assert store.run(bad).status == "withdrawn" and "withdrawn at" in store.run(bad).error
    code, _, errors = _run(ws, "runs", "withdraw", str(bad))
    _one_error(code, errors, "only a succeeded run")
    code, _, errors = _run(ws, "runs", "withdraw", "99")
    _one_error(code, errors, "run 99: not in the store")


def test_global_options_are_taken_after_the_command_too():
    assert hoist_global_options(["runs", "list", "--workspace", "w", "--verbose"]) == \
        ["--workspace", "w", "--verbose", "runs", "list"]
    assert hoist_global_options(["score", "--workspace=w", "--", "--verbose"]) == \
        ["--workspace=w", "score", "--", "--verbose"]


def test_every_command_says_where_its_workspace_is(ws):
    code, out, _ = _run(ws, "runs", "list")
    assert code == 0 and f"workspace: {ws}" in out


def test_an_empty_watchlist_never_becomes_current(ws):
    from shortage_radar.store import EmptyRunError

    store = open_store(workspace(ws).store_url)
    before = _current(ws)
    run = store.begin_run(LAST, data_path="p", fingerprint="f", model_versions={}, config_hash="c")
    with pytest.raises(EmptyRunError):
        store.finish_run(run, _watchlist(LAST, 0.5).iloc[:0], pd.DataFrame())
    assert _current(ws) == before


def test_a_broken_workspace_override_is_one_line_naming_it(ws):
    (ws / "configs").mkdir()
    (ws / "configs" / "model.yaml").write_text("horizon: [\n", encoding="utf-8")
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "shortage_radar", "backtest", "--data", str(ws.parent / "panel"),
                           "--start", "2022-03", "--end", "2022-04", "--out", str(ws.parent / "b.csv"),
                           "--workspace", str(ws)], capture_output=True, text=True, timeout=300)
    errors = [line for line in done.stderr.splitlines() if line.strip()]
    _one_error(done.returncode, errors, str(ws / "configs" / "model.yaml"), "not valid YAML")
