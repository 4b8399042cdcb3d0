"""The key cache: concurrent requests with an expired key share one store lookup."""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import UTC, datetime

from shortage_radar.serve import auth
from shortage_radar.serve.keys import KeyRecord


def test_concurrent_misses_share_one_lookup(monkeypatch):
    calls = []
    lock = threading.Lock()
    record = KeyRecord(key_id="k1", name="k", scopes=frozenset({"read"}), created_at=datetime.now(UTC), revoked_at=None)

    def slow_find(engine, key):
        with lock:
            calls.append(key)
        time.sleep(0.05)
        return record

    monkeypatch.setattr(auth, "find_key", slow_find)
    cache = auth.KeyCache(engine=None, ttl_seconds=0.2)

    async def burst() -> list:
        return await asyncio.gather(*(cache.resolve("secret") for _ in range(50)))

    assert asyncio.run(burst()) == [record] * 50
    assert len(calls) == 1
    assert asyncio.run(burst()) == [record] * 50 and len(calls) == 1  # still fresh: from the cache
    time.sleep(0.25)
    assert asyncio.run(burst()) == [record] * 50 and len(calls) == 2  # expired: one lookup again
    assert asyncio.run(cache.resolve("other")) == record and len(calls) == 3
