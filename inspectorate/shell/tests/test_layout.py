"""The page frame: whatever sits between the header and <main> (a back link) is inside a
landmark (axe: region), and the search box in the header is there for staff, whom search
serves, and not for an establishment's user or someone signed out."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from inspectorate.accounts.roles import Role
from inspectorate.inspections.tests import findings_helpers as h

pytestmark = pytest.mark.django_db

HEADER_SEARCH = 'role="search" aria-label="Search the service"'


def before_main(html: str) -> str:
    """What is between the header and <main>."""
    between = html.split("</header>")[1].split("<main")[0].strip()
    return between.removeprefix('<div class="govuk-width-container">').strip()


def test_a_back_link_is_inside_a_navigation_landmark(client) -> None:
    client.force_login(h.user(Role.HMIP_INSPECTOR))
    page = client.get(reverse("accounts:email-preference"))
    between = before_main(page.text)
    assert re.search(
        r'<nav class="app-before-content" aria-label="Back"><a href="[^"]+" '
        r'class="govuk-back-link">Back to your account</a></nav>',
        between,
    )


def test_a_page_without_a_back_link_has_no_empty_landmark(client) -> None:
    client.force_login(h.user(Role.HMIP_INSPECTOR))
    page = client.get(reverse("shell:dashboard"))
    assert before_main(page.text) == ""


def test_breadcrumbs_are_their_own_landmark_not_nested(client) -> None:
    client.force_login(h.user(Role.HMIP_COORDINATOR))
    leeds = h.leeds()
    page = client.get(reverse("estate:establishment-detail", kwargs={"code": leeds.code}))
    between = before_main(page.text)
    assert between.startswith('<nav class="govuk-breadcrumbs" aria-label="Breadcrumb">')
    assert "app-before-content" not in between


@pytest.mark.parametrize(
    "role", [Role.HMIP_COORDINATOR, Role.HMIP_INSPECTOR, Role.QUALITY_ASSURANCE]
)
def test_staff_have_search_in_the_header(client, role) -> None:
    client.force_login(h.user(role))
    page = client.get(reverse("shell:dashboard"))
    header = page.text.split("</header>")[0]
    assert HEADER_SEARCH in header
    assert f'action="{reverse("shell:search")}"' in header
    assert 'name="q" type="search"' in header


def test_an_establishment_user_and_the_public_have_no_header_search(client) -> None:
    event = h.full_inspection()
    client.force_login(h.establishment_user(event))
    assert HEADER_SEARCH not in client.get(reverse("shell:dashboard")).text
    client.logout()
    assert HEADER_SEARCH not in client.get(reverse("reports:public-list")).text
