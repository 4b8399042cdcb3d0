"""Time and peak memory of all features on a national-size panel (prints figures only).

    python bench/features.py [--data DIR] [--repeats 3]

Each repeat runs in a fresh process: read + validate the panel, then build every variety and
pair feature for every month (the training table) and for the latest month (the monthly run).
Target (issue 4): all features < 60 s and < 4 GB on 2 cores.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from _common import measure, national_panel

FEATURES = """
from shortage_radar.contract.panel import read_panel
from shortage_radar.features import build_features
panel = read_panel({folder!r})
started = time.perf_counter()
every = build_features(panel)
all_months = time.perf_counter() - started
latest = every.variety["month"].max()
started = time.perf_counter()
build_features(panel, months=[latest])
one_month = time.perf_counter() - started
result = {{"all_months": all_months, "one_month": one_month, "variety_rows": len(every.variety),
           "pair_rows": len(every.pair), "features": every.variety.shape[1] + every.pair.shape[1] - 5}}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="existing panel folder (default: simulate the national panel)")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.data or national_panel(Path(tmp) / "national")
        runs = [measure(FEATURES.format(folder=str(folder))) for _ in range(args.repeats)]
    first = runs[0]
    print(f"rows: {first['variety_rows']:,} variety-months, {first['pair_rows']:,} pair-months; "
          f"{first['features']} feature columns")
    for key, label in (("all_months", "every month (training table)"), ("one_month", "latest month (monthly run)")):
        values = [r[key] for r in runs]
        print(f"features, {label}: median {statistics.median(values):.1f} s "
              f"(runs: {', '.join(f'{v:.1f}' for v in values)})")
    print(f"peak memory (incl. reading the panel): median {statistics.median(r['peak_mb'] for r in runs):,.0f} MB")
    print("target: all features < 60 s and < 4,096 MB on 2 cores")


if __name__ == "__main__":
    main()
