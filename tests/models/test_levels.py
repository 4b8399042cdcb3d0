"""Level reasons: the sentence names the threshold and the impact conditions that set the level, from the policy."""

from __future__ import annotations

import numpy as np
import pandas as pd

from shortage_radar.models.levels import level_reasons
from shortage_radar.models.policy import ImpactRule, LevelRule, WarningPolicy, warning_levels

POLICY = WarningPolicy(
    levels=(LevelRule(level=1, min_risk=0.7, min_impact=3), LevelRule(level=2, min_risk=0.4, min_impact=2),
            LevelRule(level=3, min_risk=0.15, min_impact=0), LevelRule(level=4, min_risk=0.05, min_impact=0)),
    impact=ImpactRule(national_list=1, essential=1, provinces_reporting=1, provinces_threshold=3, few_producers=1,
                      few_producers_threshold=1))
ROWS = pd.DataFrame({"on_shortage_list": [1, 0, 0, 1], "on_key_monitoring_list": [0, 0, 0, 1],
                     "essential": [0, 0, 1, 1], "provinces_reporting": [0, 5, 0, 4],
                     "producers_active": [1, 4, 3, 2]})


def _explain(risk: list[float], ongoing: list[bool] | None = None):
    risk = np.array(risk)
    from shortage_radar.models.policy import impact_points

    level = warning_levels(risk, impact_points(ROWS, POLICY.impact), POLICY)
    return level, *level_reasons(ROWS, risk, level, np.array(ongoing or [False] * len(ROWS)), POLICY)


def test_reason_names_threshold_and_impact_conditions():
    level, impact, reasons = _explain([0.61, 0.83, 0.01, 0.75])
    assert list(level) == [2, 3, 0, 1] and list(impact) == [2, 1, 1, 3]
    assert reasons[0] == "orange II: risk 0.61 >= 0.40 and impact 2 >= 2 (on the national shortage list, 1 producer)"
    # high risk, little impact: the sentence says why it is not orange or red
    assert reasons[1] == ("yellow III: risk 0.83 >= 0.15 (impact 1 (5 provinces report it short)); "
                          "not red I: impact 1 < 3 for red I")
    assert reasons[2] == "none: risk 0.01 < 0.05 for blue IV (essential medicine)"
    assert reasons[3].startswith("red I: risk 0.75 >= 0.70 and impact 3 >= 3 (on the national shortage list and "
                                 "the key monitoring list, essential medicine, 4 provinces report it short")


def test_reason_follows_the_policy_thresholds_and_reads_true_at_the_edge():
    _, _, reasons = _explain([0.0499, 0.4, 0.4, 0.4])
    assert reasons[0] == "none: risk 0.0499 < 0.0500 for blue IV (on the national shortage list, 1 producer)"
    assert reasons[1].endswith("not orange II: impact 1 < 2 for orange II")


def test_rows_in_shortage_say_so():
    _, _, reasons = _explain([0.5, 0.5, 0.5, 0.5], ongoing=[True, False, False, False])
    assert reasons[0].startswith("already in shortage") and not reasons[1].startswith("already")


def test_rows_in_shortage_are_not_given_an_onset_warning_and_the_reason_says_why():
    from shortage_radar.models.policy import impact_points, onset_levels

    risk = np.array([0.61, 0.83, 0.01, 0.75])
    ongoing = np.array([True, True, True, False])
    level = warning_levels(risk, impact_points(ROWS, POLICY.impact), POLICY)
    final = onset_levels(level, ongoing, POLICY)
    assert list(level) == [2, 3, 0, 1] and list(final) == [4, 4, 0, 1]
    _, reasons = level_reasons(ROWS, risk, level, ongoing, POLICY, final)
    assert reasons[0] == ("already in shortage (risk is of a new onset); blue IV: levels 1-3 warn of shortages "
                          "still to come, not of one under way; the thresholds alone give orange II: risk 0.61 >= "
                          "0.40 and impact 2 >= 2 (on the national shortage list, 1 producer)")
    assert reasons[2].startswith("already in shortage (risk is of a new onset); none: risk 0.01 < 0.05")
    assert reasons[3].startswith("red I: risk 0.75")
    off = POLICY.model_copy(update={"ongoing_level": 0})
    assert list(onset_levels(level, ongoing, off)) == [0, 0, 0, 1]


def test_a_fitted_policy_pickled_before_ongoing_level_existed_still_scores():
    """Models registered by an earlier version carry a WarningPolicy without ``ongoing_level``."""
    from shortage_radar.models.policy import effective_policy, onset_levels, warning_policy

    state = POLICY.__getstate__()
    state["__dict__"] = {k: v for k, v in state["__dict__"].items() if k != "ongoing_level"}
    old = WarningPolicy.__new__(WarningPolicy)
    old.__setstate__(state)
    policy = effective_policy(warning_policy(), old)
    assert policy.ongoing_level == warning_policy().ongoing_level and policy.levels == POLICY.levels
    assert list(onset_levels(np.array([2, 3]), np.array([True, False]), policy)) == [4, 3]
