"""Cause codes: the contract's suspension reasons, numbered from 1 (0 = no cause)."""

from __future__ import annotations

import numpy as np

REASONS: tuple[str, ...] = (
    "api_shortage",
    "quality_gmp",
    "equipment",
    "economic",
    "regulatory",
    "discontinued",
    "other",
)
NONE = 0


def code(reason: str) -> int:
    """The code of a reason (1-based position in ``REASONS``)."""
    return REASONS.index(reason) + 1


def names(codes: np.ndarray) -> np.ndarray:
    """Reason names of an array of non-zero codes."""
    return np.array(REASONS, dtype=object)[np.asarray(codes) - 1]
