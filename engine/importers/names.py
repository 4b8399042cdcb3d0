"""Normalised keys for ingredients, dosage forms and companies, so that one drug or firm is one id.

Each function works on the distinct strings of a column and maps the result back (the tables are
small, the distinct strings fewer still).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import pandas as pd

from shortage_radar.importers.settings import NameRules

_BRACKETS = re.compile(r"\(.*?\)")
_SEPARATORS = re.compile(r"[;,/+&]|\bAND\b|\bWITH\b")
_NOT_WORD = re.compile(r"[^A-Z0-9.%\- ]")
_FORM_PUNCT = re.compile(r"[(),\-/]")


def _on_distinct(values: pd.Series, fn: Callable[[str], str]) -> pd.Series:
    """Apply ``fn`` once per distinct non-missing string; missing stays missing."""
    text = values.astype("string")
    distinct = text.dropna().unique()
    mapping = {v: fn(v) for v in distinct}
    return text.map(mapping).astype("string")


def _clean(text: str) -> str:
    """Upper case, HTML entities decoded (the exports double-escape: ``&amp;amp;``), spaces collapsed."""
    return " ".join(html.unescape(html.unescape(text)).upper().split())


def _ingredient(text: str, salts: frozenset[str], brands: re.Pattern) -> str:
    words = _NOT_WORD.sub(" ", _SEPARATORS.sub(" ", _BRACKETS.sub(" ", brands.sub(" ", _clean(text))))).split()
    words = [w for w in (w.strip("-.") for w in words) if w and not w[0].isdigit() and "%" not in w]  # strengths
    if not words:
        return ""
    kept = [words[0]] + [w for w in words[1:] if w not in salts]
    return " ".join(sorted(kept))


def ingredient_key(values: pd.Series, rules: NameRules) -> pd.Series:
    """Active ingredient(s): brand prefixes, brackets, strengths and trailing salt words dropped, words sorted.

    "CARBIDOPA LEVODOPA", "LEVODOPA; CARBIDOPA" and "Levodopa/Carbidopa" are one key; the 2017-18
    exports join several ingredients with spaces, so words (not ingredients) are what is sorted.
    """
    salts = frozenset(rules.salt_words)
    brands = re.compile(r"\b(?:" + "|".join(map(re.escape, rules.brand_prefixes)) + r")-(?=[A-Z])")
    return _on_distinct(values, lambda v: _ingredient(v, salts, brands))


def _form(text: str, aliases: dict[str, str]) -> str:
    first = _clean(text).split(";")[0]  # multi-ingredient rows repeat the form per ingredient
    form = " ".join(_FORM_PUNCT.sub(" ", first).split())
    return aliases.get(form, form)


def dosage_form(forms: pd.Series, routes: pd.Series, rules: NameRules) -> pd.Series:
    """Dosage form; any product given by an injectable route is one form, ``injection_form``."""
    form = _on_distinct(forms.fillna(""), lambda v: _form(v, rules.dosage_forms))
    route = routes.astype("string").fillna("").str.upper()
    injectable = route.str.contains("|".join(rules.injectable_routes), regex=True)
    injectable |= form.str.contains("INJECT", regex=False)
    solid = form.str.split(" ").str[0].isin(rules.solid_forms)
    return form.where(~injectable | solid, rules.injection_form).astype("string")


def _company(text: str, noise: frozenset[str], aliases: dict[str, str]) -> str:
    words = [w for w in re.sub(r"[^A-Z0-9 ]", " ", _clean(text)).split() if w not in noise]
    name = " ".join(words)
    return aliases.get(name, name)


def company_key(values: pd.Series, rules: NameRules) -> pd.Series:
    """Company: legal-form and country words dropped, known aliases merged ("Teva Canada Limited" = TEVA)."""
    noise = frozenset(rules.company_noise_words)
    return _on_distinct(values, lambda v: _company(v, noise, rules.company_aliases))


def display_name(values: pd.Series, keys: pd.Series) -> pd.Series:
    """Per key, its most frequent original spelling (ties: alphabetical), for the name columns."""
    frame = pd.DataFrame({"key": keys, "name": values.astype("string").map(_clean, na_action="ignore")}).dropna()
    counts = frame.value_counts(["key", "name"]).rename("n").reset_index()
    counts = counts.sort_values(["key", "n", "name"], ascending=[True, False, True], kind="stable")
    return counts.drop_duplicates("key").set_index("key")["name"]
