"""openFDA drug-shortages bulk file (the FDA's current list) -> common report rows.

One record per package NDC: a company's product on the list. The file is a snapshot of the current
list, so almost every resolved shortage has been dropped from it (docs/real-data.md): the panel is
valid but biased towards long, recent shortages, and no backtest on it is honest.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from shortage_radar.importers.canada_read import SourceError
from shortage_radar.importers.dates import to_month
from shortage_radar.importers.names import ingredient_key
from shortage_radar.importers.reports import COLUMNS, identify, map_reasons, usable
from shortage_radar.importers.settings import RealDataConfig

US_DATE = "%m/%d/%Y"
FIELDS = ("package_ndc", "generic_name", "company_name", "status", "initial_posting_date", "update_date",
          "discontinued_date", "change_date", "shortage_reason", "dosage_form", "therapeutic_category")


def _joined(values: pd.Series) -> pd.Series:
    """A list cell (openFDA's arrays) -> '; '-joined text; missing stays missing."""
    return values.map(lambda v: "; ".join(map(str, v)) if isinstance(v, list) and v else pd.NA).astype("string")


def read_bulk(source: Path, pattern: str) -> tuple[pd.DataFrame, pd.Timestamp]:
    """The records of the bulk JSON file in ``source`` (one file) and its ``meta.last_updated`` date."""
    if not source.is_dir():
        raise SourceError(f"{source}: source folder does not exist")
    files = sorted(source.glob(pattern))
    if len(files) != 1:
        raise SourceError(f"{source}: expected exactly one openFDA bulk file matching {pattern!r}, found {len(files)}")
    try:
        data = json.loads(files[0].read_text(encoding="utf-8"))
        results, updated = data["results"], pd.Timestamp(data["meta"]["last_updated"])
    except (ValueError, KeyError, TypeError) as exc:
        raise SourceError(f"{files[0]}: not an openFDA drug-shortages file ({exc})") from None
    frame = pd.DataFrame(results)
    for name in FIELDS:
        if name not in frame:
            frame[name] = pd.NA
    opened = pd.json_normalize(frame["openfda"].where(frame["openfda"].notna(), {}).tolist()) \
        if "openfda" in frame else pd.DataFrame(index=frame.index)
    frame["substances"] = _joined(opened.get("substance_name", pd.Series(pd.NA, index=frame.index)))
    frame["route"] = _joined(opened.get("route", pd.Series(pd.NA, index=frame.index)))
    frame["therapeutic_category"] = _joined(frame["therapeutic_category"]).str.split(";").str[0]
    return frame, updated


def _ingredients(frame: pd.DataFrame) -> pd.Series:
    """Substance names when openFDA matched the product, else the generic name minus its dosage form."""
    generic = frame["generic_name"].astype("string")
    form = frame["dosage_form"].astype("string").fillna("")
    strip = pd.Series([g[: len(g) - len(f)] if f and g.lower().endswith(f.lower()) else g
                       for g, f in zip(generic.fillna(""), form, strict=True)], index=frame.index, dtype="string")
    return frame["substances"].where(frame["substances"].notna(), strip)


def _rows(frame: pd.DataFrame, observed: pd.Period, cfg: RealDataConfig) -> pd.DataFrame:
    status = frame["status"].astype("string").str.lower()
    discontinued = status.eq(cfg.openfda.discontinued_status)
    resolved = status.eq(cfg.openfda.resolved_status)
    posted = to_month(frame["initial_posting_date"], US_DATE)
    planned = to_month(frame["discontinued_date"], US_DATE)
    changed = to_month(frame["change_date"], US_DATE)
    ended = changed.where(changed.notna(), to_month(frame["update_date"], US_DATE))
    base = frame.assign(
        source="openfda", report_id=frame["package_ndc"].astype("string"), din=frame["package_ndc"],
        kind=pd.Series("shortage", index=frame.index).where(~discontinued, "discontinuation"), reported=posted,
        filed_start=planned.where(discontinued & (planned > posted), posted),
        event_start=posted.where(~discontinued), expected_end=pd.Series(pd.NaT, index=frame.index, dtype="period[M]"),
        end=ended.where(resolved),
        reason=map_reasons(frame["shortage_reason"], cfg).where(~discontinued, "discontinued"),
        observed_until=observed)
    return identify(base, _ingredients(frame), frame["dosage_form"], frame["route"], frame["company_name"], cfg)


def openfda_reports(source: Path, cfg: RealDataConfig) -> tuple[pd.DataFrame, dict, pd.DataFrame]:
    """Report rows of the bulk file, the import summary, and each ingredient's therapeutic category."""
    frame, updated = read_bulk(source, cfg.openfda.pattern)
    observed = pd.Period(updated, freq="M") - (0 if updated.is_month_end else 1)
    frame = frame.sort_values(["package_ndc", "update_date"], kind="stable")
    duplicates = int(frame.duplicated("package_ndc", keep="last").sum())
    frame = frame.drop_duplicates("package_ndc", keep="last").reset_index(drop=True)
    rows = _rows(frame, observed, cfg).reindex(columns=list(COLUMNS))
    rows, dropped = usable(rows)
    keys = ingredient_key(_ingredients(frame), cfg.names)
    classes = pd.DataFrame({"ingredient_key": keys, "therapeutic_class": frame["therapeutic_category"]}).dropna()
    classes = classes.value_counts().rename("n").reset_index().sort_values(
        ["ingredient_key", "n", "therapeutic_class"], ascending=[True, False, True], kind="stable")
    reference = classes.drop_duplicates("ingredient_key").set_index("ingredient_key")[["therapeutic_class"]]
    reference["essential"] = pd.NA
    summary = {"records": int(len(frame) + duplicates), "duplicate_records_merged": duplicates,
               "snapshot": str(updated.date()), "observed_until": str(observed), "dropped": dropped}
    return rows, summary, reference
