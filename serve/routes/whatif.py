"""POST /v1/whatif: risk before and after a scenario (a supplier suspends, an API runs short, demand surges)."""

from __future__ import annotations

from typing import Annotated

import pandas as pd
from fastapi import APIRouter, Depends, HTTPException, Request

from shortage_radar.errors import ArgumentError
from shortage_radar.serve.auth import require
from shortage_radar.serve.language import Lang, language
from shortage_radar.serve.routes.common import KEYED, UNAVAILABLE, _doc, service
from shortage_radar.serve.schemas import WhatIfItem, WhatIfRequest, WhatIfResponse

router = APIRouter(prefix="/v1", tags=["score"], dependencies=[Depends(require("score"))],
                   responses={**KEYED, **UNAVAILABLE, 400: _doc("The body is not JSON (or a bad Content-Length)"),
                              413: _doc("Body over the limit"), 429: _doc("Another live scoring is running")})


def _scenario(body: WhatIfRequest):
    from shortage_radar.models.whatif import Scenario, whatif_config

    if body.suspend is not None:
        return Scenario("suspend", body.suspend, months=body.months or whatif_config().suspend_months)
    if body.api_shortage is not None:
        return Scenario("api_shortage", body.api_shortage)
    return Scenario("demand_surge", body.demand_surge.variety_id, pct=body.demand_surge.pct)


def _items(frame: pd.DataFrame, lang: Lang) -> list[WhatIfItem]:
    column = "drivers_after_zh" if lang == "zh" else "drivers_after"
    return [WhatIfItem(variety_id=r["variety_id"], generic_name=r["generic_name"], dosage_form=r["dosage_form"],
                       risk_before=r["risk_before"], risk_after=r["risk_after"], level_before=r["level_before"],
                       level_after=r["level_after"], level_reason_after=r["level_reason_after"],
                       drivers_after=[d.strip() for d in str(r[column] or r["drivers_after"]).split(";") if d.strip()])
            for r in frame.to_dict("records")]


@router.post("/whatif", response_model=WhatIfResponse, summary="Risk before and after a scenario; nothing stored")
def whatif(request: Request, body: WhatIfRequest, lang: Annotated[Lang, Depends(language)] = "en") -> WhatIfResponse:
    from shortage_radar.api import what_if

    svc = service(request)
    champions, panel = svc.models.current, svc.panel
    if champions is None:
        raise HTTPException(503, f"no champion model loaded ({svc.models.last_error or 'run `shortage train`'})")
    if panel is None:
        raise HTTPException(503, f"the latest run's panel cannot be read: {svc.panel_error or 'no run yet'}")
    month = pd.Period(body.month, freq="M")
    latest = svc.index.latest
    last = pd.Period(latest.run.month, freq="M") if latest is not None else month
    if month > last:
        raise HTTPException(422, f"month {month}: the latest run is {last}; what-if reaches at most {last}")
    scenario = _scenario(body)
    if not svc.score_gate.acquire(blocking=False):
        raise HTTPException(429, "another live scoring is running; retry shortly", headers={"Retry-After": "1"})
    try:
        result = what_if(panel, champions.models, month, scenario)
    except ArgumentError as exc:
        raise HTTPException(422, str(exc)) from None
    finally:
        svc.score_gate.release()
    return WhatIfResponse(month=str(month), scenario=scenario.describe(), model_versions=dict(champions.versions),
                          items=_items(result, lang))
