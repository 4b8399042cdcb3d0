"""A panel that cannot be used stops with one clear message naming file, column and expectation."""

from __future__ import annotations

import pytest

from shortage_radar.contract.files import PanelError
from shortage_radar.contract.panel import read_panel


def test_missing_folder(tmp_path):
    with pytest.raises(PanelError, match="does not exist"):
        read_panel(tmp_path / "nowhere")


def test_missing_varieties(tables, write_panel):
    folder = write_panel(tables)
    (folder / "varieties.csv").unlink()
    with pytest.raises(PanelError, match=r"varieties\.csv: required table 'varieties' is missing"):
        read_panel(folder)


def test_only_varieties(tables, write_panel):
    folder = write_panel({"varieties": tables["varieties"]})
    with pytest.raises(PanelError, match="at least one other table"):
        read_panel(folder)


@pytest.mark.parametrize(("table", "column"), [("monthly_reports", "production"), ("varieties", "vbp_batch"),
                                               ("suspensions", "reported_month"), ("procurement", "avg_price")])
def test_missing_required_column(tables, write_panel, table, column):
    tables[table] = tables[table].drop(columns=[column])
    with pytest.raises(PanelError, match=rf"{table}\.csv: required column '{column}' is missing"):
        read_panel(write_panel(tables))


def test_missing_optional_column_is_fine(tables, write_panel):
    tables["monthly_reports"] = tables["monthly_reports"].drop(columns=["capacity", "safety_stock"])
    panel = read_panel(write_panel(tables))
    assert panel["monthly_reports"]["capacity"].isna().all()
    assert panel.results["monthly_reports"].missing_optional == ("capacity", "safety_stock", "filed_on")


@pytest.mark.parametrize("garbage", [bytes(range(256)) * 40, b"\x00\x01\x02\xff\xfe" * 1000, b""])
def test_garbage_file(tables, write_panel, garbage):
    folder = write_panel(tables)
    (folder / "monthly_reports.csv").write_bytes(garbage)
    with pytest.raises(PanelError, match=r"monthly_reports\.csv: "):
        read_panel(folder)


def test_garbage_parquet(tables, write_panel):
    folder = write_panel(tables)
    (folder / "procurement.csv").unlink()
    (folder / "procurement.parquet").write_bytes(b"PAR1 not really parquet")
    with pytest.raises(PanelError, match=r"procurement\.parquet: cannot be read as Parquet"):
        read_panel(folder)


def test_enterprises_required_when_named(tables, write_panel):
    folder = write_panel(tables)
    (folder / "enterprises.csv").unlink()
    with pytest.raises(PanelError, match="names enterprise_id but table 'enterprises' is missing"):
        read_panel(folder)


def test_both_csv_and_parquet(tables, write_panel):
    folder = write_panel(tables)
    tables["procurement"].to_parquet(folder / "procurement.parquet")
    with pytest.raises(PanelError, match="keep only one file per table"):
        read_panel(folder)


def test_messages_are_one_line(tables, write_panel):
    folder = write_panel(tables)
    (folder / "monthly_reports.csv").write_bytes(bytes(range(256)) * 10)
    with pytest.raises(PanelError) as info:
        read_panel(folder)
    assert "\n" not in str(info.value)
