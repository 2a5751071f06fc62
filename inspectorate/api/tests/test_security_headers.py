"""Finding 4 of the penetration test, under the production settings: every answer carries a
strict Content-Security-Policy and a Permissions-Policy, and every answer to a signed-in
person or an API token is `Cache-Control: no-store` (draft report pages and their Word
export, the programme's CSV, API reports), unless a view opts in with `@allow_caching`."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

from conftest import apply_production
from inspectorate.accounts.roles import Role
from inspectorate.api.tests.helpers import World, client_for, token_client
from inspectorate.reports.models import Report
from inspectorate.shell.security import allow_caching

HTTPS = {"X-Forwarded-Proto": "https"}


@pytest.fixture(autouse=True)
def _production(settings: Any) -> None:
    """The production settings that bear on headers (settings_production.py); the second
    factor is left off, as headers do not depend on it and these clients sign in directly."""
    apply_production(
        settings,
        REQUIRE_TWO_FACTOR=False,
        SECURE_HSTS_SECONDS=63072000,
        ALLOWED_HOSTS=["testserver"],
    )


def assert_policies(response: Any) -> None:
    csp = response["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ):
        assert directive in csp, (directive, csp)
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in response["Permissions-Policy"]


def assert_not_stored(response: Any) -> None:
    assert response["Cache-Control"] == "no-store", response.get("Cache-Control")
    assert response["Pragma"] == "no-cache"


def _draft(world: World) -> Report:
    assert world.on_team is not None
    return Report.objects.create(event=world.irp, kind="irp_report", created_by=world.on_team)


@pytest.mark.django_db
def test_confidential_pages_and_downloads_are_never_stored(world: World) -> None:
    draft = _draft(world)
    client = client_for(world.users[Role.HMIP_COORDINATOR])
    year = world.secret.programme.year
    for url in (
        "/dashboard/",
        f"/reports/{draft.pk}/",
        f"/reports/{draft.pk}/document/",
        f"/reports/{draft.pk}/document/word/",
        f"/programme/{year}/events.csv",
        f"/programme/{year}/events.xlsx",
        f"/programme/events/{world.secret.pk}/",
        "/api/v1/reports/",
        f"/api/v1/reports/{draft.pk}/",
        "/no-such-page/",
    ):
        response = client.get(url, headers=HTTPS)
        assert response.status_code in {200, 404}, (url, response.status_code)
        assert_policies(response)
        assert_not_stored(response)


@pytest.mark.django_db
def test_api_answers_to_a_token_are_never_stored(world: World) -> None:
    _draft(world)
    client, _ = token_client(world.users[Role.HMIP_COORDINATOR])
    for url in ("/api/v1/reports/", f"/api/v1/events/{world.secret.pk}/", "/api/v1/events/999999/"):
        response = client.get(url, headers=HTTPS)
        assert response.status_code in {200, 404}, url
        assert_policies(response)
        assert_not_stored(response)
    # A refused token's answer is not kept by a proxy either.
    stranger = Client(headers={"Authorization": "Bearer not-a-token"})
    refused = stranger.get("/api/v1/reports/", headers=HTTPS)
    assert refused.status_code == 401
    assert_not_stored(refused)


@pytest.mark.django_db
def test_public_pages_carry_the_policies_and_may_be_cached(client: Client) -> None:
    assert_policies(client.get("/sign-in/", headers=HTTPS))
    for url in ("/reports/published/", "/no-such-page/"):
        response = client.get(url, headers=HTTPS)
        assert response.status_code in {200, 404}, url
        assert_policies(response)
        assert "no-store" not in response.get("Cache-Control", "")
    static = client.get("/static/build/app.css", headers=HTTPS)
    assert static.status_code == 200
    assert_policies(static)
    assert "no-store" not in static.get("Cache-Control", "")


@allow_caching
def _cacheable(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("nothing confidential")
    response["Cache-Control"] = "private, max-age=60"
    return response


def _uncached(request: HttpRequest) -> HttpResponse:
    return HttpResponse("confidential")


urlpatterns = [path("cacheable/", _cacheable), path("uncached/", _uncached)]


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_view_opts_in_to_caching_with_a_decorator(world: World) -> None:
    client = client_for(world.users[Role.HMIP_INSPECTOR])
    cached = client.get("/cacheable/", headers=HTTPS)
    assert cached["Cache-Control"] == "private, max-age=60"
    assert "Pragma" not in cached
    assert_policies(cached)
    assert_not_stored(client.get("/uncached/", headers=HTTPS))


@pytest.mark.django_db
def test_only_the_browsable_api_allows_inline_styles_and_no_page_inline_scripts(
    world: World,
) -> None:
    client = client_for(world.users[Role.HMIP_COORDINATOR])
    page = client.get(
        "/api/v1/events/", headers={"Accept": "text/html", "X-Forwarded-Proto": "https"}
    )
    assert page.status_code == 200
    assert "style-src 'self' 'unsafe-inline'" in page["Content-Security-Policy"]
    assert "script-src 'self';" in page["Content-Security-Policy"]
    assert_not_stored(page)
    answer = client.get("/api/v1/events/", headers=HTTPS)
    assert "unsafe-inline" not in answer["Content-Security-Policy"]
