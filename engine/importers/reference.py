"""Static reference lists -> `essential` and `therapeutic_class` of varieties.

Both come only from lists that do not depend on which drugs were later reported short (the WHO
essential-medicines list with ATC codes, and a small hand-made ATC list shipped beside it). The ATC
codes printed on the shortage reports are deliberately not used: a variety would then have a class
exactly when it has a report in the export, and the class would reveal future reports.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from shortage_radar.importers.canada_read import read_text_table
from shortage_radar.importers.names import ingredient_key
from shortage_radar.importers.settings import RealDataConfig

ATC_COLUMNS = ("ATC1", "ATC2", "ATC3", "ATC")


def _atc_by_ingredient(frame: pd.DataFrame, name_column: str, cfg: RealDataConfig) -> pd.DataFrame:
    codes = [c for c in ATC_COLUMNS if c in frame.columns]
    long = frame.melt(id_vars=[name_column], value_vars=codes, value_name="atc").dropna(subset=["atc"])
    long = long.assign(ingredient_key=ingredient_key(long[name_column], cfg.names),
                       atc=long["atc"].str.strip().str.upper())
    return long[long["atc"].str.len() >= cfg.atc_class_length][["ingredient_key", "atc"]]


def reference_lists(essential: list[Path], classes: list[Path], cfg: RealDataConfig) -> pd.DataFrame:
    """Ingredient key -> essential (bool) and therapeutic_class (ATC level), from the lists present."""
    who = pd.concat([_atc_by_ingredient(read_text_table(p), "medicine", cfg) for p in essential]) \
        if essential else pd.DataFrame(columns=["ingredient_key", "atc"])
    other = pd.concat([_atc_by_ingredient(read_text_table(p), "medication", cfg) for p in classes]) \
        if classes else pd.DataFrame(columns=["ingredient_key", "atc"])
    both = pd.concat([who, other]).sort_values(["ingredient_key", "atc"], kind="stable")
    classes_ = both.assign(therapeutic_class=both["atc"].str.slice(0, cfg.atc_class_length))
    out = classes_.drop_duplicates("ingredient_key").set_index("ingredient_key")[["therapeutic_class"]]
    out["essential"] = out.index.isin(who["ingredient_key"]) if essential else pd.NA
    out.attrs["has_essential_list"] = bool(essential)  # then a medicine not on the list is not essential
    return out
