"""Small slices of the real public records (../shared/data/real), written as source folders, and fixtures.

A slice keeps every row of a few ingredients (and the snapshot-history rows of their reports),
so the importer runs on real spellings, amendments and typos in well under a second. Test modules
import the fixtures from here (a second conftest.py would shadow the root one's helpers).
"""

from __future__ import annotations

import os

from pathlib import Path

import pandas as pd
import pytest

REAL = Path(__file__).resolve().parents[3] / "shared" / "data" / "real"
INGREDIENTS = ("ISOSORBIDE", "NIFEDIPINE", "SPIRAMYCIN", "SODIUM CHLORIDE", "METOPROLOL", "RAMIPRIL",
               "CARBIDOPA", "OLANZAPINE")
NAME_COLUMNS = ("Ingredients", "Ingredient Name", "drug_name")
COPIED = ("essential-medicines.csv", "cleanmeds.csv")


def real_folder(folder: str) -> Path:
    """A folder of the real records, or skip the test when ../shared is not beside the clone."""
    path = REAL / folder
    if not path.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{path} not found: CI runs with ../shared beside the clone")
        pytest.skip(f"{path} not found (the real records live in ../shared beside the clone)")
    return path


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def _keep(frame: pd.DataFrame) -> pd.Series:
    column = next(c for c in NAME_COLUMNS if c in frame.columns)
    return frame[column].str.upper().str.contains("|".join(INGREDIENTS), regex=True)


def _sliceable(frame: pd.DataFrame) -> bool:
    return any(c in frame.columns for c in NAME_COLUMNS)


def write_slice(src: Path, dst: Path) -> Path:
    """Rows of the chosen ingredients of every CSV in ``src`` (history: rows of the kept reports)."""
    dst.mkdir(parents=True, exist_ok=True)
    kept_ids: set[str] = set()
    files = sorted(src.glob("*.csv"), key=lambda p: "history" in p.name)  # history last: it needs the ids
    for path in files:
        frame = _read(path)
        if path.name in COPIED:
            sliced = frame
        elif "snapshot_date" in frame.columns:
            sliced = frame[frame["report_id"].isin(kept_ids)]
        elif not _sliceable(frame):
            continue  # e.g. the raw multi-section export, which the importer does not read
        else:
            sliced = frame[_keep(frame)]
            if "Report ID" in sliced.columns:
                kept_ids |= set(sliced["Report ID"])
        sliced.to_csv(dst / path.name, index=False)
    return dst

@pytest.fixture(scope="session")
def canada_slice(tmp_path_factory) -> list[Path]:
    """The voluntary folder and the 2017-2018 folder, sliced."""
    root = tmp_path_factory.mktemp("canada_slice")
    names = ("canada_voluntary_2012_2017", "canada_dsc_2017_2018")
    return [write_slice(real_folder(name), root / name) for name in names]


@pytest.fixture(scope="session")
def canada_panel(canada_slice, tmp_path_factory):
    """The sliced sources imported and read back through the contract reader."""
    from shortage_radar.contract.panel import read_panel
    from shortage_radar.importers.build import import_canada

    out = tmp_path_factory.mktemp("canada_panel")
    import_canada(canada_slice, out)
    return read_panel(out)


@pytest.fixture(scope="session")
def openfda_folder() -> Path:
    return real_folder("us_openfda_shortages_snapshot")
