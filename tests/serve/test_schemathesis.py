"""Property-based run of schemathesis over the app's own OpenAPI schema: no 5xx, responses match the schema.

Each operation gets valid (positive) and invalid (negative) generated requests, with a key holding every scope.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance
from serve_helpers import client, world  # noqa: F401 - fixtures

MAX_EXAMPLES = 25  # per operation and mode: the whole run stays well under a minute
SKIP = {"/v1/admin/reload"}  # reloading the models takes seconds per call; test_api covers it
# Posted rows are free-form dicts in the schema; the contract (known ids, rules) decides, so a schema-valid body
# may rightly get 422 (what-if: an unknown enterprise, or not exactly one scenario). Every other check,
# including "no 5xx" and response-schema conformance, stays on.
CONTRACT_CHECKED = {"/v1/score": [positive_data_acceptance], "/v1/whatif": [positive_data_acceptance]}


def _operations(client, mode):  # noqa: F811
    """The operations to exercise; in negative mode only those with something to break besides the key header,
    which every case carries valid (an operation with nothing to negate has no negative case at all)."""
    loaded = schemathesis.openapi.from_asgi("/openapi.json", client.app)  # the lifespan already ran (client)
    operations = [r.ok() for r in loaded.get_all_operations() if r.ok().path not in SKIP]
    if mode == schemathesis.GenerationMode.NEGATIVE:
        operations = [o for o in operations
                      if any(p.name != "X-API-Key" for p in o.iter_parameters()) or len(o.body) > 0]
    return operations


def _exercise(operation, mode, key: dict[str, str]) -> None:
    """Generated cases of one operation: never a 5xx, and every response as the schema says."""

    @given(case=operation.as_strategy(mode))
    @settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case):
        # A valid key wherever the case sends one; a negative case that dropped the header must get 401.
        sent = key if "X-API-Key" in (case.headers or {}) or mode == schemathesis.GenerationMode.POSITIVE else {}
        if not sent:
            case.headers = {k: v for k, v in (case.headers or {}).items() if k != "X-API-Key"}
        response = case.call_and_validate(headers=sent, excluded_checks=CONTRACT_CHECKED.get(operation.path))
        assert response.status_code < 500, (operation.label, response.status_code, response.text[:300])

    check()


@pytest.mark.parametrize("mode", [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE])
def test_no_server_error_and_responses_match_the_schema(client, world, mode):  # noqa: F811
    operations = _operations(client, mode)
    assert {o.path for o in operations} >= {"/v1/watchlist", "/v1/score", "/v1/varieties/{variety_id}/risk"}
    for operation in operations:
        _exercise(operation, mode, {"X-API-Key": world.keys["all"]})


@pytest.mark.parametrize("mode", [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE])
def test_live_scoring_with_a_score_key_matches_the_schema(client, world, mode):  # noqa: F811
    """POST /v1/score with a key holding only the score scope: no 5xx, every response (200, 422, 413, 429) as
    documented; the rows' required columns are in the schema, so generated rows have the contract's shape."""
    [operation] = [o for o in _operations(client, mode) if o.path == "/v1/score"]
    _exercise(operation, mode, {"X-API-Key": world.keys["score"]})
