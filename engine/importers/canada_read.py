"""Read the Drug Shortages Canada files into one long table of observations of reports.

An observation is one report as one export (or one day of the snapshot history) showed it, dated
``seen`` (the export or snapshot date). Several observations of a report are what lets the merge
keep values as first filed and learn when a start or an end first became public.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from shortage_radar.importers.canada_columns import (
    HISTORY_NAMES,
    NEW_NAMES,
    OBSERVATION,
    OLD_NAMES,
    VOLUNTARY_NAMES,
)
from shortage_radar.importers.settings import CanadaConfig, SourceFile
from shortage_radar.errors import SourceError

_DATE_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")


@dataclass(frozen=True)
class SourceFiles:
    """The files found per kind (configs/real_data.yaml ``canada.files``), sorted by name."""

    files: dict[str, list[Path]]

    def get(self, kind: str) -> list[Path]:
        """The files of one kind (none: empty)."""
        return self.files.get(kind, [])


def find_files(folders: list[Path], cfg: CanadaConfig) -> SourceFiles:
    """Every file of a known kind in the folders; error if a folder is missing or holds none."""
    found: dict[str, list[Path]] = {}
    for folder in folders:
        if not folder.is_dir():
            raise SourceError(f"{folder}: source folder does not exist")
        hits = {kind: sorted(folder.glob(spec.pattern)) for kind, spec in cfg.files.items()}
        if not any(hits.values()):
            patterns = ", ".join(s.pattern for s in cfg.files.values())
            raise SourceError(f"{folder}: no Drug Shortages Canada file found (expected one of: {patterns})")
        for kind, paths in hits.items():
            found.setdefault(kind, []).extend(paths)
    return SourceFiles({k: sorted(set(v)) for k, v in found.items()})


def read_text_table(path: Path) -> pd.DataFrame:
    """A CSV as strings (BOM dropped, empty cells missing, surrounding spaces stripped)."""
    try:
        frame = pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False, na_values=[""])
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise SourceError(f"{path}: cannot be read as a UTF-8 CSV with a header ({exc})") from None
    frame.columns = [c.strip() for c in frame.columns]
    return frame.apply(lambda col: col.str.strip()).replace("", pd.NA)


def export_date(path: Path) -> pd.Timestamp | None:
    """The date in a file's name (``..._2018-05-17.csv``), if any."""
    match = _DATE_IN_NAME.search(path.name)
    return pd.Timestamp(match.group(1)) if match else None


def observed_until(path: Path, spec: SourceFile, frame: pd.DataFrame) -> pd.Period:
    """The last month the file fully covers: configured, else the month before its export date."""
    if spec.observed_until:
        return pd.Period(spec.observed_until, freq="M")
    seen = export_date(path) or pd.to_datetime(frame["created"], errors="coerce").max()
    if seen is None or pd.isna(seen):
        raise SourceError(f"{path}: no export date in the name and no dates to infer it from")
    month = pd.Period(seen, freq="M")
    return month if seen.is_month_end else month - 1


def _select(frame: pd.DataFrame, names: dict[str, str], path: Path) -> pd.DataFrame:
    missing = [src for src, dst in names.items() if src not in frame.columns and dst in ("report_id", "created")]
    if missing:
        raise SourceError(f"{path}: required column '{missing[0]}' is missing")
    out = frame.rename(columns=names)
    return out.reindex(columns=list(OBSERVATION))


def export_observations(path: Path, spec: SourceFile) -> pd.DataFrame:
    """One export (old or new headers): one observation per report, dated by the export."""
    raw = read_text_table(path)
    names = OLD_NAMES if "Ingredient Name" in raw.columns else NEW_NAMES
    frame = _select(raw, names, path)
    seen = export_date(path) or pd.to_datetime(frame["updated"], errors="coerce").max()
    frame["kind"] = frame["kind"].str.lower()
    return frame.assign(seen=pd.Timestamp(seen), observed_until=observed_until(path, spec, frame),
                        in_export=True, event=pd.NA)


def history_observations(path: Path) -> pd.DataFrame:
    """The day-by-day change history: one observation per first sighting, change or disappearance."""
    raw = read_text_table(path)
    frame = raw.rename(columns=HISTORY_NAMES)
    frame["status"] = frame["status"].fillna(frame.get("disc_status"))
    out = frame.reindex(columns=list(OBSERVATION))
    out["kind"] = out["kind"].str.lower()
    return out.assign(seen=pd.to_datetime(raw["snapshot_date"]), observed_until=pd.NaT, in_export=False,
                      event=raw["event"])


def voluntary_reports(path: Path, spec: SourceFile) -> pd.DataFrame:
    """The manually collected voluntary-era records (2013-2016), columns renamed."""
    raw = read_text_table(path)
    missing = [c for c in VOLUNTARY_NAMES if c not in raw.columns]
    if missing:
        raise SourceError(f"{path}: required column '{missing[0]}' is missing")
    frame = raw.rename(columns=VOLUNTARY_NAMES)[list(VOLUNTARY_NAMES.values())]
    frame["report_id"] = "V" + pd.Series(range(1, len(frame) + 1), index=frame.index).astype(str)
    return frame.assign(observed_until=pd.Period(spec.observed_until, freq="M") if spec.observed_until else pd.NaT)
