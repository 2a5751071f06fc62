"""The API's version, its date-times, its cached schema and its documentation pages."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from inspectorate.accounts.roles import Role
from inspectorate.api import schema
from inspectorate.api.models import ApiToken
from inspectorate.api.tests.helpers import World, client_for, token_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("method", ["get", "post", "patch"])
def test_an_unversioned_path_answers_308_to_v1_keeping_the_query(client, method: str) -> None:
    response = getattr(client, method)("/api/events/12/?programme=2026")
    assert response.status_code == 308  # unlike 301, the client repeats the same method
    assert response["Location"] == "/api/v1/events/12/?programme=2026"


def test_the_versioned_path_answers_and_the_old_one_is_not_served_itself(world: World) -> None:
    client, _ = token_client(world.users[Role.HMIP_COORDINATOR])
    assert client.get("/api/v1/events/").status_code == 200
    assert client.get("/api/events/").status_code == 308


def test_date_times_are_written_in_utc_with_z(world: World) -> None:
    coordinator = world.users[Role.HMIP_COORDINATOR]
    token_client(coordinator)
    # 09:00 in London in summer is 08:00 UTC: written as such, not as +01:00.
    ApiToken.objects.filter(user=coordinator).update(
        created_at=datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
    )
    listed = client_for(coordinator).get("/api/v1/tokens/").json()["results"]
    assert listed[0]["created_at"] == "2026-07-01T08:00:00Z"
    assert all(
        re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", token["expires_at"])
        for token in listed
        if token["expires_at"]
    )


def test_the_schema_is_generated_once_and_served_from_memory(world: World) -> None:
    client = client_for(world.users[Role.HMIP_COORDINATOR])
    first = client.get("/api/v1/schema/?format=json")
    before = schema.schema_document.cache_info()
    second = client.get("/api/v1/schema/?format=json")
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert schema.schema_document.cache_info().misses == before.misses  # not generated again
    assert first.json()["paths"]["/api/v1/events/"]
    yaml = client.get("/api/v1/schema/")
    assert yaml["Content-Type"].startswith("application/vnd.oai.openapi")
    assert yaml.content.startswith(b"openapi: 3")


def test_the_schema_needs_credentials(client) -> None:
    assert client.get("/api/v1/schema/").status_code == 401


def test_swagger_ui_is_served_from_our_own_files_under_the_strict_policy(world: World) -> None:
    client = client_for(world.users[Role.HMIP_COORDINATOR])
    page = client.get("/api/v1/docs/swagger/")
    assert page.status_code == 200
    html = page.content.decode()
    policy = page["Content-Security-Policy"]
    assert "script-src 'self';" in policy
    assert "unsafe-inline" not in policy
    assert "<script>" not in html  # every script is a file: the strict policy allows them
    assert "<style" not in html
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert all(source.startswith("/") for source in sources), sources  # nothing from a CDN
    assert any("swagger-ui-bundle.js" in source for source in sources)
    script = client.get("/api/v1/docs/swagger/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"/api/v1/schema/" in script.content


def test_the_documentation_links_to_swagger_ui(world: World) -> None:
    page = client_for(world.users[Role.HMIP_COORDINATOR]).get("/api/v1/docs/")
    assert page.status_code == 200
    assert 'href="/api/v1/docs/swagger/"' in page.content.decode()


def test_a_path_v1_does_not_answer_is_not_found_rather_than_redirected(client) -> None:
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404  # not a redirect to /api/v1/v1/...


def test_no_component_is_described_by_a_mixins_docstring() -> None:
    """drf-spectacular describes a component by the first docstring up its class hierarchy: a
    serializer without its own docstring would be described by what its mixin does."""
    from inspectorate.api import serializers

    mixins = [
        cls
        for cls in vars(serializers).values()
        if isinstance(cls, type) and cls.__name__.endswith("Mixin") and cls.__doc__
    ]
    assert mixins, "the API declares no mixin: the test would check nothing"
    mixin_texts = {" ".join((cls.__doc__ or "").split()) for cls in mixins}
    components = schema.schema_document()["components"]["schemas"]
    borrowed = {
        name: component["description"]
        for name, component in components.items()
        if " ".join(component.get("description", "").split()) in mixin_texts
    }
    assert borrowed == {}
    assert "staff only" in components["Event"]["description"]
