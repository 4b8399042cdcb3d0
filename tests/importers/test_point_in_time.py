"""Point in time on the real records: a report posted after t changes nothing the engine knows at t."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from importer_helpers import canada_panel, canada_slice  # noqa: F401 (fixtures)
from shortage_radar.contract.panel import read_panel
from shortage_radar.features import as_known_at, build_features
from shortage_radar.importers.build import import_canada

MONTHS = ("2015-06", "2017-05", "2017-12", "2018-02")
CREATED = {"Date Created": "%Y-%m-%d", "date_created": "%Y-%m-%d"}


def _posted(frame: pd.DataFrame) -> pd.Series:
    """When each source row was posted, by the importer's own rule (voluntary: start or last update)."""
    for column in CREATED:
        if column in frame.columns:
            return pd.to_datetime(frame[column].str.slice(0, 10), errors="coerce").dt.to_period("M")
    start = pd.to_datetime(frame["start_date"].str.slice(0, 10)).dt.to_period("M")
    updated = pd.to_datetime(frame["last_updated"].str.slice(0, 10)).dt.to_period("M")
    return start.where(start <= updated, updated)


def _truncated(folders: list[Path], t: pd.Period, root: Path) -> list[Path]:
    """The same source files without the rows of reports posted after t."""
    out = []
    for folder in folders:
        dst = root / folder.name
        dst.mkdir(parents=True)
        for path in folder.glob("*.csv"):
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
            if "Date Created" in frame.columns or "date_created" in frame.columns or "start_date" in frame.columns:
                posted = _posted(frame)
                frame = frame[~(posted > t)]
            frame.to_csv(dst / path.name, index=False)
        out.append(dst)
    return out


def _common(a: pd.DataFrame, b: pd.DataFrame, keys: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    a = a.assign(**{k: a[k].astype(str) for k in keys})
    b = b.assign(**{k: b[k].astype(str) for k in keys})
    shared = a[keys].merge(b[keys])
    pick = lambda f: f.merge(shared).sort_values(keys).reset_index(drop=True)  # noqa: E731
    return pick(a), pick(b)


@pytest.mark.parametrize("month", MONTHS)
def test_reports_posted_after_t_change_no_feature_at_t(canada_slice, canada_panel, tmp_path, month):
    t = pd.Period(month, freq="M")
    import_canada(_truncated(canada_slice, t, tmp_path / "src"), tmp_path / "panel")
    early = build_features(read_panel(tmp_path / "panel"), months=[t])
    full = build_features(canada_panel, months=[t])
    for level, keys in (("variety", ["variety_id", "month"]), ("pair", ["enterprise_id", "variety_id", "month"])):
        left, right = _common(getattr(full, level), getattr(early, level), keys)
        assert len(left) > 0
        pd.testing.assert_frame_equal(left, right, check_exact=False, rtol=1e-9)


@pytest.mark.parametrize("month", MONTHS)
def test_features_equal_on_the_imported_panel_known_at_t(canada_panel, month):
    t = pd.Period(month, freq="M")
    full, known = build_features(canada_panel, months=[t]), build_features(as_known_at(canada_panel, t), months=[t])
    for level in ("variety", "pair"):
        keys = [k for k in ("enterprise_id", "variety_id") if k in getattr(full, level)]
        left, right = _common(getattr(full, level), getattr(known, level), [*keys, "month"])
        pd.testing.assert_frame_equal(left, right, check_exact=False, rtol=1e-9)


def test_same_input_gives_byte_identical_panels(canada_slice, tmp_path):
    import_canada(canada_slice, tmp_path / "a")
    shuffled = []
    for folder in canada_slice:  # the same rows in another order
        dst = tmp_path / "shuffled" / folder.name
        dst.mkdir(parents=True)
        for path in folder.glob("*.csv"):
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
            frame.sample(frac=1.0, random_state=3).to_csv(dst / path.name, index=False)
        shuffled.append(dst)
    import_canada(shuffled, tmp_path / "b")
    import_canada(canada_slice, tmp_path / "c")
    for path in sorted((tmp_path / "a").iterdir()):
        assert path.read_bytes() == (tmp_path / "c" / path.name).read_bytes(), path.name
        if path.suffix == ".csv":
            assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name
