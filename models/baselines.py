"""Simple baselines: one column each (past shortages, stock, recency, ...), ranked as they are."""

from __future__ import annotations

import numpy as np
import pandas as pd

from shortage_radar.models.settings import BaselineSpec


def present(rows: pd.DataFrame, specs: tuple[BaselineSpec, ...]) -> list[BaselineSpec]:
    """The baselines whose column the rows carry with at least one value."""
    return [s for s in specs if s.column in rows and rows[s.column].notna().any()]


def baseline_score(rows: pd.DataFrame, spec: BaselineSpec) -> np.ndarray:
    """Higher = riskier, in the column's own order; a missing value ranks lowest."""
    value = spec.direction * rows[spec.column].to_numpy(dtype=float)
    floor = np.nanmin(value) - 1.0 if np.isfinite(value).any() else 0.0
    return np.where(np.isnan(value), floor, value)


def blend_scale(rows: pd.DataFrame, spec: BaselineSpec) -> np.ndarray:
    """The baseline on the blend's scale: log1p of the value capped at ``cap`` (missing = least risky).

    Monotone in the column, so it ranks like :func:`baseline_score` except above the cap.
    """
    raw = rows[spec.column].to_numpy(dtype=float)
    least = 0.0 if spec.direction > 0 else spec.cap
    return spec.direction * np.log1p(np.clip(np.where(np.isnan(raw), least, raw), 0.0, spec.cap))
