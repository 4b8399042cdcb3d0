"""GET /v1/audit: the latest run's panel audited, behind the read scope, 422 on bad parameters."""

from __future__ import annotations

import pandas as pd
import pytest

from serve_helpers import client, headers, world  # noqa: F401 - fixtures
from shortage_radar.audit import audit
from shortage_radar.contract.panel import read_panel


def test_audit_is_the_library_audit_of_the_runs_panel(client, world):  # noqa: F811
    last = world.months[1]
    expected = audit(read_panel(world.panel_dir), last)
    r = client.get("/v1/audit", headers=headers(world), params={"limit": 1000})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["month"] == str(last) and body["total"] == len(expected)
    got = pd.DataFrame(body["items"], columns=list(expected.columns))
    pd.testing.assert_frame_equal(got, expected.astype(object).where(expected.notna(), None), check_dtype=False)
    assert sum(body["by_check"].values()) == len(expected)


def test_audit_filters_by_check_and_province(client, world):  # noqa: F811
    month = str(world.months[0])
    everything = client.get("/v1/audit", headers=headers(world), params={"month": month, "limit": 1000}).json()
    assert everything["items"], "the simulated panel has findings (missing reports at least)"
    first = everything["items"][0]
    r = client.get("/v1/audit", headers=headers(world), params={"month": month, "check": first["check"],
                                                               "province": first["province"], "limit": 1000})
    assert r.status_code == 200
    items = r.json()["items"]
    assert first in items and all(i["check"] == first["check"] and i["province"] == first["province"] for i in items)


def test_audit_needs_the_read_scope(client, world):  # noqa: F811
    assert client.get("/v1/audit").status_code == 401
    assert client.get("/v1/audit", headers=headers(world, "score")).status_code == 403


@pytest.mark.parametrize("params, status, words", [
    ({"month": "2024-13"}, 422, "month"),
    ({"check": "bad_check"}, 422, "check"),
    ({"monht": "2024-01"}, 422, "monht"),
    ({"month": "1901-01"}, 404, "no reports for month 1901-01"),
    ({"limit": "0"}, 422, "limit"),
])
def test_bad_parameters_are_4xx_with_a_message(client, world, params, status, words):  # noqa: F811
    r = client.get("/v1/audit", headers=headers(world), params=params)
    assert r.status_code == status, r.text
    assert words in r.text
