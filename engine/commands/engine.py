"""``--engine local|dask``: run a command in this process or on a Dask cluster (docs/scaling.md).

The Dask engine connects to ``SHORTAGE_DASK_ADDRESS`` when it is set, else starts a LocalCluster
sized by ``configs/dask.yaml``. Nothing imports Dask unless ``--engine dask`` is given.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from shortage_radar.commands.console import fail


class Engine(StrEnum):
    local = "local"
    dask = "dask"


EngineOption = Annotated[Engine, typer.Option(
    "--engine", help="local (this process) or dask (the cluster at SHORTAGE_DASK_ADDRESS, else a LocalCluster; "
                     "configs/dask.yaml).")]


@dataclass(frozen=True)
class DaskSession:
    """A connected client and the Dask engine's configuration."""

    client: object
    cfg: object


@contextmanager
def dask_session() -> Iterator[DaskSession]:
    """Connect (or start a LocalCluster); one clear line when Dask is missing or the scheduler unreachable."""
    try:
        import distributed  # noqa: F401 - the Dask extra
        import fugue_dask  # noqa: F401
    except ImportError as exc:
        fail(f"--engine dask needs Dask and fugue ({exc.name} is not installed): pip install 'shortage-radar[dask]'")
    from shortage_radar.distributed.cluster import ClusterError, dask_client
    from shortage_radar.distributed.settings import dask_config

    cfg = dask_config()
    try:
        with dask_client(cfg) as client:
            yield DaskSession(client=client, cfg=cfg)
    except ClusterError as exc:
        fail(str(exc))


@contextmanager
def backend_for(data: Path, engine: Engine, training: str | None = None) -> Iterator:
    """The backend the command runs on, chosen once: the validated panel here, or its partitions on Dask."""
    if engine is Engine.local:
        from shortage_radar.contract.panel import read_panel
        from shortage_radar.models.backend import LocalBackend

        yield LocalBackend(read_panel(data))
        return
    from shortage_radar.distributed.backend import DaskBackend

    with dask_session() as session:
        yield DaskBackend.open(session.client, data, training)
