"""Score-store parameters from ``configs/store.yaml``."""

from __future__ import annotations

import os
from functools import lru_cache

from shortage_radar.config import FrozenModel, load_config

URL_ENV = "SHORTAGE_STORE_URL"


class StoreConfig(FrozenModel):
    url: str | None  # None: the workspace's store.db
    insert_chunk_rows: int
    sqlite_journal_mode: str
    sqlite_busy_timeout_ms: int


@lru_cache(maxsize=1)
def store_config() -> StoreConfig:
    """configs/store.yaml, read once."""
    return load_config("store", StoreConfig)


def store_url(override: str | None = None) -> str:
    """--store, then SHORTAGE_STORE_URL, then configs/store.yaml's url, then the workspace's store.db."""
    from shortage_radar.workspace import workspace

    return override or os.environ.get(URL_ENV) or store_config().url or workspace().store_url


def display_url(url: str) -> str:
    """The URL as safe to print: the password masked."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url
