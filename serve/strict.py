"""Reject query parameters an endpoint does not take: a misspelt ``?monht=`` must not silently mean "latest"."""

from __future__ import annotations

from fastapi import HTTPException, Request
from fastapi.routing import APIRoute
from fastapi.security import APIKeyQuery

_ATTRIBUTE = "_shortage_query_names"  # the names, remembered on the route object itself


def _accepted(route: APIRoute) -> frozenset[str]:
    """Every query parameter the route or its dependencies declare (aliases and query API keys included)."""
    known = getattr(route, _ATTRIBUTE, None)
    if known is None:
        names: set[str] = set()
        pending = [route.dependant]
        while pending:
            dependant = pending.pop()
            names.update(p.alias for p in dependant.query_params)
            if isinstance(dependant.call, APIKeyQuery):
                names.add(dependant.call.model.name)
            pending.extend(dependant.dependencies)
        known = frozenset(names)
        setattr(route, _ATTRIBUTE, known)
    return known


async def known_query_only(request: Request) -> None:
    """422 naming the first unknown query parameter and the ones the endpoint takes (async: no thread hop)."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    accepted = _accepted(route)
    unknown = sorted(set(request.query_params) - accepted)
    if unknown:
        takes = ", ".join(sorted(accepted)) or "none"
        raise HTTPException(422, f"unknown query parameter {unknown[0]!r} (this endpoint takes: {takes})")
