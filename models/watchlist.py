"""The contract's watchlist as one schema, and the warning levels as one enum.

Every writer of a watchlist (the file of ``score``/``backtest``, the score store, the service)
validates through :func:`validate_watchlist` first, so a watchlist that breaks the contract
(a risk out of [0, 1], a tier that does not match its level, a repeated rank) is never written.
"""

from __future__ import annotations

from enum import IntEnum

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaError, SchemaErrors

from shortage_radar.errors import WatchlistError


class Level(IntEnum):
    """The four-tier graded response: the level, its tier and its names (contract section 2)."""

    NONE = 0
    RED = 1
    ORANGE = 2
    YELLOW = 3
    BLUE = 4

    @property
    def tier(self) -> str:
        """The response tier the level calls for (IV county .. I national)."""
        return _TIERS[self]

    @property
    def english(self) -> str:
        return _NAMES[self][0]

    @property
    def chinese(self) -> str:
        return _NAMES[self][1]

    @property
    def warned(self) -> bool:
        """Levels 1-3 (red, orange, yellow): the warnings the budget and the metrics count."""
        return self in (Level.RED, Level.ORANGE, Level.YELLOW)


_TIERS = {Level.NONE: "none", Level.BLUE: "county", Level.YELLOW: "city", Level.ORANGE: "provincial",
          Level.RED: "national"}
_NAMES = {Level.NONE: ("none", "无预警"), Level.BLUE: ("blue IV", "蓝色预警 IV级"),
          Level.YELLOW: ("yellow III", "黄色预警 III级"), Level.ORANGE: ("orange II", "橙色预警 II级"),
          Level.RED: ("red I", "红色预警 I级")}
TIERS: dict[int, str] = {int(level): level.tier for level in Level}
NAMES: dict[int, tuple[str, str]] = {int(level): (level.english, level.chinese) for level in Level}

# The contract's columns in order, then the engine's own: ``ongoing`` marks a variety already in shortage.
CONTRACT_COLUMNS = ["entity", "variety_id", "enterprise_id", "month", "horizon", "risk", "warning_level",
                    "response_tier", "rank", "drivers"]
WATCHLIST_COLUMNS = [*CONTRACT_COLUMNS, "ongoing"]
# Contract v1.1 extension columns: written when the scorer produces them, in this order after the others.
EXTENSION_COLUMNS = ["risk_1m", "risk_2m", "risk_3m", "risk_6m", "impact", "level_reason", "drivers_zh"]


def _tier_matches_level(frame: pd.DataFrame) -> pd.Series:
    return frame["response_tier"] == frame["warning_level"].map(TIERS)


def _enterprise_id_by_entity(frame: pd.DataFrame) -> pd.Series:
    filled = frame["enterprise_id"].fillna("").astype(str) != ""
    return filled == (frame["entity"] == "enterprise")


def _rank_unique(frame: pd.DataFrame) -> pd.Series:
    return ~frame.duplicated(["entity", "month", "rank"], keep=False)


def _curve_non_decreasing(frame: pd.DataFrame) -> pd.Series:
    present = [c for c in ("risk_1m", "risk_2m", "risk_3m", "risk_6m") if c in frame]
    ok = pd.Series(True, index=frame.index)
    for lower, upper in zip(present, present[1:], strict=False):
        ok &= frame[lower] <= frame[upper] + 1e-12
    return ok


_PROBABILITY = [pa.Check.in_range(0.0, 1.0)]

WATCHLIST_SCHEMA = pa.DataFrameSchema(
    {
        "entity": pa.Column(str, pa.Check.isin(["variety", "enterprise"])),
        "variety_id": pa.Column(str, pa.Check.str_length(min_value=1)),
        "enterprise_id": pa.Column(str, nullable=True),
        "month": pa.Column(str, pa.Check.str_matches(r"^\d{4}-\d{2}$")),
        "horizon": pa.Column(int, pa.Check.ge(1)),
        "risk": pa.Column(float, _PROBABILITY),
        "warning_level": pa.Column(int, pa.Check.isin([int(level) for level in Level])),
        "response_tier": pa.Column(str, pa.Check.isin(list(TIERS.values()))),
        "rank": pa.Column(int, pa.Check.ge(1)),
        "drivers": pa.Column(str, nullable=True),
        "ongoing": pa.Column(bool, required=False),
        **{c: pa.Column(float, _PROBABILITY, required=False) for c in EXTENSION_COLUMNS[:4]},
        "impact": pa.Column(int, pa.Check.ge(0), required=False),
        "level_reason": pa.Column(str, nullable=True, required=False),
        "drivers_zh": pa.Column(str, nullable=True, required=False),
    },
    checks=[
        pa.Check(_tier_matches_level, error="response_tier must be the tier of warning_level"),
        pa.Check(_enterprise_id_by_entity, error="enterprise_id is set on enterprise rows only"),
        pa.Check(_rank_unique, error="rank must be unique within (entity, month)"),
        pa.Check(_curve_non_decreasing, error="risk_1m <= risk_2m <= risk_3m <= risk_6m on every row"),
    ],
    strict=False,
    coerce=False,
    name="watchlist",
)


def ordered(frame: pd.DataFrame) -> pd.DataFrame:
    """The watchlist's columns in the contract's order, extension columns after, nothing else."""
    columns = [c for c in (*WATCHLIST_COLUMNS, *EXTENSION_COLUMNS) if c in frame]
    return frame[columns]


def empty_watchlist() -> pd.DataFrame:
    """A watchlist with no rows and the contract's columns (typed), for months with nothing to score."""
    types = {"horizon": "int64", "risk": "float64", "warning_level": "int64", "rank": "int64", "ongoing": "bool"}
    return pd.DataFrame({c: pd.Series(dtype=types.get(c, "object")) for c in WATCHLIST_COLUMNS})


def validate_watchlist(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` in the contract's column order, or WatchlistError with the first broken rule in one line."""
    try:
        WATCHLIST_SCHEMA.validate(frame, lazy=False)
    except (SchemaError, SchemaErrors) as exc:
        first = str(exc).strip().splitlines()[0]
        raise WatchlistError(f"watchlist: {first}") from None
    return ordered(frame)
