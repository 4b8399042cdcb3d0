"""Result files are written atomically: a failed write leaves the previous file and no temporary file behind."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from shortage_radar.atomic import OutputError, write_atomic, write_table, write_text


def test_a_failed_write_keeps_the_old_file_and_leaves_nothing_behind(tmp_path: Path):
    target = write_text(tmp_path / "watchlist.csv", "old\n")

    def half_then_fail(path: Path) -> None:
        path.write_text("half a fi", encoding="utf-8")
        raise OSError(28, "No space left on device")

    with pytest.raises(OutputError, match="output path .*watchlist.csv: cannot write \\(No space left on device\\)"):
        write_atomic(target, half_then_fail)
    assert target.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["watchlist.csv"]


def test_a_full_device_is_one_output_error():
    frame = pd.DataFrame({"a": range(100_000)})
    with pytest.raises(OutputError, match="output path /dev/full: cannot write \\(No space left on device\\)"):
        write_atomic(Path("/dev/full"), lambda p: frame.to_csv(p, index=False))


def test_a_table_is_replaced_whole(tmp_path: Path):
    path = write_table(pd.DataFrame({"a": [1, 2]}), tmp_path / "t.parquet")
    write_table(pd.DataFrame({"a": [3]}), path)
    assert pd.read_parquet(path)["a"].tolist() == [3] and len(list(tmp_path.iterdir())) == 1


def test_the_report_leaves_no_partial_file(tmp_path: Path, monkeypatch):
    from shortage_radar.report import build as report_build

    real = Path.write_text

    def disk_fills(self, text, *args, **kwargs):
        real(self, text[:10], *args, **kwargs)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(report_build, "render_page", lambda payload: "<html>" + "x" * 1000)
    monkeypatch.setattr(report_build, "build_payload", lambda *a, **k: {})
    monkeypatch.setattr(Path, "write_text", disk_fills)
    from shortage_radar.errors import ShortageRadarError

    with pytest.raises(ShortageRadarError, match="r.html"):
        report_build.build_report(None, pd.DataFrame(), pd.Period("2024-01", freq="M"), tmp_path / "r.html")
    assert list(tmp_path.iterdir()) == []


def test_a_result_file_gets_the_usual_permissions_not_mkstemps_0600(tmp_path):
    import os
    import stat

    mask = os.umask(0o022)
    try:
        path = write_text(tmp_path / "report.html", "<html></html>")
    finally:
        os.umask(mask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
