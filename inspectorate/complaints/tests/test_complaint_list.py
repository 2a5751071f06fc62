"""The list of concerns and complaints: filtered by establishment, stage, status and date,
paged, bad filter values reported by field (never a 500), and only what the reader may see."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from inspectorate.accounts.roles import Role
from inspectorate.complaints.models import Complaint
from inspectorate.complaints.tests.test_complaints import formal, raise_concern
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.lib import listing

pytestmark = pytest.mark.django_db

URL = reverse("complaints:list")


@pytest.fixture(autouse=True)
def _today():
    yield from h.frozen_today()


@pytest.fixture
def leeds_event():
    return h.full_inspection()


@pytest.fixture
def belmarsh_event():
    return h.full_inspection(h.make_establishment("BL", "HMP Belmarsh"))


@pytest.fixture
def complaints(leeds_event, belmarsh_event):
    leeds = raise_concern(leeds_event, h.establishment_user(leeds_event))
    Complaint.objects.filter(pk=leeds.pk).update(raised_on=date(2026, 1, 5))
    belmarsh_user = h.establishment_user(belmarsh_event)
    belmarsh = formal(raise_concern(belmarsh_event, belmarsh_user), belmarsh_user)
    return {"leeds": leeds, "belmarsh": belmarsh}


def detail(complaint) -> str:
    return reverse("complaints:detail", kwargs={"pk": complaint.pk})


@pytest.mark.rule("CP-1")
def test_the_coordinator_filters_by_establishment_stage_and_date(client, complaints) -> None:
    client.force_login(h.user(Role.HMIP_COORDINATOR))
    everything = client.get(URL)
    assert detail(complaints["leeds"]) in everything.text
    assert detail(complaints["belmarsh"]) in everything.text
    assert "2 concerns and complaints." in everything.text

    by_name = client.get(URL, {"establishment": "belm"})
    assert detail(complaints["belmarsh"]) in by_name.text
    assert detail(complaints["leeds"]) not in by_name.text
    assert "Matching the filters: 1 concern or complaint." in by_name.text

    by_code = client.get(URL, {"establishment": "le"})  # a code matches whole, any case
    assert detail(complaints["leeds"]) in by_code.text
    assert detail(complaints["belmarsh"]) not in by_code.text

    by_stage = client.get(URL, {"stage": "formal"})
    assert detail(complaints["belmarsh"]) in by_stage.text
    assert detail(complaints["leeds"]) not in by_stage.text

    before = client.get(URL, {"raised_to": "31/1/2026"})
    assert detail(complaints["leeds"]) in before.text
    assert detail(complaints["belmarsh"]) not in before.text
    after = client.get(URL, {"raised_from": "2026-02-01"})
    assert detail(complaints["belmarsh"]) in after.text
    assert detail(complaints["leeds"]) not in after.text

    none = client.get(URL, {"status": "resolved"})
    assert "No concern or complaint you may see matches the filters." in none.text
    assert "Clear the filters" in none.text


@pytest.mark.rule("CP-1")
def test_an_establishment_filters_only_its_own(client, complaints, leeds_event) -> None:
    client.force_login(h.establishment_user(leeds_event))
    page = client.get(URL, {"establishment": "belmarsh", "stage": "formal"})
    assert detail(complaints["belmarsh"]) not in page.text
    assert "No concern or complaint you may see matches the filters." in page.text
    assert 'name="establishment"' not in page.text  # its own records only: nothing to choose
    page = client.get(URL)
    assert detail(complaints["leeds"]) in page.text
    assert detail(complaints["belmarsh"]) not in page.text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"stage": "secret"}, "Choose the stage from the list: “secret” is not one of them"),
        ({"status": "open\x00"}, "Choose the status from the list"),
        ({"raised_from": "31/2/2026"}, "Raised from must be a real date, like 31/3/2026"),
        ({"raised_to": "{{ 7*7 }}"}, "Raised until must be a real date"),
        (
            {"establishment": "x" * 101},
            "The establishment name or code must be 100 characters or fewer",
        ),
        (
            {"establishment": "Lee\x00ds"},
            "The establishment name or code must not contain a null character",
        ),
    ],
)
def test_a_bad_filter_value_is_reported_on_its_field(client, complaints, query, message) -> None:
    client.force_login(h.user(Role.HMIP_COORDINATOR))
    page = client.get(URL, query)
    assert page.status_code == 200
    assert message in page.text
    assert "<title>Error: " in page.text
    assert "govuk-error-summary" in page.text
    # The bad value is left out: the list still shows every complaint.
    assert detail(complaints["leeds"]) in page.text
    assert detail(complaints["belmarsh"]) in page.text


def test_the_list_is_paged_and_the_pages_keep_the_filters(client, complaints, monkeypatch) -> None:
    monkeypatch.setattr(listing, "PER_PAGE", 1)
    client.force_login(h.user(Role.HMIP_COORDINATOR))
    first = client.get(URL, {"status": "open"})
    assert "page 1 of 2" in first.text
    assert 'href="?status=open&amp;page=2"' in first.text
    second = client.get(URL, {"status": "open", "page": "2"})
    assert "page 2 of 2" in second.text
    shown = [c for c in complaints.values() if detail(c) in second.text]
    assert len(shown) == 1
    assert detail(shown[0]) not in first.text
    # A page that is not one is the first; one past the end is the last.
    assert "page 1 of 2" in client.get(URL, {"page": "abc"}).text
    assert "page 2 of 2" in client.get(URL, {"page": "99"}).text
