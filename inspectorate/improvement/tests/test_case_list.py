"""The list of improvement cases: open cases by default, filtered by status, track and
establishment, paged, bad filter values reported by field; an establishment sees only its own
case however it filters (SC-4, SC-9)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from inspectorate.accounts.roles import Role
from inspectorate.frameworks.services import frameworks_load
from inspectorate.improvement.constants import CaseStatus
from inspectorate.improvement.models import ImprovementCase
from inspectorate.improvement.tests.test_improvement_services import fe_case, open_case
from inspectorate.inspections.constants import Stage
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.lib import listing

pytestmark = pytest.mark.django_db

URL = reverse("improvement:case-list")


@pytest.fixture(autouse=True)
def _today():
    yield from h.frozen_today()


@pytest.fixture(autouse=True)
def _frameworks(db):
    frameworks_load(actor=None)


@pytest.fixture
def cases():
    full = h.full_inspection(stage=Stage.FIELDWORK)
    return {"prison": open_case(full, h.ofsted_lead(full)), "college": fe_case()}


def detail(case) -> str:
    return reverse("improvement:case-detail", kwargs={"pk": case.pk})


def listed(page) -> str:
    """The cases table, without the re-inspection windows below it (not paged)."""
    return page.text.split("Re-inspection windows")[0]


@pytest.mark.rule("SC-9")
def test_cases_are_filtered_by_status_track_and_establishment(client, cases) -> None:
    client.force_login(h.user(Role.HMIP_COORDINATOR))
    default = client.get(URL)
    assert detail(cases["prison"]) in listed(default)
    assert detail(cases["college"]) in listed(default)
    assert "2 cases." in listed(default)
    assert "Clear the filters" not in listed(default)  # open cases are the default

    fe = client.get(URL, {"track": "fe"})
    assert detail(cases["college"]) in listed(fe)
    assert detail(cases["prison"]) not in listed(fe)

    named = client.get(URL, {"establishment": "fenland"})
    assert detail(cases["college"]) in listed(named)
    assert detail(cases["prison"]) not in listed(named)

    ImprovementCase.objects.filter(pk=cases["prison"].pk).update(
        status=CaseStatus.CLOSED, closed_on=date(2026, 11, 20)
    )
    assert detail(cases["prison"]) not in listed(client.get(URL))
    closed = client.get(URL, {"status": "closed"})
    assert detail(cases["prison"]) in listed(closed)
    assert detail(cases["college"]) not in listed(closed)
    both = client.get(URL, {"status": ""})
    assert detail(cases["prison"]) in listed(both)
    assert detail(cases["college"]) in listed(both)


@pytest.mark.rule("SC-4")
def test_an_establishment_sees_only_its_own_case_however_it_filters(client, cases) -> None:
    client.force_login(h.establishment_user(cases["prison"].event))
    for query in ({}, {"track": "fe"}, {"establishment": "Fenland"}, {"status": ""}):
        page = client.get(URL, query)
        assert detail(cases["college"]) not in listed(page), query
    assert detail(cases["prison"]) in listed(client.get(URL))


def test_a_bad_value_is_reported_and_the_list_is_paged(client, cases, monkeypatch) -> None:
    client.force_login(h.user(Role.HMIP_COORDINATOR))
    page = client.get(URL, {"track": "{% debug %}", "status": "open"})
    assert page.status_code == 200
    assert "Choose the track from the list: “{% debug %}” is not one of them" in listed(page)
    assert detail(cases["college"]) in listed(page)
    monkeypatch.setattr(listing, "PER_PAGE", 1)
    first = client.get(URL)
    assert "2 cases: page 1 of 2." in listed(first)
    second = client.get(URL, {"page": "2"})
    shown = [case for case in cases.values() if detail(case) in listed(second)]
    assert len(shown) == 1
    assert detail(shown[0]) not in listed(first)
