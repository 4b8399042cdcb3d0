"""`shortage serve` as real uvicorn processes: it binds, serves keyed risk over TCP, and stops on SIGTERM.

Two workers, so the multi-process path (each worker building the app from the environment) is the one covered;
TestClient covers the app itself.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import httpx
from serve_helpers import world  # noqa: F401 - fixture

STARTUP_SECONDS = 90  # loading the champions from MLflow takes a few seconds on a busy 2-core machine


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(base: str, proc: subprocess.Popen) -> dict:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"shortage serve exited with {proc.returncode}: {proc.stdout.read()[-2000:]}"
        try:
            return httpx.get(f"{base}/health", timeout=2).json()
        except httpx.TransportError:
            time.sleep(0.5)
    raise AssertionError(f"shortage serve did not answer /health within {STARTUP_SECONDS} s")


def test_a_real_server_answers_keyed_requests_and_stops_cleanly(world, tmp_path):  # noqa: F811
    from shortage_radar.store import open_store

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "shortage_radar", "serve", "--port", str(port), "--workers", "2",
               "--store", world.store_url, "--tracking-uri", world.tracking_uri]
    proc = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "NO_COLOR": "1"})
    try:
        health = _wait_healthy(base, proc)
        assert health["status"] == "ok" and health["last_run_month"] == str(world.months[1])
        stored = open_store(world.store_url).watchlist(world.months[1], entity="variety").iloc[0]
        key = {"X-API-Key": world.keys["read"]}
        with httpx.Client(base_url=base, timeout=10) as http:
            for _ in range(6):  # new connections: both workers answer
                risk = httpx.get(f"{base}/v1/varieties/{stored['variety_id']}/risk", headers=key, timeout=30).json()
                assert risk["rank"] == 1 and abs(risk["risk"] - stored["risk"]) < 1e-9
            assert http.get("/v1/watchlist", params={"limit": 3}, headers=key).json()["total"] > 3
            assert http.get("/v1/watchlist").status_code == 401
            assert http.get("/v1/varieties/NOPE/risk", headers=key).status_code == 404
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    # uvicorn shuts down gracefully on SIGTERM, then re-raises the signal it caught: 0 or -SIGTERM, not a crash
    assert proc.returncode in (0, -signal.SIGTERM), proc.stdout.read()[-2000:]
    with socket.socket() as s:  # the port is free again
        s.bind(("127.0.0.1", port))
