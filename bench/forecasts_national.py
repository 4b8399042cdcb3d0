"""Time of all forecasts (variety and pair level, every series type) on a national-size panel.

    python bench/forecasts_national.py [--data DIR] [--h 6]

Runs `forecast_panel` once in a fresh process and prints wall time, series counts, the models
used and peak memory. Target (issue 4): all forecasts < 3 min on 2 cores.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from _common import measure, national_panel

FORECAST = """
import pandas as pd
from shortage_radar.contract.panel import read_panel
from shortage_radar.models.forecasting import forecast_panel
panel = read_panel({folder!r})
month = panel["monthly_reports"]["month"].max()
started = time.perf_counter()
frame = forecast_panel(panel, month, {h})
seconds = time.perf_counter() - started
result = {{"seconds": seconds, "rows": len(frame),
           "series": int(frame[frame["series"] != "months_of_supply"].groupby(
               ["entity", "variety_id", "enterprise_id", "series"]).ngroups),
           "models": frame[frame["series"] != "months_of_supply"]["model"].value_counts().to_dict()}}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path)
    parser.add_argument("--h", type=int, default=6)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.data or national_panel(Path(tmp) / "national")
        run = measure(FORECAST.format(folder=str(folder), h=args.h))
    print(f"{run['series']:,} series forecast {args.h} months ahead ({run['rows']:,} rows incl. months of supply)")
    print(f"forecasts: {run['seconds']:.1f} s ({1000 * run['seconds'] / run['series']:.1f} s per 1,000 series); "
          f"peak memory {run['peak_mb']:,.0f} MB")
    print(f"models (forecast rows): {run['models']}")
    print("target: all forecasts < 180 s on 2 cores")


if __name__ == "__main__":
    main()
