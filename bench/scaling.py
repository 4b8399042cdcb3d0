"""Scaling curve of the monthly run: time and peak memory vs enterprise-variety pairs, local vs Dask.

    python bench/scaling.py [--root DIR] [--sizes 10000 50000 200000] [--local-max 50000]
                            [--engines local dask] [--max-gb 18] [--plot docs/scaling.png]

For each size, simulates (once, kept in ``--root``) a panel of about that many pairs with
``shortage simulate --pairs N`` (independent national-size regions, month-partitioned Parquet),
trains the champion models once on the smallest panel, then runs the monthly run as a user does,
``shortage score --engine E`` for the latest month (read + validate, features, scoring with
drivers, watchlist file and score store), each in a fresh process. Wall time and peak memory are
measured on the whole process tree (the Dask LocalCluster's 2 worker processes included): the sum
of resident memory sampled every 0.2 s. A run whose tree passes ``--max-gb`` is stopped and
reported as such (the machine is shared). Prints a table and the fitted exponent b of
time ~ pairs^b per engine, writes the log-log plot and ``scaling.json`` into ``--root``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

SAMPLE_SECONDS = 0.2
MONTH = "2025-12"  # the simulated panels run 2019-01 .. 2025-12 (configs/demo.yaml)


def shortage(*args: str) -> list[str]:
    return [sys.executable, "-m", "shortage_radar", *args]


def tree_rss(proc) -> tuple[int, int]:
    """Resident bytes of a process and all its descendants: their sum and the largest single process."""
    import psutil

    sizes = []
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0, 0
    for p in procs:
        try:
            sizes.append(p.memory_info().rss)
        except psutil.NoSuchProcess:
            pass
    return sum(sizes), max(sizes, default=0)


def measured(args: list[str], max_bytes: float, log: Path) -> dict:
    """Run a command; wall seconds, peak tree memory and largest process (MB), exit code; killed past ``max_bytes``."""
    import psutil

    started = time.perf_counter()
    with log.open("w") as out:
        child = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT)
        proc, peak, largest, over = psutil.Process(child.pid), 0, 0, False
        while child.poll() is None:
            total, single = tree_rss(proc)
            peak, largest = max(peak, total), max(largest, single)
            if peak > max_bytes:
                over = True
                for p in [*proc.children(recursive=True), proc]:
                    p.kill()
                break
            time.sleep(SAMPLE_SECONDS)
        code = child.wait()
    return {"seconds": time.perf_counter() - started, "peak_mb": peak / 2**20, "largest_process_mb": largest / 2**20,
            "code": code, "over_budget": over}


def panel(root: Path, pairs: int) -> Path:
    """The simulated panel of about ``pairs`` pairs (simulated once; ``_complete`` marks a finished one)."""
    folder = root / f"pairs-{pairs}"
    if not (folder / "_complete").is_file():
        started = time.perf_counter()
        subprocess.run(shortage("simulate", "--pairs", str(pairs), "--out", str(folder)), check=True,
                       stdout=subprocess.DEVNULL)
        (folder / "_complete").touch()
        print(f"simulated {pairs:,} pairs in {time.perf_counter() - started:.0f} s", flush=True)
    return folder


def champion(root: Path, folder: Path) -> str:
    """The tracking URI holding champion models (trained once on ``folder``)."""
    uri = f"sqlite:///{root / 'mlflow.db'}"
    if not (root / "_trained").is_file():
        started = time.perf_counter()
        subprocess.run(shortage("train", "--data", str(folder), "--tracking-uri", uri), check=True,
                       stdout=subprocess.DEVNULL, cwd=root)
        (root / "_trained").touch()
        print(f"trained on {folder.name} in {time.perf_counter() - started:.0f} s", flush=True)
    return uri


def monthly_run(root: Path, folder: Path, engine: str, uri: str, max_bytes: float) -> dict:
    work = root / "runs" / f"{folder.name}-{engine}"
    work.mkdir(parents=True, exist_ok=True)
    (work / "store.db").unlink(missing_ok=True)
    args = shortage("score", "--engine", engine, "--data", str(folder), "--month", MONTH,
                    "--out", str(work / "watchlist.parquet"), "--tracking-uri", uri,
                    "--store", f"sqlite:///{work / 'store.db'}")
    result = measured(args, max_bytes, work / "log.txt")
    if result["code"] == 0:
        import pandas as pd

        watchlist = pd.read_parquet(work / "watchlist.parquet")
        result["pairs_scored"] = int((watchlist["entity"] == "enterprise").sum())
        result["rows"] = len(watchlist)
    return result


def size(row: dict) -> int:
    """The pairs a run actually scored (the panel's size), else the size asked for."""
    return row.get("pairs_scored") or row["pairs"]


def exponent(rows: list[dict], key: str = "seconds") -> float | None:
    """Slope of log(cost) against log(pairs) over the completed runs."""
    done = [r for r in rows if r["code"] == 0]
    if len(done) < 2:
        return None
    x = np.log([size(r) for r in done])
    y = np.log([r[key] for r in done])
    return float(np.polyfit(x, y, 1)[0])


def plot(results: dict[str, list[dict]], exponents: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(10, 4.2))
    for engine, rows in results.items():
        done = [r for r in rows if r["code"] == 0]
        if not done:
            continue
        pairs = [size(r) for r in done]
        b = exponents[engine]["seconds"]
        axes[0].loglog(pairs, [r["seconds"] for r in done], marker="o",
                       label=f"{engine} (time ~ pairs^{b:.2f})" if b is not None else engine)
        axes[1].loglog(pairs, [r["peak_mb"] / 1024 for r in done], marker="o", label=engine)
    axes[0].set(xlabel="enterprise-variety pairs", ylabel="wall time of the monthly run (s)",
                title="Monthly run: time")
    axes[1].set(xlabel="enterprise-variety pairs", ylabel="peak memory, whole process tree (GB)",
                title="Monthly run: peak memory")
    for ax in axes:
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()
    fig.suptitle("shortage score, 2 cores (Dask: LocalCluster, 2 workers x 1 thread)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def table(results: dict[str, list[dict]]) -> str:
    sizes = sorted({r["pairs"] for rows in results.values() for r in rows})
    lines = ["| pairs (scored) | local time | local peak memory | Dask time | Dask peak memory |",
             "|---:|---:|---:|---:|---:|"]

    def cell(engine: str, n: int) -> tuple[str, str]:
        row = next((r for r in results.get(engine, []) if r["pairs"] == n), None)
        if row is None:
            return "not run", "-"
        if row["code"] != 0:
            return ("stopped: over memory budget" if row["over_budget"] else f"failed ({row['code']})",
                    f"> {row['peak_mb'] / 1024:.1f} GB" if row["over_budget"] else "-")
        return f"{row['seconds']:.0f} s", f"{row['peak_mb'] / 1024:.1f} GB"

    for n in sizes:
        scored = next((r.get("pairs_scored") for rows in results.values() for r in rows
                       if r["pairs"] == n and r.get("pairs_scored")), None)
        lt, lm = cell("local", n)
        dt, dm = cell("dask", n)
        label = f"{n:,}" + (f" ({scored:,})" if scored else "")
        lines.append(f"| {label} | {lt} | {lm} | {dt} | {dm} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path("/tmp/shortage-scaling"))
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000, 200_000])
    parser.add_argument("--local-max", type=int, default=None, help="largest size run on the local engine")
    parser.add_argument("--engines", nargs="+", default=["local", "dask"], choices=["local", "dask"])
    parser.add_argument("--max-gb", type=float, default=18.0, help="stop a run whose process tree passes this")
    parser.add_argument("--plot", type=Path, default=Path(__file__).resolve().parents[1] / "docs" / "scaling.png")
    args = parser.parse_args()
    args.root.mkdir(parents=True, exist_ok=True)
    sizes = sorted(args.sizes)
    folders = {n: panel(args.root, n) for n in sizes}
    uri = champion(args.root, folders[sizes[0]])
    saved = args.root / "scaling.json"
    results: dict[str, list[dict]] = json.loads(saved.read_text()) if saved.is_file() else {}
    for engine in args.engines:
        results[engine] = [r for r in results.get(engine, []) if r["pairs"] not in sizes]
        for n in sizes:
            if engine == "local" and args.local_max is not None and n > args.local_max:
                continue
            row = {"pairs": n, **monthly_run(args.root, folders[n], engine, uri, args.max_gb * 2**30)}
            results[engine].append(row)
            print(f"{engine:>5} {n:>9,} pairs: {row['seconds']:7.0f} s, peak {row['peak_mb'] / 1024:5.1f} GB"
                  f"{'' if row['code'] == 0 else '  (stopped)' if row['over_budget'] else '  (failed)'}", flush=True)
            saved.write_text(json.dumps(results, indent=2))
        results[engine].sort(key=lambda r: r["pairs"])
    exponents = {e: {"seconds": exponent(rows), "peak_mb": exponent(rows, "peak_mb")} for e, rows in results.items()}
    saved.write_text(json.dumps(results, indent=2))
    plot(results, exponents, args.plot)
    print(table(results))
    for engine, b in exponents.items():
        t = "-" if b["seconds"] is None else f"{b['seconds']:.2f}"
        m = "-" if b["peak_mb"] is None else f"{b['peak_mb']:.2f}"
        print(f"{engine}: time ~ pairs^{t}, peak memory ~ pairs^{m}")
    print(f"plot: {args.plot}")


if __name__ == "__main__":
    main()
