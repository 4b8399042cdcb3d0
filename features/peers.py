"""Peers: shortages at varieties that share this one's active ingredient, dosage form or class.

They need no production series, so they carry signal on sparse public panels where most onsets are
a variety's first: another form of the same ingredient short (substitution pressure), or a bad
spell for its dosage form (sterile injectables) or therapeutic class.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shortage_radar.features.grid import Block


def others_in_group(labels: pd.Series, values: np.ndarray) -> np.ndarray:
    """Per row, the sum of ``values`` over the other rows with the same label (NaN without a label)."""
    missing = labels.isna().to_numpy()
    codes, _ = pd.factorize(labels.astype("string").fillna(""))
    totals = np.zeros((codes.max() + 1 if len(codes) else 0, values.shape[1]))
    np.add.at(totals, codes, values)
    out = totals[codes] - values
    out[missing] = np.nan
    return out


def variety_peers(varieties: Block, recent: np.ndarray, ongoing: np.ndarray, window: int) -> dict[str, np.ndarray]:
    """Onsets in the window at the same ingredient's other forms, their ongoing count, and the form's onsets.

    Counts, not rates: a rate would divide by how many varieties the panel lists, and a panel built
    from shortage reports lists a variety only once it has been reported.
    """
    ingredient = varieties.keys["generic_name"].astype("string").str.upper().str.strip()
    form = varieties.keys["dosage_form"].astype("string").str.upper().str.strip()
    return {
        f"ingredient_shortages_last_{window}m": others_in_group(ingredient, recent),
        "ingredient_shortage_ongoing": others_in_group(ingredient, ongoing),
        f"form_shortages_last_{window}m": others_in_group(form, recent),
    }
