"""POST /v1/score: live risk of some varieties with this month's new rows; nothing is written to the store."""

from __future__ import annotations

import pandas as pd
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse

from shortage_radar.serve.auth import require
from shortage_radar.serve.index import row_dict
from shortage_radar.serve.live import LIVE_TABLES, Rejected, merge, score_live
from shortage_radar.serve.routes.common import KEYED, UNAVAILABLE, _doc, service
from shortage_radar.serve.schemas import ScoreRequest, ScoreResponse

router = APIRouter(prefix="/v1", tags=["score"], dependencies=[Depends(require("score"))],
                   responses={**KEYED, **UNAVAILABLE, 400: _doc("The body is not JSON (or a bad Content-Length)"),
                              413: _doc("Body or row count over the limit"),
                              429: _doc("Another live scoring is running")})


def _check_bounds(request: Request, body: ScoreRequest) -> pd.Period:
    """The posted month, within reach of the latest run; row count within the configured limit."""
    svc = service(request)
    cfg = svc.cfg
    n_rows = sum(len(getattr(body, t)) for t in LIVE_TABLES)
    if n_rows > cfg.score_max_rows:
        raise HTTPException(413, f"{n_rows:,} rows posted; at most {cfg.score_max_rows:,} per request")
    latest = svc.index.latest
    if latest is None:
        raise HTTPException(503, "no run in the score store yet: run `shortage score` first")
    month = pd.Period(body.month, freq="M")
    last = pd.Period(latest.run.month, freq="M")
    if month > last + cfg.score_months_ahead:
        raise HTTPException(422, f"month {month}: the latest run is {last}; live scoring reaches at most "
                                 f"{last + cfg.score_months_ahead}")
    return month


@router.post("/score", response_model=ScoreResponse, summary="Live risk of varieties with newly posted rows")
def score(request: Request, body: ScoreRequest) -> ScoreResponse | JSONResponse:
    svc = service(request)
    month = _check_bounds(request, body)
    champions, panel = svc.models.current, svc.panel
    if champions is None:
        raise HTTPException(503, f"no champion model loaded ({svc.models.last_error or 'run `shortage train`'})")
    if panel is None:
        raise HTTPException(503, f"the latest run's panel cannot be read: {svc.panel_error or 'no run yet'}")
    try:
        merged = merge(panel, month, {t: getattr(body, t) for t in LIVE_TABLES}, body.variety_ids)
    except Rejected as exc:
        return JSONResponse(status_code=422, content={"detail": str(exc), "rejected": exc.rows})
    if len(merged.varieties) > svc.cfg.score_max_varieties:
        raise HTTPException(413, f"{len(merged.varieties)} varieties to score; at most "
                                 f"{svc.cfg.score_max_varieties} per request")
    if not svc.score_gate.acquire(blocking=False):
        raise HTTPException(429, "another live scoring is running; retry shortly", headers={"Retry-After": "1"})
    try:
        scored = score_live(merged, month, champions.models)
    finally:
        svc.score_gate.release()
    return ScoreResponse(month=str(month), model_versions=dict(champions.versions),
                         based_on_run=svc.index.latest.run.run_id, rows_merged=merged.counts,
                         items=[row_dict(r) for r in scored.to_dict("records")])
