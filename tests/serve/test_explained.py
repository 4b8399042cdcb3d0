"""The API explains levels (impact, level_reason) and speaks the user's language (?lang=, Accept-Language)."""

from __future__ import annotations

import pytest
from serve_helpers import client, headers, world  # noqa: F401 - fixtures

from shortage_radar.serve.language import _preferred


@pytest.fixture(scope="module")
def store(world):  # noqa: F811
    from shortage_radar.store import open_store

    return open_store(world.store_url)


def _driven(store, month):
    rows = store.watchlist(month, entity="variety")
    return rows[rows["drivers"] != ""].iloc[0]


def test_risk_has_impact_and_level_reason_of_the_stored_row(client, world, store):  # noqa: F811
    stored = _driven(store, world.months[1])
    got = client.get(f"/v1/varieties/{stored['variety_id']}/risk", headers=headers(world)).json()
    assert got["impact"] == stored["impact"] and got["level_reason"] == stored["level_reason"]
    assert got["level_reason"]


@pytest.mark.parametrize("how", [{"params": {"lang": "zh"}}, {"headers": {"Accept-Language": "zh-CN,zh;q=0.9"}}])
def test_drivers_follow_the_users_language(client, world, store, how):  # noqa: F811
    stored = _driven(store, world.months[1])
    path = f"/v1/varieties/{stored['variety_id']}/risk"
    english = client.get(path, headers=headers(world)).json()
    chinese = client.get(path, params=how.get("params"), headers={**headers(world), **how.get("headers", {})}).json()
    assert english["drivers"] == [d.strip() for d in stored["drivers"].split(";")]
    assert chinese["drivers"] == [d.strip() for d in stored["drivers_zh"].split(";")] != english["drivers"]
    page = client.get("/v1/watchlist", params={"lang": "zh", "limit": 500}, headers=headers(world)).json()
    same = next(r for r in page["items"] if r["variety_id"] == stored["variety_id"] and r["entity"] == "variety")
    assert same["drivers"] == chinese["drivers"]


def test_accept_language_ranking():
    assert _preferred("") == "en" and _preferred("fr-FR") == "en"
    assert _preferred("zh-CN") == "zh" and _preferred("en-US,zh;q=0.8") == "en"
    assert _preferred("en;q=0.5, zh-TW;q=0.9") == "zh"
