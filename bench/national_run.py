"""The monthly run at national size, step by step, each step a fresh `shortage` process.

    python bench/national_run.py [--data DIR] [--keep DIR]

Builds (or reuses) a national-size demo panel (2,000 varieties, ~5,450 enterprise-variety
pairs, 84 months, 31 provinces) and times validate, features, forecast, train, score and
report (with and without the single points of failure, the cost of /ui's first build) as a user
runs them, printing wall time and peak memory of each process.
Targets (issue 6, 2 cores): score < 2 min, train < 5 min, peak memory < 6 GB.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import national_panel

FEATURES = """
from shortage_radar.contract.panel import read_panel
from shortage_radar.features import build_features
panel = read_panel({folder!r})
features = build_features(panel)
print(len(features.variety), len(features.pair))
"""


def run(args: list[str], cwd: Path) -> tuple[float, float, str]:
    """Wall seconds and peak RSS (MB) of one child process; its stdout for the record."""
    started = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"step failed: {' '.join(args)}\n{output[-2000:]}")
    return seconds, usage.ru_maxrss / 1024, output


def _has(command: str, option: str | None = None) -> bool:
    """Whether this checkout's CLI has a command (and option), so the bench runs at every stage."""
    shortage = [sys.executable, "-m", "shortage_radar"]
    proc = subprocess.run([*shortage, command, "--help"], capture_output=True, text=True)
    return proc.returncode == 0 and (option is None or option in proc.stdout)


def steps(folder: Path, work: Path, month: str) -> list[tuple[str, list[str]]]:
    shortage = [sys.executable, "-m", "shortage_radar"]
    uri = f"sqlite:///{work / 'mlflow.db'}"
    store = ["--store", f"sqlite:///{work / 'store.db'}"] if _has("score", "--store") else []
    plan = [("validate", [*shortage, "validate", "--data", str(folder), "--json"]),
            ("features (all months)", [sys.executable, "-c", FEATURES.format(folder=str(folder))]),
            ("forecast (h=6)", [*shortage, "forecast", "--data", str(folder), "--month", month,
                                "--out", str(work / "forecasts.parquet")]),
            ("train", [*shortage, "train", "--data", str(folder), "--tracking-uri", uri]),
            ("score", [*shortage, "score", "--data", str(folder), "--month", month, "--out",
                       str(work / f"watchlist-{month}.csv"), "--tracking-uri", uri, *store])]
    if _has("report"):
        report = [*shortage, "report", "--month", month, "--tracking-uri", uri, *store]
        plan.append(("report (with single points of failure; as /ui's first load)",
                     [*report, "--out", str(work / "report.html")]))
        plan.append(("report --no-criticality",
                     [*report, "--no-criticality", "--out", str(work / "report-plain.html")]))
    return plan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="An existing national panel (else one is simulated).")
    parser.add_argument("--keep", type=Path, help="Keep the run's files here (default: a temporary folder).")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        folder = args.data or national_panel(Path(tmp) / "national")
        month = _latest_month(folder)
        print(f"panel {folder}, as-of month {month}")
        results = []
        for name, command in steps(folder, work, month):
            seconds, peak, _ = run(command, work)
            results.append((name, seconds, peak))
            print(f"{name:<60} {seconds:8.1f} s   peak {peak:8,.0f} MB", flush=True)
        worst = max(peak for _, _, peak in results)
        timing = dict((name, seconds) for name, seconds, _ in results)
        print(f"targets: score {timing['score']:.0f} s (< 120), train {timing['train']:.0f} s (< 300), "
              f"peak {worst:,.0f} MB (< 6,144)")


def _latest_month(folder: Path) -> str:
    import pandas as pd

    reports = folder / "monthly_reports.csv"
    if reports.is_file():
        return str(pd.read_csv(reports, usecols=["month"])["month"].max())
    return str(pd.read_parquet(folder / "monthly_reports.parquet", columns=["month"])["month"].max())


if __name__ == "__main__":
    main()
