"""Helpers shared by the benchmarks: national-size panels and measuring a child process."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path


def national_panel(folder: Path, fmt: str = "csv", seed: int | None = None) -> Path:
    """Write the national-size demo panel into ``folder`` unless it is already there."""
    if (folder / f"varieties.{fmt}").is_file():
        return folder
    from shortage_radar.demo import national_config, write_panel, simulate_panel

    config = national_config()
    if seed is not None:
        config = config.model_copy(update={"seed": seed})
    started = time.perf_counter()
    tables = simulate_panel(config)
    write_panel(tables, folder, fmt=fmt)
    rows = sum(len(t) for t in tables.values())
    print(f"national panel: {rows:,} rows written to {folder} in {time.perf_counter() - started:.1f} s")
    return folder


def measure(code: str) -> dict:
    """Run ``code`` in a fresh interpreter; it prints one JSON object. Adds peak RSS in MB."""
    wrapped = (
        "import json, resource, time\n"
        f"{code}\n"
        "result['peak_mb'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print(json.dumps(result))\n"
    )
    proc = subprocess.run([sys.executable, "-c", wrapped], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def peak_mb_self() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
