"""``shortage serve``: the HTTP risk-score service (FastAPI under uvicorn)."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from shortage_radar.commands.console import fail, out


def serve(
    host: Annotated[str | None, typer.Option("--host", help="Interface to bind (default configs/serve.yaml: "
                                                            "127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option("--port", min=1, max=65535, help="Port (default 8000).")] = None,
    store: Annotated[str | None, typer.Option("--store", help="Score store URL (default SHORTAGE_STORE_URL, "
                                                              "else configs/store.yaml).")] = None,
    tracking_uri: Annotated[str | None, typer.Option("--tracking-uri", help="MLflow tracking URI.")] = None,
    workers: Annotated[int | None, typer.Option("--workers", min=1, max=64, help="Worker processes (default "
                                                                              "configs/serve.yaml: 1).")] = None,
) -> None:
    """Serve risk, watchlists, live scoring and the analyst report over HTTP (keys: `shortage keys create`)."""
    import uvicorn

    from shortage_radar.models.registry import tracking_uri as resolve
    from shortage_radar.serve.app import create_app
    from shortage_radar.serve.settings import serve_config
    from shortage_radar.store import StoreError
    from shortage_radar.store.settings import URL_ENV, display_url, store_url
    from shortage_radar.workspace import WorkspaceError, require_existing

    cfg = serve_config()
    try:
        require_existing(store_url(store), "score store", display_url(store_url(store)))  # never serve a new, empty one
        app = create_app(store_url=store, tracking_uri=tracking_uri, cfg=cfg)  # opened here: a bad URL fails now
    except (StoreError, WorkspaceError) as exc:
        fail(str(exc))
    bind_host, bind_port, processes = host or cfg.host, port or cfg.port, workers or cfg.workers
    out.print(f"serving on http://{bind_host}:{bind_port} with {processes} worker(s) (docs at /docs, report at /ui)")
    if processes == 1:
        uvicorn.run(app, host=bind_host, port=bind_port, log_level="warning", access_log=False)
        return
    # Several processes: each builds its own app from the same store and registry, passed by environment.
    os.environ[URL_ENV] = store_url(store)
    os.environ["MLFLOW_TRACKING_URI"] = resolve(tracking_uri)
    uvicorn.run("shortage_radar.serve.app:create_app", factory=True, host=bind_host, port=bind_port,
                workers=processes, log_level="warning", access_log=False)
