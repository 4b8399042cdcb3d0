"""GET /ui: the analyst report (HTML) of the latest run or of any stored month, built on first request and cached."""

from __future__ import annotations

from typing import Annotated

import pandas as pd
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from shortage_radar.serve.auth import require_in_query
from shortage_radar.serve.reports import ReportUnavailable
from shortage_radar.serve.routes.common import KEYED, NOT_FOUND, UNAVAILABLE, service
from shortage_radar.serve.schemas import MONTH_PATTERN

router = APIRouter(tags=["ui"], responses={**KEYED, **NOT_FOUND, **UNAVAILABLE})


@router.get("/ui", response_class=FileResponse, dependencies=[Depends(require_in_query("read"))],
            responses={200: {"content": {"text/html": {}}, "description": "The analyst report"}},
            summary="Analyst report of the latest run or of ?month= (key in X-API-Key or ?api_key=)")
async def ui(request: Request,
             month: Annotated[str | None, Query(pattern=MONTH_PATTERN,
                                                description="YYYY-MM with a run in the store; latest when "
                                                            "omitted")] = None) -> FileResponse:
    svc = service(request)
    latest = svc.index.latest
    if latest is None:
        raise HTTPException(503, "no run in the score store yet: run `shortage score` first")
    run = latest.run
    if month is not None and month != latest.run.month:
        run = await run_in_threadpool(svc.store.current_run, pd.Period(month, freq="M"))
        if run is None:
            raise HTTPException(404, f"no run for month {month} in the score store")
    try:
        path = await run_in_threadpool(svc.reports.path_for, run, svc.panel, latest.run.run_id, svc.run_models(run))
    except ReportUnavailable as exc:
        raise HTTPException(503, str(exc)) from exc
    return FileResponse(path, media_type="text/html")

