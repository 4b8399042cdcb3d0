"""The score store: runs, watchlists and quarantined rows through SQLAlchemy, migrated by Alembic."""

from shortage_radar.store.store import RunRecord, Store, StoreError, open_store

__all__ = ["RunRecord", "Store", "StoreError", "open_store"]
