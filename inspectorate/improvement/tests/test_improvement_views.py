"""The case pages: the improvement HMI records a visit and sends its letter; the
establishment sees its case and the letter only once sent; nothing is public (SC-4, SC-9)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from inspectorate.accounts.roles import Role
from inspectorate.frameworks.services import frameworks_load
from inspectorate.improvement import services
from inspectorate.improvement.constants import LetterStatus
from inspectorate.improvement.models import ImprovementCase, Letter
from inspectorate.improvement.tests.test_improvement_services import fe_case, open_case, with_hmi
from inspectorate.inspections.constants import Stage
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.programme.tests.test_milestone_helpers import make_programme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    yield from h.frozen_today()


@pytest.fixture(autouse=True)
def _frameworks(db):
    frameworks_load(actor=None)


@pytest.fixture
def case():
    full = h.full_inspection(stage=Stage.FIELDWORK)
    return with_hmi(open_case(full, h.ofsted_lead(full)), h.user(Role.IMPROVEMENT_HMI))


def detail(case) -> str:
    return reverse("improvement:case-detail", kwargs={"pk": case.pk})


@pytest.mark.rule("SC-3")
@pytest.mark.rule("SC-4")
def test_the_hmi_records_a_visit_and_sends_its_letter(client, case) -> None:
    hmi = case.improvement_hmi
    local = h.establishment_user(case.event)
    client.force_login(hmi)
    response = client.post(
        reverse("improvement:contact-add", kwargs={"pk": case.pk}),
        {
            "kind": "visit",
            "held_on_day": "16",
            "held_on_month": "11",
            "held_on_year": "2026",
            "support": ["seminar"],
            "action_1": "Publish an attendance target",
            "owner_1": "Head of learning and skills",
            "due_on_1_day": "31",
            "due_on_1_month": "1",
            "due_on_1_year": "2027",
        },
    )
    assert response.status_code == 302
    contact = case.contacts.get()
    page = client.get(detail(case))
    assert "Publish an attendance target" in page.text
    assert "Letter due by Monday 23 November 2026" in page.text
    letter_url = reverse(
        "improvement:letter-edit", kwargs={"pk": case.pk, "contact_pk": contact.pk}
    )
    assert client.post(letter_url, {"body": "Dear Governor, we agreed..."}).status_code == 302
    letter = Letter.objects.get()

    client.force_login(local)
    page = client.get(detail(case))
    assert page.status_code == 200
    assert "Dear Governor" not in page.text  # a draft is Ofsted's

    client.force_login(hmi)
    send = reverse("improvement:letter-send", kwargs={"pk": case.pk, "contact_pk": contact.pk})
    assert client.post(send, {"version": str(letter.version)}).status_code == 302
    assert Letter.objects.get().status == LetterStatus.SENT

    client.force_login(local)
    assert "Dear Governor, we agreed..." in client.get(detail(case)).text


@pytest.mark.rule("SC-3")
def test_a_visit_without_actions_is_refused_naming_the_field(client, case) -> None:
    client.force_login(case.improvement_hmi)
    response = client.post(
        reverse("improvement:contact-add", kwargs={"pk": case.pk}),
        {"kind": "visit", "held_on_day": "16", "held_on_month": "11", "held_on_year": "2026"},
    )
    assert response.status_code == 400
    assert "at least one priority action" in response.text
    assert not case.contacts.exists()


@pytest.mark.rule("SC-4")
def test_nothing_of_a_case_is_public(client, case) -> None:
    for url in (reverse("improvement:case-list"), detail(case)):
        response = client.get(url)
        assert response.status_code == 302
        assert "/sign-in/" in response["Location"]


@pytest.mark.rule("SC-9")
def test_who_opens_the_case_pages(client, case) -> None:
    client.force_login(h.user(Role.HMIP_COORDINATOR))
    assert client.get(detail(case)).status_code == 200
    listing = client.get(reverse("improvement:case-list"))
    assert case.establishment.name in listing.text
    page = client.get(
        reverse("estate:establishment-detail", kwargs={"code": case.establishment.code})
    )
    assert "Support and challenge" in page.text
    assert detail(case) in page.text
    client.force_login(h.user(Role.HMIP_INSPECTOR))
    assert client.get(reverse("improvement:case-list")).status_code == 403
    assert client.get(detail(case)).status_code == 404
    other = h.user(
        Role.ESTABLISHMENT_USER, establishment=h.make_establishment("BL", "HMP Belmarsh")
    )
    client.force_login(other)
    assert client.get(detail(case)).status_code == 404
    assert ImprovementCase.objects.count() == 1


def test_only_the_hmi_records_contacts(client, case) -> None:
    client.force_login(h.user(Role.IMPROVEMENT_HMI))
    response = client.post(
        reverse("improvement:contact-add", kwargs={"pk": case.pk}),
        {"kind": "telephone", "held_on_day": "16", "held_on_month": "11", "held_on_year": "2026"},
    )
    assert response.status_code == 403
    assert not case.contacts.exists()


@pytest.mark.rule("SC-7")
def test_the_programme_shows_the_re_inspection_window_as_due(client) -> None:
    case = fe_case("requires_improvement")  # window 18 September 2027 to 18 March 2028
    programme = make_programme(2027)
    client.force_login(h.user(Role.HMIP_COORDINATOR))
    page = client.get(reverse("programme:detail", kwargs={"year": programme.year}))
    assert page.status_code == 200
    assert "Re-inspections due from improvement cases" in page.text
    assert case.establishment.name in page.text


@pytest.mark.rule("SC-4")
def test_an_unsent_letter_is_on_the_hmis_deadlines_until_sent(client, case) -> None:
    hmi = case.improvement_hmi
    contact = services.contact_record(
        actor=hmi,
        case=case,
        kind="visit",
        held_on=date(2026, 11, 16),
        actions=[services.ActionInput("Publish targets", "Head of learning", date(2027, 1, 29))],
    )
    client.force_login(hmi)
    deadlines = reverse("programme:milestone-dashboard")
    page = client.get(deadlines)
    assert "Letter of the improvement visit on 16 November 2026" in page.text
    assert "Mon 23 Nov 2026" in page.text
    letter = services.letter_draft(actor=hmi, contact=contact)
    services.letter_send(actor=hmi, letter=letter, version=letter.version)
    assert "Letter of the improvement visit" not in client.get(deadlines).text
