"""Dask-engine parameters from ``configs/dask.yaml``."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field

from shortage_radar.config import FrozenModel, load_config


class LocalClusterConfig(FrozenModel):
    """The LocalCluster started when no scheduler address is given."""

    n_workers: int = Field(ge=1)
    threads_per_worker: int = Field(ge=1)
    memory_limit: str


class TrainingConfig(FrozenModel):
    """When LightGBM trains through lightgbm.dask instead of on the client."""

    mode: Literal["auto", "local", "dask"]
    dask_min_rows: int = Field(ge=1)
    calibration_max_rows: int = Field(ge=1)


class DaskConfig(FrozenModel):
    """How to reach the cluster and how to cut the panel into partitions."""

    address_env: str
    connect_timeout_seconds: float = Field(gt=0)
    local_cluster: LocalClusterConfig
    varieties_per_partition: int = Field(ge=1)
    rows_per_partition: int = Field(ge=1)
    shuffle_method: Literal["p2p", "tasks", "disk"]
    training: TrainingConfig


@lru_cache(maxsize=1)
def dask_config() -> DaskConfig:
    return load_config("dask", DaskConfig)
