"""Load on the HTTP service over loopback: many concurrent clients, a bounded mix of requests, latency per endpoint.

    python bench/service_load.py [--run DIR] [--requests 20000] [--clients 50] [--workers 1]

Uses the demo run in DIR (made with `shortage demo --out DIR` when missing): its score store and MLflow
champions. Starts `shortage serve` as its own process on a free loopback port, creates a read key, then sends
``--requests`` requests from ``--clients`` concurrent clients (each sends its next request when the previous
answer is in: a closed loop, so latency includes the queueing the load causes). Prints p50/p99 per endpoint and
the ratio of the risk endpoint's p99 to /health's, measured in the same run.
Targets (issue 7, 2 cores): ratio <= 2, risk endpoint p99 < 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

MIX = {"health": 0.10, "variety_risk": 0.45, "enterprise_risk": 0.15, "watchlist": 0.20, "history": 0.10}
STARTUP_SECONDS = 120
SEED = 7


def ensure_run(folder: Path) -> None:
    """The demo run (store + MLflow champions) in ``folder``."""
    if (folder / "store.db").is_file() and (folder / "mlflow.db").is_file():
        return
    print(f"no demo run in {folder}: running shortage demo (about a minute)", flush=True)
    subprocess.run([sys.executable, "-m", "shortage_radar", "--workspace", str(folder), "demo", "--out", str(folder)],
                   check=True, stdout=subprocess.DEVNULL)


def read_key(store_url: str) -> tuple[str, list[str], list[str]]:
    """A fresh read key, and the variety and enterprise ids of the latest run."""
    from shortage_radar.serve.keys import create_key
    from shortage_radar.store import open_store

    store = open_store(store_url)
    _, key = create_key(store.engine, "bench-service-load", ["read"])
    rows = store.watchlist()
    varieties = sorted(rows.loc[rows["entity"] == "variety", "variety_id"].astype(str).unique())
    enterprises = sorted(rows.loc[rows["entity"] == "enterprise", "enterprise_id"].astype(str).unique())
    return key, varieties, enterprises


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(folder: Path, port: int, workers: int) -> subprocess.Popen:
    """`shortage serve` for the run, with ``workers`` processes."""
    command = [sys.executable, "-m", "shortage_radar", "serve", "--port", str(port), "--workers", str(workers),
               "--store", f"sqlite:///{folder / 'store.db'}", "--tracking-uri", f"sqlite:///{folder / 'mlflow.db'}"]
    return subprocess.Popen(command, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_healthy(base: str, proc: subprocess.Popen) -> None:
    import urllib.request

    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"shortage serve exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"the service did not answer /health within {STARTUP_SECONDS} s")


def plan(n: int, varieties: list[str], enterprises: list[str]) -> list[tuple[str, str]]:
    """``n`` (endpoint, path) pairs drawn from MIX with a fixed seed: every run sends the same requests."""
    rng = random.Random(SEED)
    names = list(MIX)
    paths = {"health": lambda: "/health",
             "variety_risk": lambda: f"/v1/varieties/{rng.choice(varieties)}/risk",
             "enterprise_risk": lambda: f"/v1/enterprises/{rng.choice(enterprises)}/risk",
             "watchlist": lambda: f"/v1/watchlist?limit=25&offset={25 * rng.randrange(4)}",
             "history": lambda: f"/v1/varieties/{rng.choice(varieties)}/history"}
    return [(name, paths[name]()) for name in rng.choices(names, weights=[MIX[k] for k in names], k=n)]


async def load(base: str, key: str, requests: list[tuple[str, str]], clients: int) -> dict[str, list[float]]:
    """Closed-loop clients over one connection pool; latency in ms per endpoint; non-200 answers counted."""
    import aiohttp

    queue: asyncio.Queue = asyncio.Queue()
    for item in requests:
        queue.put_nowait(item)
    latencies: dict[str, list[float]] = {name: [] for name in MIX}
    failures: dict[str, int] = {}
    timeout = aiohttp.ClientTimeout(total=30)

    async def client(session) -> None:
        while not queue.empty():
            name, path = queue.get_nowait()
            started = time.perf_counter()
            async with session.get(base + path, headers={"X-API-Key": key}) as answer:
                await answer.read()
                if answer.status != 200:
                    failures[f"{name} {answer.status}"] = failures.get(f"{name} {answer.status}", 0) + 1
            latencies[name].append((time.perf_counter() - started) * 1000)

    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        await asyncio.gather(*(client(session) for _ in range(clients)))
    if failures:
        print(f"non-200 answers: {failures}")
    return latencies


def report(latencies: dict[str, list[float]], seconds: float) -> None:
    total = sum(len(v) for v in latencies.values())
    print(f"\n{total:,} requests in {seconds:.1f} s ({total / seconds:,.0f} requests/s)\n")
    print(f"{'endpoint':<18}{'requests':>10}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}")
    p99 = {}
    for name, values in latencies.items():
        arr = np.asarray(values)
        p99[name] = float(np.percentile(arr, 99))
        print(f"{name:<18}{len(arr):>10,}{np.percentile(arr, 50):>10.1f}{p99[name]:>10.1f}{arr.max():>10.1f}")
    ratio = p99["variety_risk"] / p99["health"]
    print(f"\nrisk p99 / health p99 = {ratio:.2f} (target <= 2); variety risk p99 {p99['variety_risk']:.1f} ms "
          f"(target < 50), enterprise risk p99 {p99['enterprise_risk']:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", type=Path, default=Path("shortage-demo"), help="Demo run folder (made if missing).")
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    args = parser.parse_args()
    folder = args.run.resolve()
    ensure_run(folder)
    key, varieties, enterprises = read_key(f"sqlite:///{folder / 'store.db'}")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(folder, port, args.workers)
    try:
        wait_healthy(base, server)
        requests = plan(args.requests, varieties, enterprises)
        asyncio.run(load(base, key, requests[: args.clients * 4], args.clients))  # warm-up: caches, connections
        started = time.perf_counter()
        latencies = asyncio.run(load(base, key, requests, args.clients))
        report(latencies, time.perf_counter() - started)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
