"""The /ui report cache: the latest run's page is ready before the first request, and worker processes that
ask for the same page at once build it once."""

from __future__ import annotations

import threading
import time

from serve_helpers import headers, make_app, world  # noqa: F401

WAIT_SECONDS = 180


def test_the_latest_report_is_built_in_the_background_before_anyone_asks(world, tmp_path):  # noqa: F811
    from fastapi.testclient import TestClient

    folder = tmp_path / "ui"
    with TestClient(make_app(world, tmp_path, warm_report=True)) as client:
        deadline = time.monotonic() + WAIT_SECONDS
        while not list(folder.glob("report-*.html")) and time.monotonic() < deadline:
            time.sleep(0.5)
        built = sorted(folder.glob("report-*.html"))
        assert len(built) == 1 and built[0].name.endswith("-models.html")  # with the models' policy and views
        stamp = built[0].stat().st_mtime_ns
        page = client.get("/ui", headers=headers(world))
        assert page.status_code == 200 and '"criticality":[' in page.text
        assert sorted(folder.glob("report-*.html")) == built and built[0].stat().st_mtime_ns == stamp  # served


def test_two_workers_asking_at_once_build_the_page_once(world, tmp_path, monkeypatch):  # noqa: F811
    import shortage_radar.report as report
    from shortage_radar.serve.reports import ReportCache
    from shortage_radar.store import open_store

    store = open_store(world.store_url)
    run = store.current_run(world.months[1])
    builds = []
    real = report.build_report

    def counted(*args, **kwargs):
        builds.append(threading.get_ident())
        time.sleep(0.5)  # long enough for the other worker to arrive while this one builds
        return real(*args, **kwargs)

    monkeypatch.setattr(report, "build_report", counted)
    workers = [ReportCache(store, tmp_path / "ui") for _ in range(2)]  # separate caches: only the file lock is shared
    paths = []
    threads = [threading.Thread(target=lambda c=c: paths.append(c.path_for(run, None, run.run_id))) for c in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(builds) == 1 and len(set(paths)) == 1 and paths[0].is_file()
