"""The audit of the latest run's panel: who did not report, who reported late, which figures cannot be right."""

from __future__ import annotations

from typing import Annotated, Literal

import pandas as pd
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from starlette.concurrency import run_in_threadpool

from shortage_radar.audit import audit, summary_counts
from shortage_radar.serve.auth import require
from shortage_radar.serve.routes.common import KEYED, NOT_FOUND, UNAVAILABLE, service
from shortage_radar.serve.schemas import MONTH_PATTERN, AuditFinding, AuditPage
from shortage_radar.serve.service import Service
from shortage_radar.serve.settings import serve_config

CFG = serve_config()
Check = Literal["missing_report", "late_report", "stock_flow", "implausible_value", "under_delivery", "price_spike"]
router = APIRouter(prefix="/v1", tags=["audit"], dependencies=[Depends(require("read"))],
                   responses={**KEYED, **NOT_FOUND, **UNAVAILABLE})


def _months(svc: Service) -> tuple[pd.Period, pd.Period]:
    """The first and last month the panel has reports for (503 without a readable panel or reports)."""
    panel = svc.panel
    if panel is None:
        raise HTTPException(503, f"the latest run's panel cannot be read: {svc.panel_error or 'no run yet'}")
    reports = panel.get("monthly_reports")
    if reports is None or not len(reports):
        raise HTTPException(503, "the latest run's panel has no monthly_reports: nothing to audit")
    return reports["month"].min(), reports["month"].max()


async def _findings(svc: Service, month: str | None) -> tuple[str, pd.DataFrame]:
    """The month's findings (the panel's last month when None), computed once per panel and month."""
    first, last = _months(svc)
    wanted = last if month is None else pd.Period(month, freq="M")
    if not first <= wanted <= last:
        raise HTTPException(404, f"no reports for month {wanted} in the panel (months {first} .. {last})")
    key = str(wanted)
    found = svc.audits.get(key)
    if found is None:
        panel = svc.panel
        found = await run_in_threadpool(audit, panel, wanted)
        svc.audits[key] = found
    return key, found


@router.get("/audit", response_model=AuditPage, summary="Reporting-compliance and data-accuracy findings of a month")
async def audit_findings(
    request: Request,
    month: Annotated[str | None, Query(pattern=MONTH_PATTERN, description="YYYY-MM; the panel's last month "
                                                                          "when omitted")] = None,
    province: Annotated[str | None, Query(max_length=100, description="Only findings in this province")] = None,
    check: Annotated[Check | None, Query(description="Only findings of this check")] = None,
    limit: Annotated[int, Query(ge=1, le=CFG.page_max)] = CFG.page_default,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> AuditPage:
    svc = service(request)
    key, found = await _findings(svc, month)
    if province is not None:
        found = found[found["province"] == province]
    if check is not None:
        found = found[found["check"] == check]
    counts = summary_counts(found)
    rows = found.iloc[offset:offset + limit].astype(object).where(found.iloc[offset:offset + limit].notna(), None)
    return AuditPage(month=key, data_path=str(svc.panel.source), total=len(found), by_check=counts["by_check"],
                     by_province=counts["by_province"], limit=limit, offset=offset,
                     items=[AuditFinding(**r) for r in rows.to_dict("records")])
