"""The score store: runs, watchlists and quarantined rows through SQLAlchemy, migrated by Alembic."""

from shortage_radar.store.store import EmptyRunError, RunRecord, Store, StoreError, WithdrawError, open_store

__all__ = ["EmptyRunError", "RunRecord", "Store", "StoreError", "WithdrawError", "open_store"]
