"""Time and peak memory of reading + validating a national-size panel (prints figures only).

    python bench/validate.py [--data DIR] [--repeats 3] [--format csv|parquet]

Each repeat runs in a fresh process, so peak memory is validation's own. Target (issue 3):
< 30 s and < 3 GB on 2 cores.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from _common import measure, national_panel

VALIDATE = """
from shortage_radar.contract.panel import read_panel
started = time.perf_counter()
panel = read_panel({folder!r})
result = {{"seconds": time.perf_counter() - started,
           "rows": sum(r.rows for r in panel.results.values()),
           "quarantined": len(panel.quarantine)}}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="existing panel folder (default: simulate the national panel)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--format", default="csv", choices=["csv", "parquet"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.data or national_panel(Path(tmp) / "national", fmt=args.format)
        runs = [measure(VALIDATE.format(folder=str(folder))) for _ in range(args.repeats)]
    seconds = [r["seconds"] for r in runs]
    peaks = [r["peak_mb"] for r in runs]
    print(f"rows read: {runs[0]['rows']:,}  quarantined: {runs[0]['quarantined']:,}")
    print(f"validate ({args.format}): median {statistics.median(seconds):.1f} s "
          f"(runs: {', '.join(f'{s:.1f}' for s in seconds)}), peak memory median {statistics.median(peaks):,.0f} MB")
    print("target: < 30 s and < 3,072 MB on 2 cores")


if __name__ == "__main__":
    main()
