"""Connect to the Dask cluster: ``SHORTAGE_DASK_ADDRESS`` (or ``--dask-address``) if given, else a LocalCluster."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager

from shortage_radar.distributed.settings import DaskConfig
from shortage_radar.errors import ClusterError


def _first_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def scheduler_address(cfg: DaskConfig, address: str | None = None) -> str | None:
    """The explicit address, else the environment variable named in configs/dask.yaml."""
    return address or os.environ.get(cfg.address_env) or None


@contextmanager
def dask_client(cfg: DaskConfig, address: str | None = None) -> Iterator:
    """A ``distributed.Client`` for the run; a LocalCluster it starts is closed afterwards."""
    from distributed import Client, LocalCluster

    import dask

    logging.getLogger("distributed").setLevel(logging.ERROR)  # p2p shuffles log every start at WARNING
    dask.config.set({"dataframe.convert-string": False})  # keep the local engine's dtypes (object ids stay object)
    address = scheduler_address(cfg, address)
    if address:
        try:
            client = Client(address, timeout=f"{cfg.connect_timeout_seconds}s")
        except ValueError as exc:
            raise ClusterError(f"Dask scheduler {address} ({cfg.address_env}): not a scheduler address "
                               f"({_first_line(exc)})") from None
        except (OSError, TimeoutError) as exc:
            raise ClusterError(f"Dask scheduler {address} ({cfg.address_env}): cannot connect within "
                               f"{cfg.connect_timeout_seconds:g} s ({_first_line(exc)})") from None
        with client:
            yield client
        return
    local = cfg.local_cluster
    with LocalCluster(n_workers=local.n_workers, threads_per_worker=local.threads_per_worker,
                      memory_limit=local.memory_limit, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        yield client
