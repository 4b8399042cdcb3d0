"""GET /health: is the service usable, which models and which run it serves (no key needed)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from shortage_radar.serve.routes.common import service
from shortage_radar.serve.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, summary="Service status, model versions and last run month")
async def health(request: Request) -> Health:
    svc = service(request)
    latest = svc.index.latest
    missing = [text for text, absent in (("no champion model loaded", svc.models.current is None),
                                         ("no run in the score store", latest is None)) if absent]
    return Health(status="degraded" if missing else "ok", model_versions=svc.models.versions,
                  last_run_month=latest.run.month if latest else None,
                  last_run_id=latest.run.run_id if latest else None, detail="; ".join(missing) or None)
