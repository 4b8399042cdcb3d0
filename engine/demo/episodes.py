"""Run-length episodes over (entity, month) matrices: the shared tool of every derived table."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Episodes:
    """Runs of equal non-zero codes: entity row, first and last month index, code, ongoing at the end."""

    entity: np.ndarray
    start: np.ndarray
    end: np.ndarray
    code: np.ndarray
    ongoing: np.ndarray

    def __len__(self) -> int:
        """Number of episodes."""
        return len(self.entity)


def bridge_gaps(flags: np.ndarray, max_gap: int) -> np.ndarray:
    """Fill runs of at most ``max_gap`` False months that have True on both sides."""
    flags = np.asarray(flags, dtype=bool)
    if max_gap <= 0:
        return flags
    gaps = runs_of(~flags)
    inner = (gaps.start > 0) & ~gaps.ongoing & (gaps.end - gaps.start + 1 <= max_gap)
    out = flags.copy()
    for k in range(max_gap):
        sel = inner & (gaps.start + k <= gaps.end)
        out[gaps.entity[sel], gaps.start[sel] + k] = True
    return out


def runs(codes: np.ndarray) -> Episodes:
    """Maximal runs of the same non-zero code along each row of an (entity, month) matrix."""
    codes = np.asarray(codes)
    n_rows, n_months = codes.shape
    padded = np.zeros((n_rows, n_months + 2), dtype=codes.dtype)
    padded[:, 1:-1] = codes
    change = padded[:, 1:] != padded[:, :-1]
    rows, cols = np.nonzero(change)
    values_after = padded[rows, cols + 1]
    starts_mask = values_after != 0
    start_rows, start_cols = rows[starts_mask], cols[starts_mask]
    # each run ends right before the next change on the same row
    order = np.arange(len(rows))
    next_change = order[starts_mask] + 1
    end_cols = cols[next_change] - 1
    code = padded[start_rows, start_cols + 1]
    return Episodes(
        entity=start_rows,
        start=start_cols,
        end=end_cols,
        code=code,
        ongoing=end_cols == n_months - 1,
    )


def runs_of(flags: np.ndarray) -> Episodes:
    """Maximal runs of True along each row of a boolean (entity, month) matrix."""
    return runs(np.asarray(flags, dtype=np.int8))
