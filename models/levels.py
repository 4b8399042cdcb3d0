"""Why a row has its warning level: one sentence naming the risk threshold and the impact conditions that set it.

Written from the policy object the level was set with (thresholds may be fitted per deployment), so the
sentence and the level never disagree.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shortage_radar.models.policy import NAMES, LevelRule, WarningPolicy, impact_parts

ONGOING = "already in shortage (risk is of a new onset)"
HELD = "levels 1-3 warn of shortages still to come, not of one under way"


def _compare(value: float, threshold: float) -> tuple[str, str]:
    """Both numbers with enough decimals that the comparison reads true (0.366 vs 0.3659 would not)."""
    for digits in (2, 3, 4, 6):
        a, b = f"{value:.{digits}f}", f"{threshold:.{digits}f}"
        if a != b:
            return a, b
    return f"{value:.6f}", f"{threshold:.6f}"


def _flag(frame: pd.DataFrame, column: str) -> np.ndarray:
    return np.nan_to_num(frame[column].to_numpy(dtype=float)) > 0 if column in frame else np.zeros(len(frame), bool)


def _number(frame: pd.DataFrame, column: str) -> np.ndarray:
    return frame[column].to_numpy(dtype=float) if column in frame else np.full(len(frame), np.nan)


def _conditions(parts: dict[str, np.ndarray], frame: pd.DataFrame) -> list[list[str]]:
    """Per row, the impact conditions that scored points, in words."""
    shortage, monitoring = _flag(frame, "on_shortage_list"), _flag(frame, "on_key_monitoring_list")
    provinces, producers = _number(frame, "provinces_reporting"), _number(frame, "producers_active")
    out = []
    for i in range(len(frame)):
        words = []
        if parts["national_list"][i]:
            lists = [name for hit, name in ((shortage[i], "national shortage list"),
                                            (monitoring[i], "key monitoring list")) if hit]
            words.append("on the " + " and the ".join(lists or ["national lists"]))
        if parts["essential"][i]:
            words.append("essential medicine")
        if parts["provinces_reporting"][i]:
            words.append(f"{provinces[i]:.0f} provinces report it short")
        if parts["few_producers"][i]:
            n = producers[i]
            words.append("no active producer" if n < 1 else f"{n:.0f} producer" + ("s" if n >= 2 else ""))
        out.append(words)
    return out


def _met(rule: LevelRule, risk: float, impact: int, conds: list[str]) -> str:
    r, t = _compare(risk, rule.min_risk)
    detail = f" ({', '.join(conds)})" if conds else ""
    if rule.min_impact <= 0:
        return f"{NAMES[rule.level][0]}: risk {r} >= {t} (impact {impact}{detail})"
    return f"{NAMES[rule.level][0]}: risk {r} >= {t} and impact {impact} >= {rule.min_impact}{detail}"


def _missed(rule: LevelRule, risk: float, impact: int) -> str:
    """Why the row is not at ``rule``'s level: the first threshold it misses."""
    if risk < rule.min_risk:
        r, t = _compare(risk, rule.min_risk)
        return f"risk {r} < {t} for {NAMES[rule.level][0]}"
    return f"impact {impact} < {rule.min_impact} for {NAMES[rule.level][0]}"


def _reason(level: int, risk: float, impact: int, conds: list[str], rules: dict[int, LevelRule]) -> str:
    if level == 0:
        least = rules[max(rules)]
        return f"none: {_missed(least, risk, impact)}" + (f" ({', '.join(conds)})" if conds else "")
    text = _met(rules[level], risk, impact, conds)
    higher = [rules[k] for k in sorted(rules) if k < level]
    blocked = [r for r in higher if risk >= r.min_risk]  # risk high enough for a more severe level, impact not
    if blocked:
        text += f"; not {NAMES[blocked[0].level][0]}: {_missed(blocked[0], risk, impact)}"
    return text


def level_reasons(frame: pd.DataFrame, risk: np.ndarray, level: np.ndarray, ongoing: np.ndarray,
                  policy: WarningPolicy, final: np.ndarray | None = None) -> tuple[np.ndarray, list[str]]:
    """Impact points and one sentence per row on what set its level (rows in shortage say so first).

    ``level``: the thresholds' level; ``final``: the level given (rows in shortage held at
    ``ongoing_level``, models/policy.py :func:`onset_levels`), default the same.
    """
    parts = impact_parts(frame, policy.impact)
    impact = sum(parts.values(), np.zeros(len(frame))).astype(int)
    rules = {r.level: r for r in policy.levels}
    final = level if final is None else final
    reasons = []
    for i, conds in enumerate(_conditions(parts, frame)):
        text = _reason(int(level[i]), float(risk[i]), int(impact[i]), conds, rules)
        if final[i] != level[i]:
            text = f"{NAMES[int(final[i])][0]}: {HELD}; the thresholds alone give {text}"
        reasons.append(f"{ONGOING}; {text}" if bool(ongoing[i]) else text)
    return impact, reasons
