"""The most important tests of the project: a feature as of month t uses nothing known after t.

Two independent checks on whole panels:
1. features from the full panel equal those from the panel truncated to what was known at the
   end of t (``as_known_at``), with every table's rows shuffled;
2. scrambling everything that becomes known only after t (later reports, later suspensions,
   later events, later ends) leaves the features as of t unchanged. This one does not rely on
   ``as_known_at`` being right.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import scramble_future, shuffled
from shortage_radar.contract.panel import Panel
from shortage_radar.features import as_known_at, build_features
from shortage_radar.features.settings import feature_config

SETTINGS = settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
# "always" also builds the report-only families (peers, reporting) on panels with monthly reports, and the
# audit-derived features (off by default)
FAMILIES = st.sampled_from(["auto", "always"]).map(
    lambda mode: feature_config().model_copy(update={"report_features": mode, "audit_features": mode == "always",
                                              "episode_features": mode == "always"}))


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    keys = [c for c in ("enterprise_id", "variety_id", "month") if c in frame]
    frame = frame.assign(**{k: frame[k].astype(str) for k in keys})
    return frame.sort_values(keys).reset_index(drop=True)


def _assert_same(a, b) -> None:
    for name in ("variety", "pair"):
        left, right = _sorted(getattr(a, name)), _sorted(getattr(b, name))
        pd.testing.assert_frame_equal(left, right, check_exact=False, rtol=1e-9, atol=1e-12)


def _months(panel: Panel) -> list[pd.Period]:
    months = sorted(panel["monthly_reports"]["month"].unique()) if "monthly_reports" in panel else sorted(
        panel["procurement"]["month"].unique())
    return months[1:-1]


@pytest.fixture(scope="module")
def panels(demo_panel, small_panel) -> dict[str, Panel]:
    return {"demo": demo_panel, "hand-built": small_panel}


@SETTINGS
@given(data=st.data(), which=st.sampled_from(["demo", "hand-built"]), seed=st.integers(0, 2**16), cfg=FAMILIES)
def test_features_equal_on_the_panel_known_at_t(panels, data, which, seed, cfg):
    panel = panels[which]
    t = data.draw(st.sampled_from(_months(panel)))
    full = build_features(panel, months=[t], cfg=cfg)
    known = build_features(shuffled(as_known_at(panel, t), seed), months=[t], cfg=cfg)
    _assert_same(full, known)


@SETTINGS
@given(data=st.data(), which=st.sampled_from(["demo", "hand-built"]), seed=st.integers(0, 2**16), cfg=FAMILIES)
def test_scrambling_the_future_changes_nothing_at_t(panels, data, which, seed, cfg):
    panel = panels[which]
    t = data.draw(st.sampled_from(_months(panel)))
    _assert_same(build_features(panel, months=[t], cfg=cfg),
                 build_features(scramble_future(panel, t, seed), months=[t], cfg=cfg))


def test_the_scramble_does_change_later_features(demo_panel):
    """Guard against a vacuous test: the scramble really moves features after t."""
    t = _months(demo_panel)[len(_months(demo_panel)) // 2]
    later = t + 3
    before = build_features(demo_panel, months=[later]).variety
    after = build_features(scramble_future(demo_panel, t, 1), months=[later]).variety
    assert not _sorted(before).equals(_sorted(after))
