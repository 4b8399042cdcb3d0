"""The ranked, filtered, paginated watchlist and a variety's history over past runs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request

from shortage_radar.serve.auth import require
from shortage_radar.serve.language import Lang, language, localised
from shortage_radar.serve.routes.common import KEYED, NOT_FOUND, UNAVAILABLE, month_index, service
from shortage_radar.serve.schemas import MONTH_PATTERN, Entity, HistoryPoint, VarietyHistory, WatchlistPage
from shortage_radar.serve.settings import serve_config

CFG = serve_config()
router = APIRouter(prefix="/v1", tags=["watchlist"], dependencies=[Depends(require("read"))],
                   responses={**KEYED, **NOT_FOUND, **UNAVAILABLE})


@router.get("/watchlist", response_model=WatchlistPage, summary="Ranked watchlist of a month, filtered and paged")
async def watchlist(
    request: Request,
    month: Annotated[str | None, Query(pattern=MONTH_PATTERN, description="YYYY-MM; latest run when omitted")] = None,
    entity: Annotated[Entity | None, Query(description="Only variety or only enterprise rows")] = None,
    max_level: Annotated[int | None, Query(ge=1, le=4, description="Only rows with a warning at least this "
                                                                  "severe: 1 red only .. 4 any warning")] = None,
    province: Annotated[str | None, Query(max_length=100, description="Enterprises in the province; varieties "
                                                                       "with a monitored producer there")] = None,
    limit: Annotated[int, Query(ge=1, le=CFG.page_max)] = CFG.page_default,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    lang: Annotated[Lang, Depends(language)] = "en",
) -> WatchlistPage:
    svc = service(request)
    index = await month_index(svc, month)
    rows = index.rows  # already ranked: varieties first, then enterprises, each by rank
    if entity is not None:
        rows = [r for r in rows if r["entity"] == entity]
    if max_level is not None:
        rows = [r for r in rows if 1 <= r["warning_level"] <= max_level]
    if province is not None:
        provinces = svc.provinces
        rows = [r for r in rows if provinces.match(r, province)]
    return WatchlistPage(month=index.run.month, run_id=index.run.run_id, total=len(rows), limit=limit, offset=offset,
                         items=[localised(r, lang) for r in rows[offset:offset + limit]])


@router.get("/varieties/{variety_id}/history", response_model=VarietyHistory,
            summary="A variety's risk and warning level in the current run of every past month")
async def history(request: Request,
                  variety_id: Annotated[str, Path(max_length=64, examples=["V0012"])]) -> VarietyHistory:
    points = service(request).index.history.get(variety_id)  # in memory: refreshed when a new run lands
    if not points:
        raise HTTPException(404, f"variety '{variety_id}' has no score in any run")
    return VarietyHistory(variety_id=variety_id, points=[HistoryPoint(**p) for p in points])
