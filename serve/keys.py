"""API keys in the score store: created once (shown once), kept only as a SHA-256 hash, revoked by id."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

SCOPES: tuple[str, ...] = ("read", "score", "admin")
PREFIX = "sr"

metadata = sa.MetaData()
api_keys = sa.Table(  # created by migration 0002_api_keys; declared here for queries only
    "api_keys", metadata,
    sa.Column("key_id", sa.String(16), primary_key=True),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("key_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("scopes", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("revoked_at", sa.DateTime(timezone=True)),
)


@dataclass(frozen=True)
class KeyRecord:
    """One key as stored (never the key itself)."""

    key_id: str
    name: str
    scopes: frozenset[str]
    created_at: datetime
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def hash_key(key: str) -> str:
    """SHA-256 of the whole key: keys are 256-bit random secrets, so a fast hash cannot be brute-forced."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _scopes(scopes: list[str] | tuple[str, ...]) -> str:
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown or not scopes:
        raise ValueError(f"scopes {', '.join(unknown) or '(none)'}: expected one or more of {', '.join(SCOPES)}")
    return ",".join(s for s in SCOPES if s in scopes)


def _record(row) -> KeyRecord:
    fixed = [v.replace(tzinfo=UTC) if v is not None and v.tzinfo is None else v  # SQLite drops the zone
             for v in (row.created_at, row.revoked_at)]
    return KeyRecord(row.key_id, row.name, frozenset(row.scopes.split(",")), fixed[0], fixed[1])


def create_key(engine: sa.Engine, name: str, scopes: list[str] | tuple[str, ...], n_bytes: int = 32) -> tuple[str, str]:
    """Store a new key's hash and return (key_id, key); the key itself is not kept anywhere."""
    if not name.strip() or len(name) > 100:
        raise ValueError("key name: expected 1 to 100 characters")
    joined = _scopes(scopes)
    key_id = secrets.token_hex(4)
    key = f"{PREFIX}_{key_id}_{secrets.token_urlsafe(n_bytes)}"
    with engine.begin() as conn:
        conn.execute(api_keys.insert().values(key_id=key_id, name=name.strip(), key_hash=hash_key(key),
                                              scopes=joined, created_at=datetime.now(UTC)))
    return key_id, key


def list_keys(engine: sa.Engine) -> list[KeyRecord]:
    """Every key, oldest first, revoked ones included."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(api_keys).order_by(api_keys.c.created_at, api_keys.c.key_id)).all()
    return [_record(r) for r in rows]


def revoke_key(engine: sa.Engine, key_id: str) -> bool:
    """Mark a key revoked; False when there is no active key with that id."""
    with engine.begin() as conn:
        result = conn.execute(api_keys.update().where((api_keys.c.key_id == key_id) & api_keys.c.revoked_at.is_(None))
                              .values(revoked_at=datetime.now(UTC)))
    return result.rowcount > 0


def find_key(engine: sa.Engine, key: str) -> KeyRecord | None:
    """The active key whose hash matches ``key``, or None."""
    digest = hash_key(key)
    with engine.connect() as conn:
        row = conn.execute(sa.select(api_keys).where(api_keys.c.key_hash == digest)).first()
    if row is None or not hmac.compare_digest(row.key_hash, digest) or row.revoked_at is not None:
        return None
    return _record(row)
