"""The whole OpenAPI schema, fuzzed with schemathesis against the Django WSGI app: no
answer is a server error, and no endpoint answers without authentication."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error

from inspectorate.accounts.roles import Role
from inspectorate.api.services import api_token_issue
from inspectorate.api.tests.helpers import World

EXAMPLES = 4  # per operation: the run stays well under a minute


@contextmanager
def _keeping_the_test_connection() -> Iterator[None]:
    """As Django's test client does: a request must not close the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _schema() -> dict[str, Any]:
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


@pytest.mark.django_db
def test_the_schema_is_served_to_signed_in_users(world: World, client: Any) -> None:
    client.force_login(world.users[Role.HMIP_INSPECTOR])
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    assert "/api/v1/events/{id}/move/" in response.json()["paths"]
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    assert b"POST /api/v1/events/{id}/move/" in docs.content


def _fuzz(operation: Any, auth: dict[str, str], failures: list[str], statuses: list[int]) -> None:
    """A few generated requests to one operation: none is a server error, and none answers
    without valid credentials."""
    label = operation.label

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        case.headers = {**(case.headers or {}), **auth}
        response = case.call()
        statuses.append(response.status_code)
        try:
            case.validate_response(response, checks=[not_a_server_error])
        except Exception as failure:  # collected, to report every operation at once
            failures.append(f"{label}: {str(failure)[:500]}")
        # The same request without credentials, and with a wrong token, is refused.
        for refused in ({}, {"Authorization": "Bearer insp_wrong"}):
            case.headers = {k: v for k, v in case.headers.items() if k != "Authorization"}
            case.headers.update(refused)
            bare = case.call()
            answered = 200 <= response.status_code < 300 or 200 <= bare.status_code < 300
            if bare.status_code != 401 and answered:
                failures.append(f"{label} answered {bare.status_code} to {refused}")

    run()


@pytest.mark.django_db
def test_fuzzing_every_operation_finds_no_server_error_and_no_open_endpoint(
    world: World,
) -> None:
    secret = api_token_issue(
        actor=world.users[Role.HMIP_COORDINATOR], name="Fuzz", scope="write"
    ).secret
    auth = {"Authorization": f"Bearer {secret}"}
    schema = schemathesis.openapi.from_dict(_schema())
    schema.app = get_wsgi_application()
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) > 20
    failures: list[str] = []
    statuses: list[int] = []
    with _keeping_the_test_connection():
        for operation in operations:
            _fuzz(operation, auth, failures, statuses)
    assert failures == []
    assert len(statuses) >= 2 * len(operations)
    assert {200, 400, 404} <= set(statuses), sorted(set(statuses))


@pytest.mark.django_db
def test_the_browsable_api_renders_for_a_signed_in_browser(world: World, client: Any) -> None:
    client.force_login(world.users[Role.HMIP_COORDINATOR])
    for path in (
        "/api/v1/",
        "/api/v1/events/",
        f"/api/v1/events/{world.secret.pk}/",
        "/api/v1/tokens/",
    ):
        response = client.get(path, headers={"Accept": "text/html"})
        assert response.status_code == 200, path
        assert b"<html" in response.content
    assert client.get("/api/v1/tokens/manage/").status_code == 200


def test_the_schema_is_valid_openapi_without_warnings(tmp_path: Any) -> None:
    from django.core.management import call_command

    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert "/api/v1/milestones/{id}/mark-met/" in target.read_text()
