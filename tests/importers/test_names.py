"""Normalised keys: one ingredient, one dosage form, one company, whatever the spelling."""

from __future__ import annotations

import pandas as pd

from shortage_radar.importers.names import company_key, dosage_form, ingredient_key
from shortage_radar.importers.settings import real_data_config

RULES = real_data_config().names


def _keys(values: list[str | None]) -> list:
    return ingredient_key(pd.Series(values), RULES).tolist()


def test_ingredients_ignore_order_separators_salts_brackets_and_strengths():
    same = _keys(["CARBIDOPA LEVODOPA", "LEVODOPA; CARBIDOPA", "Levodopa/Carbidopa", "levodopa 250mg carbidopa"])
    assert len(set(same)) == 1
    assert _keys(["AMOXICILLIN (AMOXICILLIN TRIHYDRATE)", "AMOXICILLIN"]) == ["AMOXICILLIN", "AMOXICILLIN"]
    assert _keys(["DILTIAZEM HYDROCHLORIDE"]) == _keys(["Diltiazem"]) == _keys(["GD-DILTIAZEM"])
    assert _keys(["L-THYROXINE"]) == ["L-THYROXINE"]  # a chemical prefix is not a brand
    assert _keys(["SODIUM CHLORIDE"]) != _keys(["CHLORIDE"])  # a leading salt word is the ingredient itself
    assert pd.isna(_keys([None])[0])


def test_dosage_forms_by_spelling_and_route():
    forms = pd.Series(["TABLET (EXTENDED-RELEASE)", "Tablet, Extended Release", "SOLUTION", "Powder for Solution",
                       "Tablet", "SOLUTION; SOLUTION", "SOLUTION"])
    routes = pd.Series(["ORAL", "ORAL", "INTRAMUSCULARINTRAVENOUS", "Injectable", "ORAL; INTRAVENOUS",
                        "INTRAVENOUS; INTRAVENOUS", "ORAL"])
    out = dosage_form(forms, routes, RULES).tolist()
    assert out[0] == out[1] == "TABLET EXTENDED RELEASE"
    assert out[2] == out[3] == out[5] == RULES.injection_form  # any injectable route is one form
    assert out[4] == "TABLET"  # an oral solid stays itself
    assert out[6] == "SOLUTION"


def test_companies_without_legal_forms_entities_or_aliases():
    names = pd.Series(["Teva Canada Limited", "TEVA CANADA LIMITED", "BAUSCH &amp;amp; LOMB INC",
                       "Valeant Canada", "VALEANT CANADA LP VALEANT CANADA S.E.C."])
    assert company_key(names, RULES).tolist() == ["TEVA", "TEVA", "BAUSCH LOMB", "VALEANT", "VALEANT"]
