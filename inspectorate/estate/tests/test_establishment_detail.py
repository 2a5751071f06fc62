"""An establishment's page: its details, its providers' contracts, its inspection history."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from inspectorate.accounts.roles import Role
from inspectorate.estate import selectors
from inspectorate.estate.selectors import TimelineEvent, register_timeline_source
from inspectorate.estate.tests.helpers import make_contract, make_establishment


def _url(code: str) -> str:
    return reverse("estate:establishment-detail", kwargs={"code": code})


@pytest.fixture
def leeds(db):
    return make_establishment(
        "LE",
        "HMP Leeds",
        function="Category B local prison for men",
        region="yorkshire",
        security_category="b",
        max_inspectors_on_site=16,
    )


def test_every_attribute_is_in_a_summary_list(client, make_user, leeds) -> None:
    client.force_login(make_user(Role.OFSTED_INSPECTOR))
    response = client.get(_url("LE"))
    assert response.status_code == 200
    page = response.text
    assert '<dl class="govuk-summary-list">' in page
    for text in [
        "HMP Leeds",
        "Category B local prison for men",
        "Yorkshire and the Humber",
        "Category B",
        "16 inspectors at once",
        "Public sector",
        "England",
    ]:
        assert text in page, text
    assert "Change the details" not in page  # inspectors do not edit establishments


@pytest.mark.rule("PG-10")
def test_the_page_names_the_education_inspectorate(client, make_user, db) -> None:
    make_establishment("CF", "HMP/YOI Cardiff", nation="wales", region="wales")
    client.force_login(make_user(Role.HMIP_COORDINATOR))
    page = client.get(_url("CF")).text
    assert "Education inspectorate" in page
    assert "Estyn" in page


def test_current_and_past_contracts_are_shown_apart(client, make_user, leeds) -> None:
    today = timezone.localdate()
    make_contract(
        leeds,
        "Novus",
        date(2019, 4, 1),
        contract_name="Prison Education Framework",
        ends_on=today - timedelta(days=1),
    )
    make_contract(
        leeds, "Novus", today - timedelta(days=30), contract_name="Prison Education Service"
    )
    make_contract(leeds, "PeoplePlus", today + timedelta(days=30), service="skills_work")
    client.force_login(make_user(Role.HMIP_COORDINATOR))
    response = client.get(_url("LE"))
    groups = response.context["contracts"]
    assert [c.contract_name for c in groups.current] == ["Prison Education Service"]
    assert [c.contract_name for c in groups.past] == ["Prison Education Framework"]
    assert [c.provider.name for c in groups.future] == ["PeoplePlus"]
    page = response.text
    assert "Current contracts" in page
    assert "Past contracts" in page
    assert "Contracts starting later" in page
    assert "1 Apr 2019" in page
    assert "Add a provider contract" in page  # a coordinator may


def test_the_page_makes_the_same_queries_whatever_the_contracts(
    client, make_user, leeds, django_assert_max_num_queries
) -> None:
    client.force_login(make_user(Role.HMIP_COORDINATOR))
    for number in range(3):
        make_contract(leeds, f"Provider {number}")
    with django_assert_max_num_queries(13) as captured:
        client.get(_url("LE"))
    few = len(captured)
    for number in range(3, 20):
        make_contract(leeds, f"Provider {number}")
    with django_assert_max_num_queries(few):
        client.get(_url("LE"))


def test_the_inspection_history_is_empty_for_now(client, make_user, leeds) -> None:
    client.force_login(make_user(Role.HMIP_COORDINATOR))
    response = client.get(_url("LE"))
    assert "Inspection history" in response.text
    assert "No inspections recorded yet" in response.text


@pytest.fixture
def a_timeline_source() -> Iterator[None]:
    def source(establishment, user):
        yield TimelineEvent(date(2024, 3, 4), "Full inspection", "Unannounced", tag="Published")
        yield TimelineEvent(date(2025, 6, 2), "Independent review of progress", url="/x/")

    register_timeline_source(source)
    yield
    selectors.TIMELINE_SOURCES.remove(source)


def test_a_later_issue_plugs_events_into_the_timeline(
    client, make_user, leeds, a_timeline_source
) -> None:
    client.force_login(make_user(Role.HMIP_COORDINATOR))
    response = client.get(_url("LE"))
    assert [event.title for event in response.context["timeline"]] == [
        "Independent review of progress",
        "Full inspection",
    ]
    assert "No inspections recorded yet" not in response.text
    assert '<time datetime="2024-03-04">4 March 2024</time>' in response.text


def test_an_establishment_user_sees_their_own_page_only(client, make_user, leeds) -> None:
    make_establishment("WD", "HMP Wakefield")
    client.force_login(make_user(Role.ESTABLISHMENT_USER, establishment=leeds))
    own = client.get(_url("LE"))
    assert own.status_code == 200
    assert "HMP Leeds" in own.text
    assert "Change the details" not in own.text
    assert "Add a provider contract" not in own.text
    other = client.get(_url("WD"))
    assert other.status_code == 403
    assert "HMP Wakefield" not in other.text


def test_an_unknown_code_is_not_found(client, make_user, db) -> None:
    client.force_login(make_user(Role.HMIP_COORDINATOR))
    assert client.get(_url("ZZ")).status_code == 404
