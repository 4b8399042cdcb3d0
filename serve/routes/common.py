"""Helpers every route module shares: the service from the app, documented error responses, month lookups."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import HTTPException, Request, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from shortage_radar.serve.index import MonthIndex
from shortage_radar.serve.schemas import Problem
from shortage_radar.serve.service import Service


def _doc(text: str) -> dict:
    return {"model": Problem, "description": text}


KEYED = {401: _doc("No valid X-API-Key"), 403: _doc("The key lacks the scope"),
         422: _doc("Bad parameters (e.g. a month that is not YYYY-MM)")}
PUBLIC = {422: _doc("Bad parameters")}
NOT_FOUND = {404: _doc("Unknown id, or no run for the month")}
UNAVAILABLE = {503: _doc("Not available yet (no run, no model, or the store is unreachable)")}


def answered(index: MonthIndex, key: str, build: Callable[[], BaseModel]) -> Response:
    """The JSON response for ``key`` in this run: ``build()`` serialised on first use, the same bytes after
    (a run's rows never change, and validating and serialising were most of a lookup's cost)."""
    body = index.answers.get(key)
    if body is None:
        body = build().model_dump_json().encode("utf-8")
        index.answers[key] = body
    return Response(body, media_type="application/json")


def service(request: Request) -> Service:
    return request.app.state.service


async def month_index(svc: Service, month: str | None) -> MonthIndex:
    """The index of ``month`` (latest when None); 404 when that month has no run, 503 when there is none at all."""
    latest = svc.index.latest
    if latest is None:
        raise HTTPException(503, "no run in the score store yet: run `shortage score` first")
    if month is None or month == latest.run.month:
        return latest
    if month not in svc.index.current:
        months = sorted(svc.index.current)
        raise HTTPException(404, f"no run for month {month} (months with a run: {months[0]} .. {months[-1]})")
    found = await run_in_threadpool(svc.index.month, month)  # past months: read once from the store, then cached
    if found is None:
        raise HTTPException(404, f"no run for month {month}")
    return found
