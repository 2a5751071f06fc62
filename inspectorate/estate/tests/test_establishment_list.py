"""The establishment list: search, filters, pagination, fixed queries, staff only."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspectorate.accounts.roles import Role
from inspectorate.estate.models import Establishment
from inspectorate.estate.selectors import EstablishmentFilters, establishment_search
from inspectorate.estate.tests.helpers import make_establishment

URL = reverse("estate:establishment-list")


@pytest.fixture
def estate(db):
    make_establishment("LE", "HMP Leeds", region="yorkshire")
    make_establishment("WD", "HMP Wakefield", region="yorkshire", security_category="a")
    make_establishment("CF", "HMP/YOI Cardiff", nation="wales", region="wales")
    make_establishment("OW", "HMP Oakwood", operator="G4S Care and Justice Services")
    make_establishment("DN", "HMP/YOI Doncaster", operator="Serco")
    make_establishment("WY", "HMYOI Wetherby", kind="yoi")
    make_establishment("HY", "HMP Holloway", status="closed", closed_on="2016-07-01")
    make_establishment("PS-YH", "Probation Service Yorkshire", kind="probation_area")


def _names(response) -> list[str]:
    return [e.name for e in response.context["page"].object_list]


@pytest.fixture
def coordinator_client(client, make_user):
    client.force_login(make_user(Role.HMIP_COORDINATOR))
    return client


def test_staff_see_every_establishment_with_no_judgement_yet(coordinator_client, estate) -> None:
    response = coordinator_client.get(URL)
    assert response.status_code == 200
    assert len(_names(response)) == 8
    assert "8 establishments" in response.text
    assert response.text.count("Not yet inspected") >= 8  # the column, beside the filter option
    assert 'href="/establishments/LE/"' in response.text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "leeds"}, ["HMP Leeds"]),
        ({"q": "WD"}, ["HMP Wakefield"]),
        ({"q": "wd"}, ["HMP Wakefield"]),  # codes match whatever the case
        ({"kind": "yoi"}, ["HMYOI Wetherby"]),
        ({"kind": "probation_area"}, ["Probation Service Yorkshire"]),
        ({"nation": "wales"}, ["HMP/YOI Cardiff"]),
        ({"region": "yorkshire"}, ["HMP Leeds", "HMP Wakefield"]),
        ({"status": "closed"}, ["HMP Holloway"]),
        ({"operator": "Serco"}, ["HMP/YOI Doncaster"]),
        (
            {"operator": "public", "kind": "prison", "nation": "england", "status": "open"},
            ["HMP Leeds", "HMP Wakefield"],
        ),
        ({"q": "HMP", "region": "wales"}, ["HMP/YOI Cardiff"]),
        ({"last_judgement": "good"}, []),  # no judgements yet
    ],
)
def test_search_and_filters_narrow_the_list(coordinator_client, estate, query, expected) -> None:
    response = coordinator_client.get(URL, query)
    assert response.status_code == 200
    assert _names(response) == expected


def test_not_yet_inspected_filter_keeps_everything_until_judgements_exist(
    coordinator_client, estate
) -> None:
    response = coordinator_client.get(URL, {"last_judgement": "none"})
    assert len(_names(response)) == 8


def test_filters_are_a_get_form_with_the_choices_selected(coordinator_client, estate) -> None:
    page = coordinator_client.get(URL, {"region": "yorkshire", "operator": "Serco"}).text
    assert '<form method="get"' in page
    assert '<option value="yorkshire" selected>' in page
    assert '<option value="Serco" selected>' in page
    assert '<option value="G4S Care and Justice Services">' in page
    assert '<option value="public">Public sector</option>' in page
    assert "Clear filters" in page


def test_an_unknown_filter_value_is_ignored_not_an_error(coordinator_client, estate) -> None:
    response = coordinator_client.get(URL, {"kind": "castle"})
    assert response.status_code == 200
    assert len(_names(response)) == 8


def test_the_list_is_paginated_keeping_the_filters(coordinator_client, db) -> None:
    for number in range(30):
        make_establishment(f"P{number:02}", f"HMP Test {number:02}", region="london")
    response = coordinator_client.get(URL, {"region": "london"})
    assert len(_names(response)) == 25
    assert "?region=london&amp;page=2" in response.text
    second = coordinator_client.get(URL, {"region": "london", "page": "2"})
    assert _names(second) == [f"HMP Test {n}" for n in range(25, 30)]
    assert coordinator_client.get(URL, {"page": "99"}).status_code == 200  # the last page


def _queries_for_list(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL, {"status": "open"}).status_code == 200
    return len(captured)


def test_the_list_makes_a_fixed_number_of_queries(
    coordinator_client, db, django_assert_num_queries
) -> None:
    for number in range(3):
        make_establishment(f"A{number}", operator=f"Company {number}")
    with_three = _queries_for_list(coordinator_client)
    assert with_three <= 9
    for number in range(3, 30):
        make_establishment(f"A{number}", operator=f"Company {number}")
    with django_assert_num_queries(with_three):
        response = coordinator_client.get(URL, {"status": "open"})
    assert len(_names(response)) == 25


@pytest.mark.parametrize(
    "role", [Role.HMIP_INSPECTOR, Role.OFSTED_SCHEDULER, Role.QUALITY_ASSURANCE]
)
def test_every_staff_role_may_see_the_list(client, make_user, estate, role) -> None:
    client.force_login(make_user(role))
    assert client.get(URL).status_code == 200


def test_establishment_users_are_refused_the_list(client, make_user, estate) -> None:
    leeds = Establishment.objects.get(code="LE")
    client.force_login(make_user(Role.ESTABLISHMENT_USER, establishment=leeds))
    response = client.get(URL)
    assert response.status_code == 403
    assert "HMP Wakefield" not in response.text
    assert client.get(reverse("estate:establishment-export")).status_code == 403


def test_a_user_without_roles_is_refused(client, make_user, estate) -> None:
    client.force_login(make_user())
    assert client.get(URL).status_code == 403


def test_the_selector_shows_an_establishment_user_only_their_own(make_user, estate) -> None:
    leeds = Establishment.objects.get(code="LE")
    governor = make_user(Role.ESTABLISHMENT_USER, establishment=leeds)
    assert list(establishment_search(governor, EstablishmentFilters())) == [leeds]
