"""Every case form page is refused on GET exactly when its POST would be: nobody opens a
form whose answer they may not send (finding 6: an establishment user opened the form
naming the improvement HMI, whose POST is refused)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from inspectorate.accounts.roles import Role
from inspectorate.frameworks.services import frameworks_load
from inspectorate.improvement import services
from inspectorate.improvement.constants import LetterStatus
from inspectorate.improvement.models import ImprovementCase, Letter, PriorityAction
from inspectorate.improvement.tests.test_improvement_services import open_case, visit, with_hmi
from inspectorate.inspections.constants import Stage
from inspectorate.inspections.tests import findings_helpers as h

pytestmark = pytest.mark.django_db
REFUSED = (403, 404)


@pytest.fixture(autouse=True)
def _today():
    yield from h.frozen_today()


@pytest.fixture(autouse=True)
def _frameworks(db):
    frameworks_load(actor=None)


@pytest.fixture
def case() -> ImprovementCase:
    """An open case whose HMI has sent the letter of one visit (insufficient progress needs
    one) and not yet written the letter of another."""
    full = h.full_inspection(stage=Stage.FIELDWORK)
    hmi = h.user(Role.IMPROVEMENT_HMI)
    case = with_hmi(open_case(full, h.ofsted_lead(full)), hmi)
    letter = services.letter_draft(actor=hmi, contact=visit(case, hmi))
    services.letter_send(actor=hmi, letter=letter, version=letter.version)
    visit(case, hmi)
    services.letter_draft(actor=hmi, contact=visit(case, hmi))  # to preview and send
    return ImprovementCase.objects.get(pk=case.pk)


def _forms(case: ImprovementCase) -> dict[str, tuple[str, Callable[[], dict[str, Any]]]]:
    """Each form page of a case, with a valid answer to send."""
    other_hmi = h.user(Role.IMPROVEMENT_HMI)

    def version() -> dict[str, Any]:
        return {"version": ImprovementCase.objects.get(pk=case.pk).version}

    def url(name: str) -> str:
        return reverse(f"improvement:{name}", kwargs={"pk": case.pk})

    unwritten = case.contacts.filter(letter__isnull=True).get()
    letter = reverse("improvement:letter-edit", kwargs={"pk": case.pk, "contact_pk": unwritten.pk})
    draft = Letter.objects.get(contact__case=case, status=LetterStatus.DRAFT)
    send = reverse(
        "improvement:letter-send", kwargs={"pk": case.pk, "contact_pk": draft.contact_id}
    )
    action = PriorityAction.objects.filter(contact__case=case).first()
    assert action is not None
    done = reverse("improvement:action-done", kwargs={"pk": case.pk, "action_pk": action.pk})
    return {
        "letter": (letter, lambda: {"body": "Dear Governor, we agreed..."}),
        "send": (send, lambda: {"version": draft.version}),
        "action-done": (
            done,
            lambda: {
                "version": 1,
                "done_on_day": "20",
                "done_on_month": "11",
                "done_on_year": "2026",
            },
        ),
        "assign": (url("case-assign"), lambda: {"hmi": other_hmi.pk, "reason": "x", **version()}),
        "details": (url("case-details"), lambda: {"addressee": "The Governor", **version()}),
        "insufficient": (url("insufficient"), lambda: {"note": "No progress.", **version()}),
        "bring-forward": (url("bring-forward"), lambda: {"note": "Sooner.", **version()}),
        "contact": (
            url("contact-add"),
            lambda: {
                "kind": "visit",
                "held_on_day": "16",
                "held_on_month": "11",
                "held_on_year": "2026",
                "action_1": "Publish an attendance target",
                "owner_1": "Head of learning and skills",
                "due_on_1_day": "31",
                "due_on_1_month": "1",
                "due_on_1_year": "2027",
            },
        ),
    }


def _people(case: ImprovementCase) -> dict[str, Any]:
    people = {
        role.value: h.user(
            role, establishment=case.establishment if role == Role.ESTABLISHMENT_USER else None
        )
        for role in Role
    }
    return {**people, "the case's HMI": case.improvement_hmi}


def test_each_form_page_is_refused_on_get_exactly_when_its_post_is(case) -> None:
    forms = _forms(case)
    mismatches, accepted = [], set()
    for who, user in _people(case).items():
        client = Client()
        client.force_login(user)
        for name, (url, answer) in forms.items():
            opened = client.get(url).status_code
            with transaction.atomic():  # each POST is undone: the next starts from the same case
                sent = client.post(url, answer()).status_code
                transaction.set_rollback(True)
            if (opened in REFUSED) != (sent in REFUSED):
                mismatches.append((who, name, opened, sent))
            if sent == 302:
                accepted.add(name)
    assert mismatches == []
    assert accepted == set(forms)  # each answer is valid: someone's POST goes through


def test_an_establishment_user_cannot_open_the_form_naming_the_hmi(client, case) -> None:
    client.force_login(h.establishment_user(case.event))
    assert client.get(reverse("improvement:case-assign", kwargs={"pk": case.pk})).status_code == 403
