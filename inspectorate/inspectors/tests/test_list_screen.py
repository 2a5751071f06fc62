"""The inspector list: GET filters, pagination, a fixed number of queries, staff only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from inspectorate.accounts.roles import Role
from inspectorate.inspectors.constants import (
    DbsLevel,
    Grade,
    Organisation,
    Region,
    Specialism,
)

URL = reverse("inspectors:list")


@pytest.fixture
def scheduler_client(client, make_user):
    client.force_login(make_user(Role.OFSTED_SCHEDULER))
    return client


def _names(response) -> list[str]:
    return [inspector.name for inspector, _status in response.context["rows"]]


@pytest.mark.django_db
def test_the_list_shows_inspectors_with_their_dbs_status(scheduler_client, make_inspector) -> None:
    today = timezone.localdate()
    make_inspector("Amy Valid", specialisms=[Specialism.SAFETY, Specialism.WOMEN])
    make_inspector(
        "Ben Expiring",
        dbs_checked_on=today - timedelta(days=1000),
        dbs_renewal_due_on=today + timedelta(days=30),
    )
    response = scheduler_client.get(URL)
    assert response.status_code == 200
    page = response.text
    assert "Amy Valid" in page
    assert "Safety, Women" in page
    assert "Renewal due within 90 days" in page
    assert "2 inspectors" in page
    assert reverse("inspectors:detail", args=[1]).rsplit("/", 2)[0] in page


@pytest.mark.django_db
def test_filters_narrow_the_list(scheduler_client, make_inspector) -> None:
    today = timezone.localdate()
    make_inspector(
        "Cat Ofsted",
        organisation=Organisation.OFSTED,
        grade=Grade.OFSTED_INSPECTOR,
        home_region=Region.LONDON,
        specialisms=[Specialism.EDUCATION_SKILLS_WORK, Specialism.OFFENDER_LEARNING],
    )
    make_inspector("Dan Prisons", home_region=Region.LONDON, specialisms=[Specialism.SAFETY])
    make_inspector(
        "Eve Expired",
        dbs_checked_on=today - timedelta(days=1200),
        dbs_renewal_due_on=today - timedelta(days=1),
    )
    make_inspector(
        "Fay Unchecked", dbs_level=DbsLevel.NONE, dbs_checked_on=None, dbs_renewal_due_on=None
    )
    assert _names(scheduler_client.get(URL, {"organisation": "ofsted"})) == ["Cat Ofsted"]
    assert _names(scheduler_client.get(URL, {"region": "london"})) == ["Cat Ofsted", "Dan Prisons"]
    assert _names(scheduler_client.get(URL, {"specialism": "offender_learning"})) == ["Cat Ofsted"]
    assert _names(scheduler_client.get(URL, {"grade": "ofsted_oi"})) == ["Cat Ofsted"]
    assert _names(scheduler_client.get(URL, {"dbs_status": "expired"})) == ["Eve Expired"]
    assert _names(scheduler_client.get(URL, {"dbs_status": "none"})) == ["Fay Unchecked"]
    assert _names(scheduler_client.get(URL, {"dbs_status": "valid", "region": "london"})) == [
        "Cat Ofsted",
        "Dan Prisons",
    ]


@pytest.mark.django_db
def test_an_unknown_filter_value_is_reported_and_ignored(scheduler_client, make_inspector) -> None:
    make_inspector("Gus")
    response = scheduler_client.get(URL, {"organisation": "mi5", "region": "london"})
    assert response.status_code == 200
    assert "Select organisation from the list" in response.text  # names the field (GOV.UK)
    assert "There is a problem" in response.text
    assert _names(response) == []  # the valid region filter still applies


@pytest.mark.django_db
def test_the_list_is_paginated_and_keeps_the_filters(scheduler_client, make_inspector) -> None:
    for number in range(30):
        make_inspector(f"Person {number:02d}", home_region=Region.WALES)
    first = scheduler_client.get(URL, {"region": "wales"})
    assert len(first.context["rows"]) == 25
    assert "region=wales&amp;page=2" in first.text
    second = scheduler_client.get(URL, {"region": "wales", "page": 2})
    assert _names(second) == [f"Person {n}" for n in range(25, 30)]


@pytest.mark.django_db
def test_the_list_makes_the_same_number_of_queries_for_3_or_30_rows(
    scheduler_client, make_inspector, django_assert_num_queries
) -> None:
    for _number in range(3):
        make_inspector(specialisms=[Specialism.SAFETY])
    scheduler_client.get(URL)  # warm the session
    with CaptureQueriesContext(connection) as few:
        scheduler_client.get(URL)
    assert len(few.captured_queries) <= 8  # session, user, unread, count, page (+ session save)
    for _number in range(27):
        make_inspector(specialisms=[Specialism.SAFETY])
    with django_assert_num_queries(len(few.captured_queries)):
        response = scheduler_client.get(URL)
    assert len(response.context["rows"]) == 25


@pytest.mark.django_db
def test_establishment_users_get_403_and_see_no_inspector(
    client, make_user, establishment, make_inspector
) -> None:
    make_inspector("Hidden Person")
    client.force_login(make_user(Role.ESTABLISHMENT_USER, establishment=establishment))
    response = client.get(URL)
    assert response.status_code == 403
    assert "Hidden Person" not in response.text
