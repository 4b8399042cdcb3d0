"""Fingerprints that tie a run to its inputs: the panel files' bytes and the effective configuration."""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

import pandas as pd

CONFIGS = ("contract", "features", "model", "warning_policy", "forecast")
_BLOCK = 1 << 20


def _table_files(folder: Path) -> list[Path]:
    """The panel's table files, and the Parquet files of tables stored as folders of partitions."""
    found = []
    for path in sorted(Path(folder).iterdir()):
        if path.is_file() and path.suffix in (".csv", ".parquet"):
            found.append(path)
        elif path.is_dir():
            found += sorted(path.rglob("*.parquet"))
    return found


def files_fingerprint(folder: Path) -> str:
    """SHA-256 over the names and bytes of the panel's table files (fast: no parsing)."""
    digest = hashlib.sha256()
    for path in _table_files(folder):
        digest.update(path.relative_to(folder).as_posix().encode())
        with path.open("rb") as handle:
            while block := handle.read(_BLOCK):
                digest.update(block)
    return digest.hexdigest()[:16]


def tables_fingerprint(tables) -> str:
    """SHA-256 over validated tables (a panel built in memory, with no files behind it)."""
    digest = hashlib.sha256()
    for name in sorted(tables):
        digest.update(name.encode())
        digest.update(pd.util.hash_pandas_object(tables[name], index=False).to_numpy().tobytes())
    return digest.hexdigest()[:16]


def data_fingerprint(data) -> str:
    """Which data a model or run came from: the same value for training and scoring on the same panel.

    ``data`` is a Panel or a backend: its folder's files are hashed (fast, no parsing); a panel with
    no folder behind it (built in memory) is hashed from its tables.
    """
    source = getattr(data, "source", None)
    if source is not None and Path(source).is_dir():
        return files_fingerprint(Path(source))
    panel = getattr(data, "panel", data)
    return tables_fingerprint(panel.tables)


def config_hash() -> str:
    """SHA-256 of the configuration files a scoring run reads."""
    digest = hashlib.sha256()
    root = resources.files("shortage_radar.configs")
    for name in CONFIGS:
        digest.update(root.joinpath(f"{name}.yaml").read_bytes())
    return digest.hexdigest()[:16]
