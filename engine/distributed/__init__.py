"""The Dask engine: the same monthly run, features, forecasts and training on a Dask cluster.

Nothing here is imported on the local path. Partitions hold whole varieties with all their
pairs; every per-partition step calls the functions the local engine calls (docs/scaling.md).
"""
