"""X-API-Key authentication: 401 without a valid key, 403 when the key lacks the endpoint's scope."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable

from fastapi import Depends, HTTPException, Request, Security
from fastapi.security import APIKeyHeader, APIKeyQuery
from starlette.concurrency import run_in_threadpool

from shortage_radar.serve.keys import KeyRecord, find_key, hash_key

api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False,
                              description="A key from `shortage keys create` with the endpoint's scope")
api_key_query = APIKeyQuery(name="api_key", auto_error=False, description="The key, for a browser opening /ui")


class KeyCache:
    """Key lookups remembered for a few seconds so a request does not hit the database each time.

    When an entry expires under load, the many requests carrying that key share one lookup (a
    single flight) instead of each sending its own query to the store at the same moment.
    """

    def __init__(self, engine, ttl_seconds: float) -> None:
        self.engine = engine
        self.ttl = ttl_seconds
        self._seen: dict[str, tuple[float, KeyRecord | None]] = {}
        self._lock = threading.Lock()
        self._pending: dict[str, asyncio.Future] = {}  # touched only on the event loop

    def cached(self, key: str) -> tuple[bool, KeyRecord | None]:
        """(True, record or None) when a fresh answer is remembered; (False, None) when the store must be asked."""
        hit = self._seen.get(hash_key(key))
        if hit is not None and time.monotonic() - hit[0] < self.ttl:
            return True, hit[1]
        return False, None

    def lookup(self, key: str) -> KeyRecord | None:
        """Ask the store (blocking: call from a worker thread) and remember the answer."""
        digest = hash_key(key)
        now = time.monotonic()
        found = find_key(self.engine, key)
        with self._lock:
            if len(self._seen) > 10_000:  # bounded: random bad keys must not grow memory without end
                self._seen.clear()
            self._seen[digest] = (now, found)
        return found

    async def resolve(self, key: str) -> KeyRecord | None:
        """The key's record (None: unknown or revoked), from the cache or one shared lookup off the event loop."""
        known, record = self.cached(key)
        if known:
            return record
        digest = hash_key(key)
        pending = self._pending.get(digest)
        if pending is None:
            pending = asyncio.ensure_future(run_in_threadpool(self.lookup, key))
            self._pending[digest] = pending
            pending.add_done_callback(lambda _done: self._pending.pop(digest, None))
        return await asyncio.shield(pending)


def require(scope: str) -> Callable[..., KeyRecord]:
    """Dependency for an endpoint needing ``scope``."""

    async def check(request: Request, key: str | None = Security(api_key_header)) -> KeyRecord:
        return await _checked(request, key, scope)

    check.__name__ = f"require_{scope}"
    return check


def require_in_query(scope: str) -> Callable[..., KeyRecord]:
    """Like :func:`require`, also accepting ``?api_key=`` (for a browser opening /ui)."""

    async def check(request: Request, key: str | None = Security(api_key_header),
                    query_key: str | None = Security(api_key_query)) -> KeyRecord:
        return await _checked(request, key or query_key, scope)

    check.__name__ = f"require_{scope}_or_query"
    return check


async def _checked(request: Request, key: str | None, scope: str) -> KeyRecord:
    """401 without a valid key, 403 when it lacks ``scope``; the store is asked off the event loop on a miss."""
    if not key:
        raise HTTPException(401, "missing X-API-Key header", headers={"WWW-Authenticate": "APIKey"})
    if len(key) > 200:
        raise HTTPException(401, "invalid API key", headers={"WWW-Authenticate": "APIKey"})
    keys: KeyCache = request.app.state.service.keys
    record = await keys.resolve(key)
    if record is None:
        raise HTTPException(401, "invalid or revoked API key", headers={"WWW-Authenticate": "APIKey"})
    if scope not in record.scopes:
        raise HTTPException(403, f"this key (id {record.key_id}) lacks the '{scope}' scope")
    return record


def scoped(scope: str):
    """``Depends`` on a key with ``scope``, for a route's dependencies list."""
    return Depends(require(scope))
