"""``shortage keys create|list|revoke``: API keys of the HTTP service (a key is shown once, at creation)."""

from __future__ import annotations

from datetime import UTC
from typing import Annotated

import typer
from rich.table import Table

from shortage_radar.commands.console import fail, out

app = typer.Typer(no_args_is_help=True, add_completion=False, help="API keys of `shortage serve`.")
StoreOption = Annotated[str | None, typer.Option("--store", help="Score store URL (default SHORTAGE_STORE_URL, "
                                                                 "else configs/store.yaml).")]


def _engine(url: str | None, create: bool = False):
    """The store's engine; only ``keys create`` may create the database (the others refuse a missing one)."""
    from shortage_radar.store import StoreError, open_store

    try:
        return open_store(url, create=create).engine
    except StoreError as exc:
        fail(str(exc))


def _time(value) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M") if value is not None else ""


@app.command("create")
def create(name: Annotated[str, typer.Option("--name", help="Who or what uses the key (e.g. hebei-platform).")],
           scope: Annotated[list[str], typer.Option("--scope", help="read, score or admin; repeat for several.")],
           store: StoreOption = None) -> None:
    """Create a key and print it once: only its hash is stored."""
    from shortage_radar.serve.keys import create_key
    from shortage_radar.serve.settings import serve_config

    try:
        key_id, key = create_key(_engine(store, create=True), name, scope, serve_config().key_bytes)
    except ValueError as exc:
        fail(str(exc))
    out.print(f"key id {key_id} ({', '.join(sorted(set(scope)))}) for {name}; store it now, it is not shown again:")
    print(key)


@app.command("list")
def list_(store: StoreOption = None) -> None:
    """Every key: id, name, scopes, created, revoked (never the key)."""
    from shortage_radar.serve.keys import list_keys

    table = Table(title="API keys", title_justify="left")
    for col in ("id", "name", "scopes", "created (UTC)", "revoked (UTC)"):
        table.add_column(col, no_wrap=True)
    for k in list_keys(_engine(store)):
        table.add_row(k.key_id, k.name, ",".join(sorted(k.scopes)), _time(k.created_at), _time(k.revoked_at))
    out.print(table)


@app.command("revoke")
def revoke(key_id: Annotated[str, typer.Argument(help="Key id (see `shortage keys list`).")],
           store: StoreOption = None) -> None:
    """Revoke a key; the service refuses it within key_cache_seconds (configs/serve.yaml)."""
    from shortage_radar.serve.keys import revoke_key

    if not revoke_key(_engine(store), key_id):
        fail(f"key {key_id}: no active key with this id (see `shortage keys list`)")
    out.print(f"key {key_id} revoked")
