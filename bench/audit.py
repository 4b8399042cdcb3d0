"""Time of ``shortage audit`` on a national-size panel, end to end (prints figures only).

    python bench/audit.py [--data DIR] [--month YYYY-MM] [--repeats 3]

Each repeat runs the command in a fresh process: reading and validating the panel, every check,
the per-province summary and writing the findings. Also times the library's ``audit()`` alone.
Target (issue 19): < 30 s on 2 cores.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import measure, national_panel

AUDIT_ONLY = """
from shortage_radar.audit import audit
from shortage_radar.contract.panel import read_panel
panel = read_panel({folder!r})
month = {month!r} or str(panel["monthly_reports"]["month"].max())
started = time.perf_counter()
found = audit(panel, month)
result = {{"seconds": time.perf_counter() - started, "findings": len(found), "month": month,
           "reports": int((panel["monthly_reports"]["month"].astype(str) == month).sum())}}
"""


def _command(folder: Path, month: str, out: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "shortage_radar", "audit", "--data", str(folder), "--month", month,
                    "--out", str(out), "--json"], check=True, capture_output=True, text=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="existing panel folder (default: simulate the national panel)")
    parser.add_argument("--month", default="", help="audited month (default: the panel's last)")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.data or national_panel(Path(tmp) / "national")
        library = measure(AUDIT_ONLY.format(folder=str(folder), month=args.month))
        month = library["month"]
        command = [_command(folder, month, Path(tmp) / "findings.csv") for _ in range(args.repeats)]
    print(f"panel {folder}, month {month}: {library['reports']:,} reports, {library['findings']:,} findings")
    print(f"audit() alone: {library['seconds']:.1f} s (peak memory {library['peak_mb']:,.0f} MB)")
    print(f"shortage audit, end to end: median {statistics.median(command):.1f} s "
          f"(runs: {', '.join(f'{s:.1f}' for s in command)})")
    print("target: < 30 s on 2 cores")


if __name__ == "__main__":
    main()
