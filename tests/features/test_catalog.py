"""Every feature the code builds is documented, and docs/features.md is the generated catalog."""

from __future__ import annotations

from pathlib import Path

from shortage_radar.features import build_features
from shortage_radar.features.catalog import catalog, describe, markdown
from shortage_radar.features.settings import feature_config

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"variety_id", "enterprise_id", "month"}


def _everything(panel):
    """Every family, the report-only and audit ones included (by default they are off on this panel)."""
    return build_features(panel, cfg=feature_config().model_copy(update={"report_features": "always",
                                                                         "audit_features": True,
                                                                         "episode_features": True}))


def test_every_built_feature_is_in_the_catalog(small_panel):
    features = _everything(small_panel)
    entries = catalog()
    for level, frame in (("variety", features.variety), ("pair", features.pair)):
        for column in set(frame.columns) - KEYS:
            assert column in entries, f"{level} feature {column} is not in features/catalog.py"
            assert entries[column].levels in (level, "both"), column


def test_every_catalog_entry_is_built(small_panel):
    features = _everything(small_panel)
    built = set(features.variety.columns) | set(features.pair.columns)
    assert set(catalog()) - built == set()


def test_docs_are_generated_from_the_catalog():
    assert (ROOT / "docs" / "features.md").read_text(encoding="utf-8") == markdown(), (
        "regenerate: python -m shortage_radar.features.catalog > docs/features.md")


def test_drivers_read_as_words():
    assert describe("months_of_supply", 0.61) == "stock cover 0.6 months"
    assert describe("suspended_share", 0.5) == "suspended producers make 50% of supply"


def test_report_only_families_follow_the_setting(small_panel):
    default = set(build_features(small_panel).variety.columns)
    assert "producers_known" not in default  # the small panel has monthly reports
    assert "producers_known" in set(_everything(small_panel).variety.columns)
