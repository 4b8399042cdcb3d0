"""Drivers: meaningful upward pushes only, causal words in English and Chinese, no impossible values."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from shortage_radar.models.drivers import DriverConfig, drivers
from shortage_radar.models.monthly import score_month
from shortage_radar.models.policy import warning_policy
from shortage_radar.models.settings import model_config
from shortage_radar.models.train import train_models

CFG = DriverConfig(top=3, min_contribution=0.05, min_share=0.10, projected_cover_max_months=1.0,
                   projected_cover_now_max_months=3.0)
# What no driver may say: a negative cover or stock, a nil change, a plain volume level.
IMPOSSIBLE = re.compile(r"cover -|stock -|-\d[\d.]* months (?!in)|[+-]0%|units/month")


def _one(values: dict[str, float], contrib: dict[str, float], cfg: DriverConfig = CFG) -> tuple[str, str]:
    names = list(values)
    en, zh = drivers(pd.DataFrame([values]), names, np.array([[contrib[n] for n in names]]), cfg)
    return en[0], zh[0]


def test_only_meaningful_shares_of_the_push_are_stated():
    en, zh = _one({"suspended_share": 0.5, "institution_reports": 12.0, "essential": 1.0},
                  {"suspended_share": 2.0, "institution_reports": 0.5, "essential": 0.1})
    assert en == "suspended producers make 50% of supply; 12 institutions report it short"
    assert zh == "停产企业占供应50%; 12家医疗机构报告短缺"  # essential pushed 0.1 of 2.6: under 10%, not stated


def test_nothing_from_a_lowering_or_missing_feature():
    en, zh = _one({"suspended_share": 0.5, "months_of_supply": np.nan}, {"suspended_share": -1.0,
                                                                         "months_of_supply": 2.0})
    assert (en, zh) == ("", "")


def test_changes_in_causal_words_never_negative_cover_never_nil():
    en, _ = _one({"months_of_supply_change": -1.0, "sales_trend": 0.25, "ex_factory_price_change": 0.001},
                 {"months_of_supply_change": 1.0, "sales_trend": 1.0, "ex_factory_price_change": 1.0})
    assert en == "stock cover fell 1.0 months in 3 months; sales rose 25% on the previous 3 months"
    assert not IMPOSSIBLE.search(en)


def test_plain_levels_are_never_drivers():
    en, _ = _one({"production_level": 1_688_800.0, "ex_factory_price_min": 3.2, "producers_suspended": 2.0},
                 {"production_level": 3.0, "ex_factory_price_min": 2.0, "producers_suspended": 1.0})
    assert en == "2 producers suspended"


def test_cover_is_clipped_at_zero_and_said_in_words():
    en, zh = _one({"months_of_supply": -0.4}, {"months_of_supply": 1.0})
    assert (en, zh) == ("no stock left", "库存已耗尽")


def test_projected_cover_of_zero_only_when_it_is_the_cause():
    push = {"projected_months_of_supply_2m": 2.0, "months_of_supply": 0.5}
    gone_now = _one({"projected_months_of_supply_2m": 0.0, "months_of_supply": 0.0}, push)[0]
    assert gone_now == "no stock left"  # nothing on hand already: the projection adds nothing
    plenty = _one({"projected_months_of_supply_2m": 0.0, "months_of_supply": 6.0}, push)[0]
    assert "projected" not in plenty  # from six months of stock a zero is a trend artefact
    running_out = _one({"projected_months_of_supply_2m": 0.0, "months_of_supply": 1.5}, push)
    assert running_out == ("stock projected to run out within 2 months", "预计2个月内库存耗尽")


def test_one_story_one_driver_pushes_add_up():
    values = {"suspended_share": 0.9, "institution_reports": 30.0, "provinces_reporting": 4.0,
              "institution_reports_vs_usual": 5.0, "essential": 1.0}
    contrib = {"suspended_share": 1.0, "institution_reports": 0.4, "provinces_reporting": 0.4,
               "institution_reports_vs_usual": 0.45, "essential": 0.6}
    en, _ = _one(values, contrib)
    # the institution signals (1.25 together) outrank the essential flag; said once, by the largest push
    assert en == "institution reports at 5.0x their usual level; suspended producers make 90% of supply; " \
                 "essential medicine (demand cannot fall)"


@pytest.fixture(scope="module")
def demo_watchlist(demo_panel):
    cfg, policy = model_config(), warning_policy()
    last = demo_panel["monthly_reports"]["month"].max()
    trained = train_models(demo_panel, last - 1, cfg, policy, backtest_months=0)
    return score_month(demo_panel, last, trained.variety, trained.enterprise, policy, cfg)


def test_demo_watchlist_drivers_are_possible_and_every_row_is_explained(demo_watchlist):
    rows = demo_watchlist
    assert len(rows) > 0 and (rows["drivers"] != "").any()
    for text in rows["drivers"]:
        for driver in filter(None, text.split("; ")):
            assert not IMPOSSIBLE.search(driver), driver
    assert (rows["drivers"].str.count(";") == rows["drivers_zh"].str.count(";")).all()
    assert rows["impact"].notna().all() and (rows["impact"] >= 0).all()
    assert (rows["level_reason"].str.len() > 0).all()
    assert rows.loc[rows["ongoing"], "level_reason"].str.startswith("already in shortage").all()


def test_every_feature_has_causal_words_or_is_a_plain_level():
    from shortage_radar.features.catalog import catalog
    from shortage_radar.models.driver_words import PLAIN_LEVELS, WORDS

    assert set(catalog()) == set(WORDS) | PLAIN_LEVELS and not set(WORDS) & PLAIN_LEVELS
