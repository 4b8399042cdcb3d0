"""``shortage serve``: the HTTP risk-score service (FastAPI under uvicorn)."""

from __future__ import annotations

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
) -> None:
    """Serve risk, watchlists, live scoring and the analyst report over HTTP (keys: `shortage keys create`)."""
    import uvicorn

    from shortage_radar.serve.app import create_app
    from shortage_radar.serve.settings import serve_config
    from shortage_radar.store import StoreError

    cfg = serve_config()
    try:
        app = create_app(store_url=store, tracking_uri=tracking_uri, cfg=cfg)
    except StoreError as exc:
        fail(str(exc))
    bind_host, bind_port = host or cfg.host, port or cfg.port
    out.print(f"serving on http://{bind_host}:{bind_port} (docs at /docs, report at /ui)")
    uvicorn.run(app, host=bind_host, port=bind_port, log_level="warning", access_log=False)
