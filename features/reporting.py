"""What the reports alone say about a variety's producers: how many, how busy filing, who is leaving.

Public shortage databases list a company only once it has filed for the product, so these count
the producers and filings known by t (suspensions from their ``reported_month``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shortage_radar.features.grid import Block, month_pos, scatter, to_variety
from shortage_radar.features.window import sum_last


def _filings(varieties: Block, table: pd.DataFrame) -> np.ndarray:
    """[V, T] reports filed per variety and month."""
    rows = pd.Index(varieties.keys["variety_id"].astype(str)).get_indexer(table["variety_id"].astype(str))
    return np.nan_to_num(scatter(varieties.shape, rows, month_pos(varieties.months, table["reported_month"]),
                                 np.ones(len(table))))


def _producer_filings(pairs: Block, pair_rows: np.ndarray, known: np.ndarray, recent: np.ndarray,
                      n_v: int) -> np.ndarray:
    """Filings in the window by this variety's known producers for their other varieties."""
    _, codes = np.unique(pairs.keys["enterprise_id"].astype(str).to_numpy(), return_inverse=True)
    by_enterprise = np.zeros((codes.max() + 1 if len(codes) else 0, recent.shape[1]))
    np.add.at(by_enterprise, codes, recent)
    others = (by_enterprise[codes] - recent) * known
    return to_variety(pairs, others, n_v, pair_rows)


def variety_reporting(varieties: Block, pairs: Block, pair_rows: np.ndarray, known: np.ndarray,
                      pair_filed: np.ndarray | None, table: pd.DataFrame | None,
                      window: int, episodes: bool = False,
                      suspended: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Producers known, filings and discontinuations in the window, filings of its producers elsewhere;
    with ``episodes`` (``episode_features``) also producers not suspended and their filings so far."""
    n_v = len(varieties.keys)
    out = {"producers_known": np.nan_to_num(to_variety(pairs, known.astype(float), n_v, pair_rows))}
    if episodes and suspended is not None:  # producers left when the suspended stop: a sole one is fragile
        out["producers_unaffected"] = np.maximum(out["producers_known"] - suspended, 0.0)
    if table is None or pair_filed is None:
        return out
    stopping = table[(table["reason"] == "discontinued").fillna(False).to_numpy()]
    out[f"filings_last_{window}m"] = sum_last(_filings(varieties, table), window)
    out[f"discontinuations_last_{window}m"] = sum_last(_filings(varieties, stopping), window)
    out[f"producer_filings_last_{window}m"] = np.nan_to_num(
        _producer_filings(pairs, pair_rows, known, sum_last(pair_filed, window), n_v))
    if episodes:
        out["producer_filings_so_far"] = np.nan_to_num(
            _producer_filings(pairs, pair_rows, known, np.cumsum(np.nan_to_num(pair_filed), axis=1), n_v))
    return out
