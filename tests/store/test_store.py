"""The score store on SQLite and PostgreSQL: runs become current atomically, readers see whole runs only."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

MONTH = pd.Period("2025-06", freq="M")


def _watchlist(month: pd.Period, risk: float, n: int = 5) -> pd.DataFrame:
    rows = [{"entity": "variety", "variety_id": f"V{i}", "enterprise_id": "", "month": str(month), "horizon": 3,
             "risk": risk / (i + 1), "warning_level": 3 if i == 0 else 0, "response_tier": "city" if i == 0 else "none",
             "rank": i + 1, "drivers": "stock cover 0.2 months" if i == 0 else "", "ongoing": False}
            for i in range(n)]
    rows.append({"entity": "enterprise", "variety_id": "V0", "enterprise_id": "E1", "month": str(month), "horizon": 3,
                 "risk": 0.5, "warning_level": 2, "response_tier": "provincial", "rank": 1, "drivers": "x",
                 "ongoing": True})
    return pd.DataFrame(rows)


def _record(store, month: pd.Period, risk: float) -> int:
    run_id = store.begin_run(month, data_path="/panel", fingerprint="f", model_versions={"m": "1"}, config_hash="c")
    store.finish_run(run_id, _watchlist(month, risk), pd.DataFrame())
    return run_id


def test_a_finished_run_is_current_and_reads_back_whole(store_url):
    from shortage_radar.store import open_store

    store = open_store(store_url)
    run_id = _record(store, MONTH, 0.9)
    current = store.current_run(MONTH)
    assert current.run_id == run_id and current.status == "succeeded" and current.rows == 6
    back = store.watchlist(MONTH)
    expected = _watchlist(MONTH, 0.9).sort_values(["entity", "rank"], ascending=[False, True]).reset_index(drop=True)
    pd.testing.assert_frame_equal(back[list(expected.columns)], expected, check_dtype=False)
    assert back[["impact", "level_reason", "drivers_zh"]].isna().all().all()  # a scorer without them: empty
    assert list(store.watchlist(MONTH, entity="enterprise")["enterprise_id"]) == ["E1"]


def test_impact_level_reason_and_chinese_drivers_are_kept(store_url):
    from shortage_radar.store import open_store

    store = open_store(store_url)
    rows = _watchlist(MONTH, 0.9).assign(impact=[2, 0, 0, 0, 0, 1], level_reason="yellow III: risk 0.90 >= 0.14",
                                         drivers_zh="库存仅够0.2个月销售")
    run_id = store.begin_run(MONTH, data_path="/panel", fingerprint="f", model_versions={"m": "1"}, config_hash="c")
    store.finish_run(run_id, rows, pd.DataFrame())
    back = store.watchlist(MONTH).set_index(["entity", "variety_id"])
    assert back.loc[("variety", "V0"), "impact"] == 2 and back.loc[("enterprise", "V0"), "impact"] == 1
    assert (back["level_reason"] == "yellow III: risk 0.90 >= 0.14").all()
    assert back.loc[("variety", "V0"), "drivers_zh"] == "库存仅够0.2个月销售"


def test_rerunning_a_month_replaces_the_current_run(store_url):
    from shortage_radar.store import open_store

    store = open_store(store_url)
    first = _record(store, MONTH, 0.9)
    second = _record(store, MONTH, 0.4)
    assert store.current_run(MONTH).run_id == second
    assert store.watchlist(MONTH)["risk"].max() == pytest.approx(0.5)  # the enterprise row; varieties now 0.4
    assert not store.run(first).is_current and store.run(first).status == "succeeded"
    assert [r.run_id for r in store.runs()] == [second, first]


def test_a_failed_or_unfinished_run_leaves_the_previous_one_current(store_url):
    from shortage_radar.store import open_store

    store = open_store(store_url)
    good = _record(store, MONTH, 0.9)
    failed = store.begin_run(MONTH, data_path="/p", fingerprint="f", model_versions={}, config_hash="c")
    store.fail_run(failed, "ValueError: boom")
    store.begin_run(MONTH, data_path="/p", fingerprint="f", model_versions={}, config_hash="c")  # never finished
    assert store.current_run(MONTH).run_id == good
    assert store.run(failed).status == "failed" and "boom" in store.run(failed).error
    assert len(store.watchlist(MONTH)) == 6


def test_an_insert_that_breaks_half_way_leaves_nothing_visible(store_url):
    from shortage_radar.store import open_store

    store = open_store(store_url)
    good = _record(store, MONTH, 0.9)
    bad = _watchlist(MONTH, 0.3)
    bad.loc[3, "rank"] = None  # NOT NULL: the insert fails after earlier rows went in
    run_id = store.begin_run(MONTH, data_path="/p", fingerprint="f", model_versions={}, config_hash="c")
    with pytest.raises(Exception):  # noqa: B017 - the driver's own error type differs per database
        store.finish_run(run_id, bad, pd.DataFrame())
    assert store.current_run(MONTH).run_id == good
    assert store.run_rows(run_id).empty


def test_history_months_and_latest(store_url):
    from shortage_radar.store import open_store

    store = open_store(store_url)
    for k, risk in enumerate((0.2, 0.6, 0.8)):
        _record(store, MONTH + k, risk)
    assert store.months() == [MONTH, MONTH + 1, MONTH + 2]
    assert store.current_run().month == str(MONTH + 2)
    history = store.variety_history("V0")
    assert list(history["month"]) == [str(MONTH + k) for k in range(3)]
    assert list(history["risk"]) == pytest.approx([0.2, 0.6, 0.8])


def test_quarantined_rows_are_kept_with_their_reasons(store_url):
    from shortage_radar.store import open_store

    store = open_store(store_url)
    quarantine = pd.DataFrame({"table": ["monthly_reports"], "file": ["monthly_reports.csv"], "row": [7],
                               "reason": ["negative_volume"], "column": ["sales"], "detail": ["-3"],
                               "values": ['{"sales": "-3"}']})
    run_id = store.begin_run(MONTH, data_path="/p", fingerprint="f", model_versions={}, config_hash="c")
    store.finish_run(run_id, _watchlist(MONTH, 0.5), quarantine)
    kept = store.quarantined(run_id)
    assert kept.iloc[0][["table_name", "row_number", "reason", "original"]].tolist() == [
        "monthly_reports", 7, "negative_volume", '{"sales": "-3"}']
    assert store.current_run(MONTH).quarantined == 1


def test_opening_twice_is_a_no_op_migration(store_url):
    from shortage_radar.store import open_store

    _record(open_store(store_url), MONTH, 0.9)
    assert len(open_store(store_url).watchlist(MONTH)) == 6


def test_the_database_allows_one_current_run_per_month(store_url):
    """Even a writer that bypasses finish_run cannot make two runs of one month current."""
    import sqlalchemy as sa

    from shortage_radar.store import open_store
    from shortage_radar.store.schema import runs

    store = open_store(store_url)
    first, second = _record(store, MONTH, 0.9), _record(store, MONTH, 0.4)
    with pytest.raises(sa.exc.IntegrityError), store.engine.begin() as conn:
        conn.execute(runs.update().where(runs.c.run_id == first).values(is_current=True))
    assert store.current_run(MONTH).run_id == second and not store.run(first).is_current


def test_records_carry_utc_times_versions_and_progress(store_url):
    from shortage_radar.store import open_store

    store = open_store(store_url)
    run_id = store.begin_run(MONTH, data_path="/p", fingerprint="abc", model_versions={"v": "3"}, config_hash="c")
    written: list[int] = []
    store.finish_run(run_id, _watchlist(MONTH, 0.5), pd.DataFrame(), progress=written.append)
    record = store.run(run_id)
    assert record.started_at.utcoffset().total_seconds() == 0 and record.finished_at >= record.started_at
    assert record.model_versions == {"v": "3"} and record.fingerprint == "abc" and record.is_current is True
    assert sum(written) == 6


def test_an_unreachable_or_bad_store_is_one_clear_error(tmp_path):
    from shortage_radar.store import StoreError, open_store

    with pytest.raises(StoreError, match="bogus"):
        open_store("bogus://nowhere")
    with pytest.raises(StoreError, match=r"\*\*\*@127\.0\.0\.1:1/x"):  # the password is never printed
        open_store("postgresql+psycopg://u:secret@127.0.0.1:1/x")
    with pytest.raises(StoreError, match="unable to open"):
        open_store(f"sqlite:///{tmp_path / 'absent' / 'store.db'}")


def test_the_url_comes_from_the_option_then_the_environment(tmp_path, monkeypatch):
    from shortage_radar.store.settings import store_config, store_url

    from shortage_radar.workspace import workspace

    monkeypatch.delenv("SHORTAGE_STORE_URL", raising=False)
    monkeypatch.setenv("SHORTAGE_WORKSPACE", str(tmp_path / "ws"))
    assert store_config().url is None  # by default the store lives in the workspace
    assert store_url() == workspace().store_url == f"sqlite:///{tmp_path / 'ws' / 'store.db'}"
    monkeypatch.setenv("SHORTAGE_STORE_URL", "sqlite:///env.db")
    assert store_url() == "sqlite:///env.db"
    assert store_url("sqlite:///option.db") == "sqlite:///option.db"


def test_migration_0003_keeps_older_runs_and_adds_empty_explanations(tmp_path):
    import sqlalchemy as sa
    from alembic import command
    from alembic.config import Config

    from shortage_radar.store import open_store
    from shortage_radar.store import store as store_module

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = sa.create_engine(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(store_module.__file__).parent / "migrations"))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "0002_api_keys")
        connection.execute(sa.text(
            "INSERT INTO runs (run_id, month, started_at, status, is_current, data_path, fingerprint, model_versions, "
            "config_hash) VALUES (1, '2025-06', '2025-07-01 00:00:00', 'succeeded', 1, '/p', 'f', '{}', 'c')"))
        connection.execute(sa.text(
            "INSERT INTO scores (run_id, entity, variety_id, enterprise_id, month, horizon, risk, warning_level, "
            "response_tier, rank, drivers, ongoing) VALUES (1, 'variety', 'V1', '', '2025-06', 3, 0.5, 3, 'city', 1, "
            "'x', 0)"))
    engine.dispose()
    back = open_store(url).watchlist(MONTH)
    assert list(back["variety_id"]) == ["V1"] and back["risk"].iloc[0] == 0.5
    assert back["impact"].isna().all() and back["level_reason"].isna().all() and back["drivers_zh"].isna().all()


def test_an_alert_is_claimed_once_per_run_and_subscription_and_again_after_a_failure(tmp_path):
    from shortage_radar.store import open_store
    from shortage_radar.store.alerts import FAILED, claim, finish, sent

    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    run_id = _record(store, MONTH, 0.9)
    assert claim(store.engine, run_id, "ops", "http://x/", "{}", 2)
    assert not claim(store.engine, run_id, "ops", "http://x/", "{}", 2)  # a second caller, same run: no
    assert claim(store.engine, run_id, "other", "http://y/", "{}", 2)
    finish(store.engine, run_id, "ops", FAILED, 4, "HTTP 503")
    assert claim(store.engine, run_id, "ops", "http://x/", "{}", 2)      # a failed one may be tried again
    assert not claim(store.engine, run_id, "ops", "http://x/", "{}", 2)
    assert sorted(r.subscription for r in sent(store.engine, run_id)) == ["ops", "other"]
