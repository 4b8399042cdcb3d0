"""Drivers: the inputs that raised a score by a meaningful share (LightGBM pred_contrib), in English and Chinese.

Features that tell one story (models/driver_words.py GROUPS, and one signal over several windows) add their
pushes; a story is a driver of a row only when it pushed the raw score up by at least ``min_contribution``
log-odds and by at least ``min_share`` of the row's whole upward push (configs/drivers.yaml). The member that
pushed most and has something to say tells it: causal words only (plain levels have none), no nil change, no
zero count. A projected stock cover is stated only when it is the
cause: low, below the cover on hand now, with little on hand.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

from shortage_radar.config import FrozenModel, load_config
from shortage_radar.features.catalog import VARIETY_PREFIX
from shortage_radar.models.driver_words import GROUP_OF, PROJECTED, WORDS, phrase

_WINDOW = re.compile(r"_\d+m$")
COVER_NOW = "months_of_supply"


class DriverConfig(FrozenModel):
    top: int
    min_contribution: float
    min_share: float
    projected_cover_max_months: float
    projected_cover_now_max_months: float


@lru_cache(maxsize=1)
def driver_config() -> DriverConfig:
    """configs/drivers.yaml, read once."""
    return load_config("drivers", DriverConfig)


def _base(name: str) -> tuple[str, str]:
    """(prefix, feature): pair rows carry their variety's features under ``variety_``."""
    if name.startswith(VARIETY_PREFIX) and name[len(VARIETY_PREFIX):] in WORDS:
        return VARIETY_PREFIX, name[len(VARIETY_PREFIX):]
    return "", name


def _group(name: str) -> str:
    """One story is one driver: a signal over several windows (``..._1m``, ``..._12m``) or a group of GROUPS."""
    prefix, base = _base(name)
    return prefix + GROUP_OF.get(base, GROUP_OF.get(_WINDOW.sub("", base), _WINDOW.sub("", base)))


def _projection_is_cause(base: str, value: float, cover_now: float, cfg: DriverConfig) -> bool:
    """Projected cover is a reason only when it is low, lower than today's cover (as shown), and today's is low."""
    if not base.startswith(PROJECTED):
        return True
    return (value <= cfg.projected_cover_max_months and not np.isnan(cover_now)
            and round(value, 1) < round(cover_now, 1) and cover_now <= cfg.projected_cover_now_max_months)


def _words(name: str, value: float, cover: dict[str, float], cfg: DriverConfig) -> tuple[str, str] | None:
    prefix, base = _base(name)
    if base not in WORDS or not _projection_is_cause(base, value, cover.get(prefix, np.nan), cfg):
        return None
    said = phrase(WORDS[base], value)
    if said is None or not prefix:
        return said
    return "variety: " + said[0], "品种：" + said[1]


def _row(names: list[str], groups: list[str], values: np.ndarray, contrib: np.ndarray, cover: dict[str, float],
         cfg: DriverConfig) -> tuple[str, str]:
    push = np.where(np.isnan(values), 0.0, np.clip(contrib, 0.0, None))
    floor = max(cfg.min_contribution, cfg.min_share * float(push.sum()))
    totals: dict[str, float] = {}
    for j in np.flatnonzero(push):
        totals[groups[j]] = totals.get(groups[j], 0.0) + float(push[j])
    en, zh = [], []
    for group, total in sorted(totals.items(), key=lambda kv: -kv[1]):
        if len(en) == cfg.top or total < floor:
            break
        members = [j for j in np.flatnonzero(push) if groups[j] == group]
        for j in sorted(members, key=lambda j: -push[j]):
            said = _words(names[j], float(values[j]), cover, cfg)
            if said is not None:
                en.append(said[0])
                zh.append(said[1])
                break
    return "; ".join(en), "; ".join(zh)


def drivers(frame: pd.DataFrame, features: list[str], contributions: np.ndarray,
            cfg: DriverConfig | None = None) -> tuple[list[str], list[str]]:
    """Per row, the meaningful upward contributions in words: (English, Chinese), each ``;``-separated."""
    cfg = cfg or driver_config()
    values = frame.reindex(columns=features).to_numpy(dtype=float)
    covers = {p: frame[p + COVER_NOW].to_numpy(dtype=float) if p + COVER_NOW in frame else np.full(len(frame), np.nan)
              for p in ("", VARIETY_PREFIX)}
    groups = [_group(f) for f in features]
    pairs = [_row(features, groups, values[i], contributions[i], {p: c[i] for p, c in covers.items()}, cfg)
             for i in range(len(frame))]
    return [p[0] for p in pairs], [p[1] for p in pairs]
