"""The record of alerts sent: one row per (run, subscription), claimed before sending so no run alerts twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from shortage_radar.store.schema import alerts_sent

SENDING, DELIVERED, FAILED, EMPTY = "sending", "delivered", "failed", "empty"  # EMPTY: nothing to send, none sent


@dataclass(frozen=True)
class AlertRecord:
    run_id: int
    subscription: str
    url: str
    sent_at: datetime
    status: str
    attempts: int
    items: int
    error: str | None


def claim(engine: sa.Engine, run_id: int, subscription: str, url: str, payload: str, items: int) -> bool:
    """Take the right to send this run's alert to this subscription: True once per (run, subscription), and again
    only after a failed delivery (a second caller, or a later call after success, gets False)."""
    values = {"run_id": run_id, "subscription": subscription, "url": url, "sent_at": datetime.now(UTC),
              "status": SENDING, "attempts": 0, "items": items, "payload": payload, "error": None}
    try:
        with engine.begin() as conn:
            conn.execute(alerts_sent.insert().values(**values))
        return True
    except sa.exc.IntegrityError:
        pass
    key = (alerts_sent.c.run_id == run_id) & (alerts_sent.c.subscription == subscription)
    with engine.begin() as conn:  # a failed delivery may be retried: flip failed -> sending, one caller wins
        result = conn.execute(alerts_sent.update().where(key & (alerts_sent.c.status == FAILED)).values(
            **{k: v for k, v in values.items() if k not in ("run_id", "subscription")}))
        return result.rowcount == 1


def finish(engine: sa.Engine, run_id: int, subscription: str, status: str, attempts: int,
           error: str | None = None) -> None:
    """Record how the delivery ended."""
    key = (alerts_sent.c.run_id == run_id) & (alerts_sent.c.subscription == subscription)
    with engine.begin() as conn:
        conn.execute(alerts_sent.update().where(key).values(status=status, attempts=attempts,
                                                            error=None if error is None else error[:2000],
                                                            sent_at=datetime.now(UTC)))


def sent(engine: sa.Engine, run_id: int | None = None) -> list[AlertRecord]:
    """The alerts recorded (of one run, or all), oldest first."""
    query = sa.select(alerts_sent).order_by(alerts_sent.c.alert_id)
    if run_id is not None:
        query = query.where(alerts_sent.c.run_id == run_id)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return [AlertRecord(**{k: v for k, v in r._mapping.items() if k in AlertRecord.__dataclass_fields__})
            for r in rows]


def payload_of(engine: sa.Engine, run_id: int, subscription: str) -> str | None:
    """The JSON body recorded for (run, subscription)."""
    key = (alerts_sent.c.run_id == run_id) & (alerts_sent.c.subscription == subscription)
    with engine.connect() as conn:
        return conn.execute(sa.select(alerts_sent.c.payload).where(key)).scalar_one_or_none()
