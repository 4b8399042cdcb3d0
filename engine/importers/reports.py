"""The common report table every importer produces, before it becomes contract tables.

One row per filed report (a shortage or a discontinuation of one product of one company):

| column | meaning |
|---|---|
| source, report_id, kind, din | where it comes from; ``shortage`` or ``discontinuation``; the product id |
| enterprise_id, company | normalised company key, and the company as written |
| variety_id, ingredient_key, ingredients, dosage_form | key + form; the key; ingredients as written; the form |
| reported | month the report was posted (public from then on) |
| filed_start | start as first filed (anticipated, else actual, else the posting month) |
| event_start | month a real shortage became public: max(start, posting, first snapshot); NaT if none began |
| expected_end | end as first estimated |
| end | month its end became public (NaT while open) |
| reason | contract category |
| observed_until | last month the source fully covers |
"""

from __future__ import annotations

import pandas as pd

from shortage_radar.importers.names import company_key, dosage_form, ingredient_key
from shortage_radar.importers.settings import RealDataConfig

COLUMNS = ("source", "report_id", "kind", "din", "enterprise_id", "company", "variety_id", "ingredient_key",
           "ingredients", "dosage_form", "reported", "filed_start", "event_start", "expected_end", "end", "reason",
           "observed_until")
VARIETY_SEPARATOR = "|"


def map_reasons(text: pd.Series, cfg: RealDataConfig) -> pd.Series:
    """Source reason text -> contract category (lower case, trailing period dropped; unknown -> other)."""
    key = text.astype("string").str.lower().str.strip().str.rstrip(".").str.strip()
    return key.map(cfg.reasons).fillna("other").astype("string")


def identify(frame: pd.DataFrame, ingredients: pd.Series, forms: pd.Series, routes: pd.Series,
             companies: pd.Series, cfg: RealDataConfig) -> pd.DataFrame:
    """Add the normalised company and variety keys (variety = ingredient key | dosage form)."""
    key = ingredient_key(ingredients, cfg.names)
    form = dosage_form(forms, routes, cfg.names)
    return frame.assign(
        enterprise_id=company_key(companies, cfg.names), company=companies.astype("string"),
        ingredient_key=key, ingredients=ingredients.astype("string"), dosage_form=form,
        variety_id=key + VARIETY_SEPARATOR + form)


def usable(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, int]]:
    """Reports with a variety, a company and a posting month inside their source's coverage."""
    no_variety = frame["ingredient_key"].fillna("").eq("") | frame["dosage_form"].fillna("").eq("")
    no_company = frame["enterprise_id"].fillna("").eq("")
    no_month = frame["reported"].isna()
    late = ~no_month & frame["observed_until"].notna() & (frame["reported"] > frame["observed_until"])
    keep = ~(no_variety | no_company | no_month | late)
    dropped = {"no_ingredient_or_form": int(no_variety.sum()), "no_company": int((no_company & ~no_variety).sum()),
               "no_posting_month": int((no_month & ~no_variety & ~no_company).sum()),
               "posted_after_coverage": int((late & ~no_variety & ~no_company).sum())}
    return frame[keep].reset_index(drop=True), dropped
