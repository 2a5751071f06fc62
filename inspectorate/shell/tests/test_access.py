"""Deny by default: every URL needs a signed-in user with the right role, bar a public list."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from inspectorate.accounts.models import User
from inspectorate.accounts.roles import Role
from inspectorate.estate.models import Establishment
from inspectorate.inspectors.models import Inspector

# Pages anyone may open without signing in.
PUBLIC = {
    "/",
    "/sign-in/",
    "/password-reset/",  # account recovery: asking for a link, and following it
    "/password-reset/sent/",
    "/password-reset/1/1/",
    "/password-reset/complete/",
    "/healthz",
    "/readyz",
    "/accessibility/",
    "/privacy/",
    "/admin/login/",
    "/inspections/open-data/",  # open data and its dictionary
    "/inspections/open-data/judgements.csv",
    "/inspections/open-data/healthy-prison-tests.csv",
    "/inspections/open-data/irp-progress.csv",
    "/inspections/open-data/dictionary.json",
    "/reports/published/",  # the public list of published reports
}

# Stand-ins for URL parameters, by converter name.
SAMPLE_VALUES = {"int": "1", "str": "sample", "slug": "sample", "uuid": "0" * 32, "path": "x"}


def _walk(resolver: URLResolver, prefix: str = "") -> Iterator[str]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry, prefix + _concrete(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + _concrete(entry.pattern)


def _concrete(pattern: object) -> str:
    route = str(pattern)
    if hasattr(pattern, "converters"):  # a path() route: fill each <converter:name>
        for name, converter in pattern.converters.items():
            kind = type(converter).__name__.removesuffix("Converter").lower()
            value = SAMPLE_VALUES.get(kind, "1")
            route = route.replace(f"<{kind}:{name}>", value).replace(f"<{name}>", value)
        return route
    # a regular expression route (the admin's): strip anchors, fill groups with a sample
    import re

    route = route.lstrip("^").rstrip("$").replace("\\Z", "")
    return re.sub(r"\(\?P<\w+>[^)]*\)", "1", route).replace("\\", "")


def all_urls() -> list[str]:
    return sorted({"/" + url for url in _walk(get_resolver())})


def test_the_url_walk_covers_the_service() -> None:
    urls = all_urls()
    assert "/dashboard/" in urls
    assert "/audit/" in urls
    assert any(url.startswith("/admin/accounts/user/") for url in urls)


@pytest.mark.django_db
@pytest.mark.parametrize("url", all_urls())
def test_anonymous_users_are_sent_to_sign_in_or_refused(client, url) -> None:
    response = client.get(url)
    if url in PUBLIC:
        assert response.status_code in {200, 302}
        return
    if url.startswith("/api/") and not url.startswith("/api/v1/"):  # before the version
        assert response.status_code == 308, url
        assert response["Location"].startswith("/api/v1/"), url
        return
    if url.startswith("/api/v1/") and response.status_code == 401:  # the API: no redirects
        assert b"errors" in response.content, url  # JSON, or YAML for the schema
        return
    assert response.status_code in {302, 403, 404, 405}, f"{url} answered {response.status_code}"
    if response.status_code == 302:
        location = response["Location"]
        assert location.startswith(("/sign-in/", "/admin/login/")), f"{url} → {location}"
    if response.status_code == 404:  # an object that does not exist: still no content leaks
        assert "Page not found" in response.text


@pytest.mark.django_db
def test_the_audit_trail_is_for_administrators_and_quality_assurance(client, make_user) -> None:
    for role, status in [
        (Role.SYSTEM_ADMINISTRATOR, 200),
        (Role.QUALITY_ASSURANCE, 200),
        (Role.HMIP_COORDINATOR, 403),
        (Role.OFSTED_INSPECTOR, 403),
    ]:
        client.force_login(make_user(role))
        response = client.get("/audit/")
        assert response.status_code == status, role
        if status == 403:
            assert "You cannot see this page" in response.text


@pytest.mark.django_db
def test_navigation_shows_only_what_the_role_may_use(client, make_user, establishment) -> None:
    client.force_login(make_user(Role.ESTABLISHMENT_USER, establishment=establishment))
    page = client.get("/dashboard/").text
    assert "Audit trail" not in page
    assert "Administration" not in page
    client.force_login(make_user(Role.SYSTEM_ADMINISTRATOR))
    page = client.get("/dashboard/").text
    assert "Administration" in page
    # The audit trail is grouped under the Administration section page.
    section = client.get("/administration/").text
    assert 'href="/audit/"' in section
    assert "Letter templates" in section
    client.force_login(make_user(Role.HMIP_INSPECTOR))
    assert client.get("/administration/").status_code == 403


@pytest.mark.django_db
def test_establishment_users_see_only_their_own_establishment(make_user, establishment) -> None:
    other = Establishment.objects.create(code="WD", name="HMP Wakefield", kind="prison")
    governor = make_user(Role.ESTABLISHMENT_USER, establishment=establishment)
    coordinator = make_user(Role.HMIP_COORDINATOR)
    assert list(Establishment.objects.visible_to(governor)) == [establishment]
    assert set(Establishment.objects.visible_to(coordinator)) == {establishment, other}
    assert not Establishment.objects.visible_to(User()).exists()  # an unsaved, anonymous user


@pytest.mark.django_db
def test_inspector_records_are_for_staff_only(make_user, establishment) -> None:
    Inspector.objects.create(
        name="A", email="a@x.invalid", organisation="ofsted", grade="ofsted_hmi"
    )
    governor = make_user(Role.ESTABLISHMENT_USER, establishment=establishment)
    assert not Inspector.objects.visible_to(governor).exists()
    assert Inspector.objects.visible_to(make_user(Role.OFSTED_SCHEDULER)).count() == 1


@pytest.mark.django_db
def test_only_administrators_see_other_accounts(make_user) -> None:
    admin = make_user(Role.SYSTEM_ADMINISTRATOR)
    inspector = make_user(Role.HMIP_INSPECTOR)
    assert list(User.objects.visible_to(inspector)) == [inspector]
    assert set(User.objects.visible_to(admin)) == {admin, inspector}


@pytest.mark.django_db
def test_the_longest_matching_entry_is_current(client, make_user, establishment) -> None:
    client.force_login(make_user(Role.HMIP_COORDINATOR))
    page = client.get("/establishments/providers/").text
    # Providers are grouped under Directory, which is current on their pages.
    assert '<strong class="govuk-service-navigation__active-fallback">Directory</strong>' in page
    assert 'active-fallback">Programme' not in page
    page = client.get("/programme/deadlines/").text
    assert '<strong class="govuk-service-navigation__active-fallback">Deadlines</strong>' in page


@pytest.mark.django_db
def test_an_establishment_user_is_led_to_their_own_establishment(
    client, make_user, establishment
) -> None:
    client.force_login(make_user(Role.ESTABLISHMENT_USER, establishment=establishment))
    page = client.get("/dashboard/").text
    assert f'href="/establishments/{establishment.code}/"' in page
    assert client.get(f"/establishments/{establishment.code}/").status_code == 200
