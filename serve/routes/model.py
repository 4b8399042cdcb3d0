"""GET /v1/model (the champions and their backtest metrics) and POST /v1/admin/reload."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from shortage_radar.serve.auth import require
from shortage_radar.serve.routes.common import KEYED, service
from shortage_radar.serve.schemas import ChampionModel, ModelInfo, ReloadResult

router = APIRouter(prefix="/v1", tags=["model"], responses=KEYED)


@router.get("/model", response_model=ModelInfo, dependencies=[Depends(require("read"))],
            summary="Champion model versions and their backtest metrics")
async def model(request: Request) -> ModelInfo:
    holder = service(request).models
    current = holder.current
    models = [ChampionModel(name=n, version=v, backtest=current.metrics.get(n, {}),
                            **current.guard.get(n, {}))
              for n, v in (current.versions.items() if current else [])]
    return ModelInfo(models=models, loaded_at=current.loaded_at.isoformat() if current else None,
                     last_reload_error=holder.last_error)


@router.post("/admin/reload", response_model=ReloadResult, dependencies=[Depends(require("admin"))],
             summary="Load the registry's current champion; on failure keep serving the last good model")
def reload(request: Request) -> ReloadResult:
    holder = service(request).models
    ok = holder.reload()
    return ReloadResult(reloaded=ok, model_versions=holder.versions,
                        error=None if ok else f"{holder.last_error}; still serving "
                                              f"{holder.versions or 'no model'}")
