"""Risk of one variety or one enterprise in a month's current run, from the in-memory index."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response

from shortage_radar.serve.auth import require
from shortage_radar.serve.language import Lang, language, localised
from shortage_radar.serve.routes.common import KEYED, NOT_FOUND, UNAVAILABLE, answered, month_index, service
from shortage_radar.serve.schemas import MONTH_PATTERN, EnterpriseRisk, VarietyRisk

router = APIRouter(prefix="/v1", tags=["risk"], dependencies=[Depends(require("read"))],
                   responses={**KEYED, **NOT_FOUND, **UNAVAILABLE})
Month = Annotated[str | None, Query(pattern=MONTH_PATTERN, description="YYYY-MM; the latest run when omitted",
                                    examples=["2024-06"])]


@router.get("/varieties/{variety_id}/risk", response_model=VarietyRisk, summary="A variety's risk and warning level")
async def variety_risk(request: Request, variety_id: Annotated[str, Path(max_length=64, examples=["V0012"])],
                       month: Month = None, lang: Annotated[Lang, Depends(language)] = "en") -> Response:
    index = await month_index(service(request), month)
    row = index.variety.get(variety_id)
    if row is None:
        raise HTTPException(404, f"variety '{variety_id}' has no score in run {index.run.run_id} ({index.run.month})")
    return answered(index, f"variety/{variety_id}/{lang}",
                    lambda: VarietyRisk(**localised(row, lang), run_id=index.run.run_id))


@router.get("/enterprises/{enterprise_id}/risk", response_model=EnterpriseRisk,
            summary="An enterprise's risk: its most at-risk variety and all its scored varieties")
async def enterprise_risk(request: Request, enterprise_id: Annotated[str, Path(max_length=64, examples=["E0003"])],
                          month: Month = None, lang: Annotated[Lang, Depends(language)] = "en") -> Response:
    index = await month_index(service(request), month)
    rows = index.enterprise.get(enterprise_id)
    if not rows:
        raise HTTPException(404, f"enterprise '{enterprise_id}' has no score in run {index.run.run_id} "
                                 f"({index.run.month})")
    rows = tuple(localised(r, lang) for r in rows)
    return answered(index, f"enterprise/{enterprise_id}/{lang}", lambda: _enterprise(enterprise_id, index, rows))


def _enterprise(enterprise_id: str, index, rows: tuple[dict, ...]) -> EnterpriseRisk:
    """Its most at-risk variety's risk and rank, its most severe level and that level's tier."""
    top = rows[0]  # sorted by rank: the highest risk first
    levels = [r["warning_level"] for r in rows if r["warning_level"] > 0]
    level = min(levels) if levels else 0
    tier = next((r["response_tier"] for r in rows if r["warning_level"] == level), "none")
    return EnterpriseRisk(enterprise_id=enterprise_id, month=index.run.month, run_id=index.run.run_id,
                          risk=top["risk"], warning_level=level, response_tier=tier, rank=top["rank"],
                          drivers=top["drivers"], varieties=list(rows))
