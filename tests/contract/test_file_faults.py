"""Table files that exist but cannot be opened stop the run; a CSV record the file itself breaks is set aside
with its source line and reason while the rest is read; quarantine rows are source line numbers; timestamps on
the 1st, naive or with a time zone, are months."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from shortage_radar.contract.files import PanelError
from shortage_radar.contract.panel import read_panel


def _csv_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("kind", ["dangling", "loop", "folder"])
def test_a_table_that_exists_but_cannot_be_opened_is_fatal(tables, write_panel, kind):
    folder = write_panel({k: v for k, v in tables.items() if k != "procurement"})
    target = folder / "procurement.csv"
    if kind == "dangling":
        target.symlink_to(folder / "nowhere.csv")
    elif kind == "loop":
        target.symlink_to(target)
    else:
        target.mkdir()
    with pytest.raises(PanelError) as raised:
        read_panel(folder)
    message = str(raised.value)
    assert str(target) in message and "\n" not in message


def test_permission_denied_is_fatal(tables, write_panel, monkeypatch):
    folder = write_panel(tables)
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if str(p).endswith("procurement.csv") else real(p, mode))
    with pytest.raises(PanelError, match="procurement.csv: exists but cannot be opened: permission denied"):
        read_panel(folder)


def _insert(path: Path, after_line: int, raw: bytes) -> None:
    """Insert raw bytes as a line after line ``after_line`` (1-based) of the file."""
    lines = path.read_bytes().split(b"\n")
    lines.insert(after_line, raw)
    path.write_bytes(b"\n".join(lines))


@pytest.mark.parametrize(("raw", "reason", "column"), [
    (b"E1,V1", "malformed_row", None),
    (b"\xe9", "undecodable_text", "enterprise_id"),
    (None, "oversized_cell", "enterprise_id"),
], ids=["ragged", "latin1", "huge"])
def test_a_bad_record_is_quarantined_with_its_line_and_the_rest_is_read(tables, write_panel, raw, reason, column):
    folder = write_panel(tables)
    path = folder / "monthly_reports.csv"
    header = _csv_lines(path)[0].split(",")
    good = _csv_lines(path)[1].split(",")
    if raw is None:
        raw = ",".join(["x" * 5_000_000, *good[1:]]).encode()
    elif reason == "undecodable_text":
        raw = b"E\xe9," + ",".join(good[1:]).encode()
    _insert(path, 3, raw)  # becomes line 4
    panel = read_panel(folder)
    bad = panel.quarantine[panel.quarantine["table"] == "monthly_reports"]
    assert list(bad["row"]) == [4] and list(bad["reason"]) == [reason]
    assert (bad["column"].iloc[0] if column else None) == column
    assert len(header) and panel.results["monthly_reports"].kept == len(tables["monthly_reports"])
    assert panel.results["monthly_reports"].rows == len(tables["monthly_reports"]) + 1


def test_quarantine_rows_are_source_lines_after_blank_lines(tables, write_panel):
    bad = tables["monthly_reports"].copy()
    bad.loc[len(bad) - 1, "production"] = "-5"
    folder = write_panel({**tables, "monthly_reports": bad})
    path = folder / "monthly_reports.csv"
    _insert(path, 2, b"")
    _insert(path, 2, b"")
    lines = _csv_lines(path)
    panel = read_panel(folder)
    [row] = panel.quarantine.loc[panel.quarantine["reason"] == "negative_value", "row"]
    assert "-5" in lines[row - 1]  # the line the quarantine names is the bad row's line
    assert row == len(bad) + 1 + 2


def test_careful_path_keeps_line_numbers_with_blank_lines_and_a_defect(tables, write_panel):
    bad = tables["monthly_reports"].copy()
    bad.loc[len(bad) - 1, "production"] = "-5"
    folder = write_panel({**tables, "monthly_reports": bad})
    path = folder / "monthly_reports.csv"
    _insert(path, 2, b"")
    _insert(path, 2, b"only,three,fields")  # line 3, ragged
    lines = _csv_lines(path)
    panel = read_panel(folder)
    q = panel.quarantine.set_index("reason")["row"]
    assert q["malformed_row"] == 3
    assert "-5" in lines[q["negative_value"] - 1]


@pytest.mark.parametrize("tz", [None, "UTC", "Asia/Shanghai"])
def test_parquet_timestamps_on_the_first_are_months(tables, write_panel, tz):
    reports = tables["monthly_reports"].copy()
    stamps = pd.to_datetime(reports["month"].astype(str) + "-01")
    reports["month"] = stamps.dt.tz_localize(tz) if tz else stamps
    folder = write_panel({**tables, "monthly_reports": reports}, fmt="parquet")
    panel = read_panel(folder)
    assert not (panel.quarantine["table"] == "monthly_reports").any()
    assert list(panel["monthly_reports"]["month"].astype(str)) == list(tables["monthly_reports"]["month"].astype(str))


@pytest.mark.parametrize("cell", ["2022-01-01T00:00:00Z", "2022-01-01 00:00:00+08:00", "2022-01-01T00:00"])
def test_csv_timestamps_on_the_first_are_months(tables, write_panel, cell):
    reports = tables["monthly_reports"].copy()
    reports["month"] = reports["month"].astype(str).map(lambda m: cell.replace("2022-01", m))
    panel = read_panel(write_panel({**tables, "monthly_reports": reports}))
    assert not (panel.quarantine["table"] == "monthly_reports").any()


def test_a_timestamp_not_on_the_first_is_still_quarantined(tables, write_panel):
    reports = tables["monthly_reports"].copy()
    reports.loc[0, "month"] = "2022-01-02T00:00:00Z"
    panel = read_panel(write_panel({**tables, "monthly_reports": reports}))
    assert list(panel.quarantine["reason"]) == ["unparseable_month"]


def test_the_careful_path_gives_the_same_rows_when_pyarrow_cannot_reread_them(tables, write_panel, monkeypatch):
    from shortage_radar.contract import csvrows

    folder = write_panel(tables)
    _insert(folder / "monthly_reports.csv", 3, b"E1,V1")
    fast = read_panel(folder)
    monkeypatch.setattr(csvrows, "_parse_kept", lambda found: None)
    slow = read_panel(folder)
    pd.testing.assert_frame_equal(fast["monthly_reports"], slow["monthly_reports"])
    pd.testing.assert_frame_equal(fast.quarantine, slow.quarantine)
