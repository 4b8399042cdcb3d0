"""A table may also be a folder of Parquet partitions: same clean rows and quarantine as one file."""

from __future__ import annotations

import pandas as pd
import pytest

from shortage_radar.contract.files import PanelError
from shortage_radar.contract.panel import read_panel
from shortage_radar.demo.writer import write_partitions


def _bad(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    reports = tables["monthly_reports"]
    extra = pd.DataFrame([{**reports.iloc[0].to_dict(), "production": "-4"}, reports.iloc[5].to_dict()])
    return {**tables, "monthly_reports": pd.concat([reports, extra], ignore_index=True)}


def test_month_partitions_read_like_one_file(tables, write_panel, tmp_path):
    tables = _bad(tables)
    single = read_panel(write_panel(tables))
    parted = read_panel(write_partitions(tables, tmp_path / "parted"))
    for name, frame in single.tables.items():  # the same rows; month partitions list them month by month
        key = [c for c in ("month", "enterprise_id", "variety_id", "province", "start_month") if c in frame]
        pd.testing.assert_frame_equal(parted[name].sort_values(key, kind="stable").reset_index(drop=True),
                                      frame.sort_values(key, kind="stable").reset_index(drop=True))
    assert list(parted.quarantine["reason"]) == list(single.quarantine["reason"]) == ["negative_value",
                                                                                     "duplicate_key"]
    assert parted.quarantine["file"].str.startswith("monthly_reports/month=").all()
    assert parted.results["monthly_reports"].rows == single.results["monthly_reports"].rows


def test_several_files_in_a_month_name_their_own_rows(tables, tmp_path):
    folder = write_partitions(tables, tmp_path / "p", part="part-a")
    extra = tables["monthly_reports"].iloc[:1].assign(production="-1", enterprise_id="E2", variety_id="V2")
    write_partitions({"monthly_reports": extra}, folder, part="part-b")
    panel = read_panel(folder)
    bad = panel.quarantine.iloc[0]
    assert (bad["file"], bad["row"], bad["reason"]) == ("monthly_reports/month=2022-01/part-b.parquet", 1,
                                                        "negative_value")


def test_flat_folder_and_dot_parquet_folder(tables, write_panel, tmp_path):
    single = read_panel(write_panel(tables))
    folder = write_panel(tables)
    (folder / "procurement.csv").unlink()
    (folder / "procurement.parquet").mkdir()
    half = len(tables["procurement"]) // 2
    tables["procurement"].iloc[:half].to_parquet(folder / "procurement.parquet" / "part.0.parquet")
    tables["procurement"].iloc[half:].to_parquet(folder / "procurement.parquet" / "part.1.parquet")
    pd.testing.assert_frame_equal(read_panel(folder)["procurement"], single["procurement"])


def test_a_month_folder_holds_only_its_month(tables, tmp_path):
    folder = write_partitions(tables, tmp_path / "p")
    wrong = tables["monthly_reports"].iloc[:1].assign(month="2022-03")
    wrong.to_parquet(folder / "monthly_reports" / "month=2022-01" / "part-0.parquet")
    with pytest.raises(PanelError, match=r"monthly_reports/month=2022-01: holds rows of month '2022-03'"):
        read_panel(folder)


@pytest.mark.parametrize("layout", ["mixed", "empty"])
def test_unusable_folders_stop_with_one_line(tables, tmp_path, layout):
    folder = write_partitions(tables, tmp_path / "p")
    if layout == "mixed":
        tables["monthly_reports"].to_parquet(folder / "monthly_reports" / "stray.parquet")
        message = "mixes month=YYYY-MM folders with Parquet files"
    else:
        for f in (folder / "procurement").rglob("*.parquet"):
            f.unlink()
        message = "folder holds no .parquet files"
    with pytest.raises(PanelError, match=message) as info:
        read_panel(folder)
    assert "\n" not in str(info.value)
