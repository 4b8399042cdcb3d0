"""Synthetic, readable names: generic names of active ingredients and enterprise names."""

from __future__ import annotations

import numpy as np

from shortage_radar.demo.settings import WorldConfig


def api_names(rng: np.random.Generator, api_class: np.ndarray, cfg: WorldConfig) -> np.ndarray:
    """A generic name per API: prefix + a class-typical suffix, made unique with a roman-style tag."""
    prefixes = np.array(cfg.name_prefixes, dtype=object)
    names = np.empty(len(api_class), dtype=object)
    for k, klass in enumerate(cfg.classes):
        rows = np.flatnonzero(api_class == k)
        suffixes = np.array(klass.name_suffixes, dtype=object)
        pre = prefixes[rng.integers(0, len(prefixes), len(rows))]
        suf = suffixes[rng.integers(0, len(suffixes), len(rows))]
        names[rows] = pre + suf
    return _unique(names)


def enterprise_names(rng: np.random.Generator, n: int, cfg: WorldConfig) -> np.ndarray:
    """``<Prefix><suffix> Pharmaceutical`` names, unique by a number where they repeat."""
    pre = np.array(cfg.enterprise_name_prefixes, dtype=object)[rng.integers(0, len(cfg.enterprise_name_prefixes), n)]
    suf = np.array(cfg.enterprise_name_suffixes, dtype=object)[rng.integers(0, len(cfg.enterprise_name_suffixes), n)]
    return _unique(pre + suf + " Pharmaceutical")


def _unique(names: np.ndarray) -> np.ndarray:
    """Append `` 2``, `` 3``, ... to the second and later copies of a name."""
    _, inverse, counts = np.unique(names, return_inverse=True, return_counts=True)
    order = np.argsort(inverse, kind="stable")
    starts = np.cumsum(counts) - counts
    rank = np.empty(len(names), dtype=np.int64)
    rank[order] = np.arange(len(names)) - np.repeat(starts, counts)
    tags = np.where(rank > 0, np.char.add(" ", (rank + 1).astype(str)), "")
    return (names.astype(str).astype(object) + tags.astype(object)).astype(object)
