"""Column builders in contract format: Arrow-backed text, nullable booleans and integers, rounded floats."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa


def text(codes: np.ndarray, labels: np.ndarray) -> pd.arrays.ArrowStringArray:
    """Strings ``labels[codes]`` built through an Arrow dictionary (fast for millions of rows)."""
    dictionary = pa.array(np.asarray(labels, dtype=object).tolist(), type=pa.string())
    encoded = pa.DictionaryArray.from_arrays(pa.array(np.asarray(codes, dtype=np.int32)), dictionary)
    return pd.arrays.ArrowStringArray(encoded.cast(pa.string()))


def months(index: np.ndarray, month_labels: np.ndarray,
           present: np.ndarray | None = None) -> pd.arrays.ArrowStringArray:
    """``YYYY-MM`` labels of month indices; missing where ``present`` is False."""
    index = np.asarray(index, dtype=np.int64)
    mask = None if present is None else ~np.asarray(present, dtype=bool)
    safe = np.where(mask, 0, index) if mask is not None else index
    encoded = pa.DictionaryArray.from_arrays(pa.array(safe.astype(np.int32), mask=mask),
                                             pa.array(list(month_labels), type=pa.string()))
    return pd.arrays.ArrowStringArray(encoded.cast(pa.string()))


def flag(values: np.ndarray) -> pd.arrays.BooleanArray:
    """Nullable booleans (written as ``true`` / ``false``)."""
    return pd.array(np.asarray(values, dtype=bool), dtype="boolean")


def integer(values: np.ndarray, present: np.ndarray | None = None) -> pd.arrays.IntegerArray:
    """Nullable 64-bit integers, missing where ``present`` is False."""
    mask = np.zeros(len(values), dtype=bool) if present is None else ~np.asarray(present, dtype=bool)
    return pd.arrays.IntegerArray(np.asarray(values, dtype=np.int64), mask)


def number(values: np.ndarray, decimals: int, present: np.ndarray | None = None) -> np.ndarray:
    """Rounded float64, NaN (an empty cell) where ``present`` is False."""
    out = np.round(np.asarray(values, dtype=np.float64), decimals)
    return out if present is None else np.where(present, out, np.nan)


def positive(values: np.ndarray, decimals: int, present: np.ndarray | None = None) -> np.ndarray:
    """Rounded prices kept strictly positive (at least one unit of the last decimal)."""
    return number(np.maximum(values, 10.0**-decimals), decimals, present)
