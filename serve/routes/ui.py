"""GET /ui: the analyst report (HTML) of the latest run, built on first request and cached per run."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse

from shortage_radar.serve.auth import require_in_query
from shortage_radar.serve.reports import ReportUnavailable
from shortage_radar.serve.routes.common import KEYED, UNAVAILABLE, service

router = APIRouter(tags=["ui"], responses={**KEYED, **UNAVAILABLE})


@router.get("/ui", response_class=FileResponse, dependencies=[Depends(require_in_query("read"))],
            responses={200: {"content": {"text/html": {}}, "description": "The analyst report"}},
            summary="Analyst report of the latest run (key in X-API-Key or ?api_key=)")
def ui(request: Request) -> FileResponse:
    svc = service(request)
    latest = svc.index.latest
    if latest is None:
        raise HTTPException(503, "no run in the score store yet: run `shortage score` first")
    try:
        path = svc.reports.path_for(latest.run, svc.panel)
    except ReportUnavailable as exc:
        raise HTTPException(503, str(exc)) from exc
    return FileResponse(path, media_type="text/html")
