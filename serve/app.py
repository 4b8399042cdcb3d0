"""The FastAPI app factory: routes, key auth, body limit, errors as one-line JSON, state loaded at startup."""

from __future__ import annotations

import gc
import logging
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request
from fastapi_offline import FastAPIOffline
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool

from shortage_radar.serve.middleware import BodyLimit
from shortage_radar.serve.routes import audit, health, model, risk, score, ui, watchlist, whatif
from shortage_radar.serve.service import Service
from shortage_radar.serve.settings import ServeConfig, serve_config
from shortage_radar.serve.strict import known_query_only

log = logging.getLogger(__name__)


def _where(loc) -> str:
    return ".".join(str(p) for p in loc)


async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
    """422 naming the first bad field in one line, every problem listed in ``errors``."""
    errors = [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
              for e in exc.errors()]
    first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
    return JSONResponse(status_code=422, content={"detail": f"{_where(first['loc'])}: {first['msg']}",
                                                  "errors": errors})


async def _store_down(request: Request, exc: SQLAlchemyError) -> JSONResponse:
    log.warning("score store error on %s: %s", request.url.path, exc)
    return JSONResponse(status_code=503, content={"detail": "the score store is unavailable; retry shortly"})


def _open(store_url: str | None, tracking_uri: str | None, cfg: ServeConfig) -> Service:
    from shortage_radar.models.registry import tracking_uri as resolve
    from shortage_radar.store import open_store

    return Service(open_store(store_url), resolve(tracking_uri), cfg)


def create_app(service: Service | None = None, *, store_url: str | None = None, tracking_uri: str | None = None,
               cfg: ServeConfig | None = None, load: bool = True) -> FastAPI:
    """The app over ``service`` (or one opened from the store and tracking URLs); loads it at startup."""
    cfg = cfg or serve_config()
    svc = service or _open(store_url, tracking_uri, cfg)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if load:
            await run_in_threadpool(svc.load)
        # Everything loaded so far (libraries, models, panel, index) lives as long as the process: keep it out of
        # the collector's full passes, which otherwise stall every request in flight for a few hundred ms.
        gc.freeze()
        svc.start()
        try:
            yield
        finally:
            svc.stop()

    # Swagger UI and ReDoc from the pinned fastapi-offline package's own files: /docs works with no internet.
    app = FastAPIOffline(title="shortage-radar risk service", version="1",
                  description="Drug shortage risk and warning levels of varieties and enterprises, the ranked "
                              "watchlist, live scoring of newly reported rows and the analyst report. "
                              "Send a key from `shortage keys create` in X-API-Key.",
                  lifespan=lifespan, dependencies=[Depends(known_query_only)])
    app.state.service = svc
    app.add_middleware(BodyLimit, max_bytes=cfg.max_body_bytes)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(SQLAlchemyError, _store_down)
    for module in (health, risk, watchlist, score, whatif, model, ui, audit):
        app.include_router(module.router)
    return app
