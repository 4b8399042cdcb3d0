"""/docs works with no internet: the Swagger UI page loads its script and styles from the service itself."""

from __future__ import annotations

import re

from serve_helpers import client, world  # noqa: F401 - fixtures


def test_docs_page_uses_no_cdn_and_its_assets_are_served(client):  # noqa: F811
    page = client.get("/docs")
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith("/") for s in sources), sources
    for source in sources:
        asset = client.get(source)
        assert asset.status_code == 200 and len(asset.content) > 1000, source
    assert client.get("/openapi.json").json()["openapi"].startswith("3.1")


def test_score_rows_state_their_required_columns(client):  # noqa: F811
    schema = client.get("/openapi.json").json()["components"]["schemas"]
    reports = schema["MonthlyReportsRow"]
    assert set(reports["required"]) == {"enterprise_id", "variety_id", "month", "production", "sales", "inventory"}
    assert reports["additionalProperties"] is False
    assert "SuspensionsRow" in schema and "ProcurementRow" in schema and "InstitutionReportsRow" in schema
