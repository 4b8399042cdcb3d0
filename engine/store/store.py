"""The score store: runs and their watchlists, where a run becomes current in one transaction."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.util import CommandError

from shortage_radar.models.watchlist import WATCHLIST_COLUMNS as WATCHLIST
from shortage_radar.models.watchlist import validate_watchlist
from shortage_radar.store.schema import QUARANTINE_COLUMNS, runs, scores
from shortage_radar.store.schema import quarantine as quarantine_table
from shortage_radar.store.settings import display_url, store_config, store_url
from shortage_radar.errors import StoreError

PAUSE_ENV = "SHORTAGE_TEST_PAUSE_IN_COMMIT"  # tests only: sleep inside the commit to be killed there


@dataclass(frozen=True)
class RunRecord:
    """One run as recorded: what it scored, from which data, models and config, and how it ended."""

    run_id: int
    month: str
    started_at: datetime
    finished_at: datetime | None
    status: str
    data_path: str
    fingerprint: str
    model_versions: dict
    config_hash: str
    rows: int | None
    quarantined: int | None
    error: str | None
    is_current: bool


def _record(row) -> RunRecord:
    data = dict(row._mapping)
    versions = data["model_versions"]
    data["model_versions"] = json.loads(versions) if isinstance(versions, str) else dict(versions or {})
    for key in ("started_at", "finished_at"):  # SQLite hands back naive datetimes; they were written in UTC
        if data[key] is not None and data[key].tzinfo is None:
            data[key] = data[key].replace(tzinfo=UTC)
    data["is_current"] = bool(data["is_current"])
    return RunRecord(**data)


def _now() -> datetime:
    return datetime.now(UTC)


def migrate(engine: sa.Engine) -> None:
    """Bring the schema to the newest Alembic revision (a no-op when it is there)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")


class Store:
    """Runs, scores and quarantined rows in one database (SQLite file or PostgreSQL)."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def begin_run(self, month: pd.Period, *, data_path: str, fingerprint: str, model_versions: dict[str, str],
                  config_hash: str) -> int:
        """Record a started run (not current, nothing visible) and return its id."""
        with self.engine.begin() as conn:
            result = conn.execute(runs.insert().values(
                month=str(month), started_at=_now(), status="running", is_current=False, data_path=data_path,
                fingerprint=fingerprint, model_versions=model_versions, config_hash=config_hash))
            return int(result.inserted_primary_key[0])

    def set_model_versions(self, run_id: int, versions: dict[str, str]) -> None:
        """Record the model versions once the champions are loaded (known only after begin_run)."""
        with self.engine.begin() as conn:
            conn.execute(runs.update().where(runs.c.run_id == run_id).values(model_versions=versions))

    def finish_run(self, run_id: int, watchlist: pd.DataFrame, quarantine: pd.DataFrame,
                   progress: Callable[[int], None] | None = None) -> None:
        """In ONE transaction: insert the rows, mark the run succeeded and make it its month's current run.

        ``progress`` is called with the number of rows written after each batch (for a progress bar).
        """
        chunk = store_config().insert_chunk_rows
        score_rows = _score_records(run_id, validate_watchlist(watchlist))
        q_rows = _quarantine_records(run_id, quarantine)
        with self.engine.begin() as conn:
            month = conn.execute(sa.select(runs.c.month).where(runs.c.run_id == run_id)).scalar_one()
            for table, rows in ((scores, score_rows), (quarantine_table, q_rows)):
                for start in range(0, len(rows), chunk):
                    conn.execute(table.insert(), rows[start:start + chunk])
                    if progress is not None:
                        progress(len(rows[start:start + chunk]))
            # Concurrent runs of one month take turns here (PostgreSQL row locks; SQLite has one writer).
            conn.execute(sa.select(runs.c.run_id).where(runs.c.month == month).with_for_update()).all()
            conn.execute(runs.update().where((runs.c.month == month) & runs.c.is_current).values(is_current=False))
            conn.execute(runs.update().where(runs.c.run_id == run_id).values(
                status="succeeded", is_current=True, finished_at=_now(), rows=len(score_rows),
                quarantined=len(q_rows)))
            _pause_for_tests()  # everything written and flipped, not yet committed: the worst moment to die

    def fail_run(self, run_id: int, error: str) -> None:
        """Record the run as failed with its error; it never becomes current."""
        with self.engine.begin() as conn:
            conn.execute(runs.update().where(runs.c.run_id == run_id).values(
                status="failed", finished_at=_now(), error=error[:2000]))

    def record_failure(self, run_id: int, exc: BaseException) -> None:
        """Mark the run failed with the error; if even that cannot be written it stays 'running', never current."""
        try:
            self.fail_run(run_id, f"{type(exc).__name__}: {exc}")
        except sa.exc.SQLAlchemyError:
            pass

    def current_run(self, month: pd.Period | None = None) -> RunRecord | None:
        """The current run of ``month`` (of the latest month with one when None)."""
        query = sa.select(runs).where(runs.c.is_current)
        query = query.where(runs.c.month == str(month)) if month is not None else query.order_by(runs.c.month.desc())
        with self.engine.connect() as conn:
            row = conn.execute(query.limit(1)).first()
        return _record(row) if row is not None else None

    def run(self, run_id: int) -> RunRecord | None:
        """One run's record, whatever its status."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(runs).where(runs.c.run_id == run_id)).first()
        return _record(row) if row is not None else None

    def runs(self, limit: int | None = None) -> list[RunRecord]:
        """Every run, newest first."""
        query = sa.select(runs).order_by(runs.c.run_id.desc())
        with self.engine.connect() as conn:
            return [_record(r) for r in conn.execute(query.limit(limit) if limit else query)]

    def watchlist(self, month: pd.Period | None = None, entity: str | None = None) -> pd.DataFrame:
        """The current run's rows for ``month`` (latest when None), ranked; empty with the columns if none."""
        run = self.current_run(month)
        if run is None:
            return pd.DataFrame(columns=WATCHLIST)
        return self.run_rows(run.run_id, entity)

    def run_rows(self, run_id: int, entity: str | None = None) -> pd.DataFrame:
        """One run's watchlist rows (any run, current or not), sorted by entity and rank."""
        query = sa.select(*[scores.c[c] for c in WATCHLIST]).where(scores.c.run_id == run_id)
        if entity is not None:
            query = query.where(scores.c.entity == entity)
        with self.engine.connect() as conn:
            frame = pd.DataFrame(conn.execute(query).all(), columns=WATCHLIST)
        frame["ongoing"] = frame["ongoing"].astype(bool)
        return frame.sort_values(["entity", "rank"], ascending=[False, True], kind="stable").reset_index(drop=True)

    def variety_history(self, variety_id: str | None = None) -> pd.DataFrame:
        """Risk, level and rank in the current run of every month: of one variety, or of all (with variety_id)."""
        query = (sa.select(scores.c.variety_id, scores.c.month, scores.c.risk, scores.c.warning_level, scores.c.rank,
                           scores.c.run_id)
                 .join(runs, runs.c.run_id == scores.c.run_id)
                 .where(runs.c.is_current & (scores.c.entity == "variety"))
                 .order_by(scores.c.variety_id, scores.c.month))
        if variety_id is not None:
            query = query.where(scores.c.variety_id == variety_id)
        columns = ["variety_id", "month", "risk", "warning_level", "rank", "run_id"]
        with self.engine.connect() as conn:
            frame = pd.DataFrame(conn.execute(query).all(), columns=columns)
        return frame.drop(columns="variety_id") if variety_id is not None else frame

    def months(self) -> list[pd.Period]:
        """Months that have a current run, oldest first."""
        with self.engine.connect() as conn:
            found = conn.execute(sa.select(runs.c.month).where(runs.c.is_current).order_by(runs.c.month)).scalars()
            return [pd.Period(m, freq="M") for m in found]

    def quarantined(self, run_id: int) -> pd.DataFrame:
        """The input rows a run set aside, with their reasons."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(quarantine_table).where(quarantine_table.c.run_id == run_id)).all()
        return pd.DataFrame(rows, columns=[c.name for c in quarantine_table.columns])


def _score_records(run_id: int, watchlist: pd.DataFrame) -> list[dict]:
    frame = watchlist.reindex(columns=WATCHLIST).copy()
    frame["enterprise_id"] = frame["enterprise_id"].fillna("").astype(str)
    frame["drivers"] = frame["drivers"].fillna("").astype(str)
    frame["ongoing"] = frame["ongoing"].fillna(False).astype(bool)
    frame["month"] = frame["month"].astype(str)
    records = frame.assign(run_id=run_id).to_dict(orient="records")
    for rec in records:  # numpy scalars -> Python, which every DBAPI driver accepts
        for key in ("horizon", "warning_level", "rank", "run_id"):
            rec[key] = int(rec[key])
        rec["risk"], rec["ongoing"] = float(rec["risk"]), bool(rec["ongoing"])
    return records


def _quarantine_records(run_id: int, quarantined: pd.DataFrame) -> list[dict]:
    if quarantined is None or quarantined.empty:
        return []
    frame = quarantined.reindex(columns=list(QUARANTINE_COLUMNS)).rename(columns=QUARANTINE_COLUMNS)
    frame = frame.astype(object).where(frame.notna(), None)
    records = frame.assign(run_id=run_id).to_dict(orient="records")
    for rec in records:
        rec["row_number"] = None if rec["row_number"] is None else int(rec["row_number"])
        rec["file"], rec["original"] = str(rec["file"] or ""), str(rec["original"] or "")
    return records


def _pause_for_tests() -> None:
    """Tests set SHORTAGE_TEST_PAUSE_IN_COMMIT to a marker file: write it, then wait to be killed."""
    marker = os.environ.get(PAUSE_ENV)
    if marker:
        Path(marker).write_text("in commit", encoding="utf-8")
        print("paused inside the commit", file=sys.stderr, flush=True)
        time.sleep(600)


def open_store(url: str | None = None) -> Store:
    """Connect (``--store`` > SHORTAGE_STORE_URL > configs/store.yaml) and upgrade the schema to head.

    Raises StoreError (a ValueError) with one line when the URL is bad or the database unreachable.
    """
    resolved = store_url(url)
    try:
        engine = sa.create_engine(resolved)
        if engine.dialect.name == "sqlite":
            sa.event.listen(engine, "connect", _sqlite_pragmas)
        migrate(engine)
    except (sa.exc.SQLAlchemyError, CommandError, OSError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise StoreError(f"score store {display_url(resolved)}: {first}") from exc
    return Store(engine)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """Foreign keys on, WAL so readers never wait for a writer, and a writer waits for another."""
    cfg = store_config()
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(cfg.sqlite_busy_timeout_ms)}")
    cursor.execute(f"PRAGMA journal_mode={cfg.sqlite_journal_mode}")
    cursor.close()
