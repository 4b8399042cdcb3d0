"""How many warned rows one 1e308 sales figure moves in a backtest of the demo panel (prints figures only).

    python bench/implausible_warnings.py --data DIR [--start 2025-01] [--end 2025-12] [--bad-month 2024-12]

Three backtests on the same panel: as it is, with one sales figure of the bad month set to 1e308
(the first report of that month, in file order), and the latter with the blanking of implausible
figures switched off. Issue 19: the figure should move the warned rows by at most 1.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import pandas as pd

HUGE = 1e308


def _warned(folder: Path, start: str, end: str) -> tuple[int, int]:
    from shortage_radar.contract.panel import read_panel
    from shortage_radar.models.backtest import run_backtest
    from shortage_radar.models.policy import warning_policy
    from shortage_radar.models.settings import model_config

    result = run_backtest(read_panel(folder), pd.Period(start, "M"), pd.Period(end, "M"), model_config(),
                          warning_policy(), drivers=False)
    return int((result.watchlist["warning_level"] > 0).sum()), len(result.watchlist)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--start", default="2025-01")
    parser.add_argument("--end", default="2025-12")
    parser.add_argument("--bad-month", default="2024-12")
    args = parser.parse_args()
    import shortage_radar.features.grid as grid
    from shortage_radar.audit.settings import audit_config

    with tempfile.TemporaryDirectory() as tmp:
        dirty = Path(tmp) / "dirty"
        dirty.mkdir()
        for table in args.data.glob("*.csv"):
            frame = pd.read_csv(table, dtype=str, keep_default_na=False)
            if table.stem == "monthly_reports":
                row = frame.index[frame["month"] == args.bad_month][0]
                frame.loc[row, "sales"] = repr(HUGE)
                print(f"sales of {frame.loc[row, 'enterprise_id']} / {frame.loc[row, 'variety_id']} in "
                      f"{args.bad_month} set to {HUGE:g}")
            frame.to_csv(dirty / table.name, index=False)
        clean = _warned(args.data, args.start, args.end)
        huge = _warned(dirty, args.start, args.end)
        cfg = audit_config()
        off = cfg.model_copy(update={"implausible_value": cfg.implausible_value.model_copy(
            update={"absolute_max": float("inf"), "high_ratio": float("inf")})})
        grid.audit_config = lambda: off
        unblanked = _warned(dirty, args.start, args.end)
    print(f"backtest {args.start} .. {args.end}: warned rows clean {clean[0]:,} of {clean[1]:,}; "
          f"with the 1e308 figure {huge[0]:,} (change {huge[0] - clean[0]:+d}); "
          f"same without blanking {unblanked[0]:,} (change {unblanked[0] - clean[0]:+d})")


if __name__ == "__main__":
    main()
