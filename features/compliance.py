"""Audit-derived features: silent producers and doubtful figures (docs/audit.md).

A pair that stops reporting is itself a warning sign, and a variety whose figures were blanked as
implausible should say so. Every value uses only reports filed by their deadline up to t.
"""

from __future__ import annotations

import numpy as np

from shortage_radar.audit.settings import audit_config
from shortage_radar.features.grid import Block, to_variety
from shortage_radar.features.settings import FeatureConfig
from shortage_radar.features.window import months_since, ratio, sum_last


def _recent_reporters(reported: np.ndarray, months: int) -> np.ndarray:
    """[P, T] 1 where the pair reported in t or in the ``months`` before it."""
    return (sum_last(np.nan_to_num(reported), months + 1) > 0).astype(float)


def pair_compliance(pairs: Block, cfg: FeatureConfig) -> dict[str, np.ndarray]:
    """Months since the pair's last report, and whether a figure of its report at t was blanked."""
    out = {"data_doubtful": np.nan_to_num(pairs.get("doubtful"))}
    if cfg.audit_features:
        out["months_since_report"] = months_since(pairs.get("reported"))
    return out


def variety_compliance(pairs: Block, rows: np.ndarray, n_v: int, cfg: FeatureConfig) -> dict[str, np.ndarray]:
    """Share of the variety's recent reporters silent at t; 1 when any of its reports at t was doubtful."""
    doubtful = to_variety(pairs, pairs.get("doubtful"), n_v, rows, how="max")
    out = {"data_doubtful": np.nan_to_num(doubtful)}
    if cfg.audit_features:
        recent = _recent_reporters(pairs.get("reported"), audit_config().missing_report.recent_months)
        silent = recent * np.isnan(pairs.get("reported"))
        out["producers_not_reporting_share"] = ratio(np.nan_to_num(to_variety(pairs, silent, n_v, rows)),
                                                     np.nan_to_num(to_variety(pairs, recent, n_v, rows)))
    return out
