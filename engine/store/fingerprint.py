"""Fingerprints that tie a run to its inputs: the panel files' bytes and the effective configuration."""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

CONFIGS = ("contract", "features", "model", "warning_policy", "forecast")
_BLOCK = 1 << 20


def files_fingerprint(folder: Path) -> str:
    """SHA-256 over the names and bytes of the panel's table files (fast: no parsing)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(folder).iterdir() if p.suffix in (".csv", ".parquet")):
        digest.update(path.name.encode())
        with path.open("rb") as handle:
            while block := handle.read(_BLOCK):
                digest.update(block)
    return digest.hexdigest()[:16]


def config_hash() -> str:
    """SHA-256 of the configuration files a scoring run reads."""
    digest = hashlib.sha256()
    root = resources.files("shortage_radar.configs")
    for name in CONFIGS:
        digest.update(root.joinpath(f"{name}.yaml").read_bytes())
    return digest.hexdigest()[:16]
