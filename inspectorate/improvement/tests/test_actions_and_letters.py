"""Issue 22: any number of agreed actions (SC-3), tracked to done and confirmed at each
follow-up visit (SC-6); the letter previewed before it is sent, greeting the governor by
name or office and naming the kind of visit (SC-4)."""

from __future__ import annotations

import importlib
from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from inspectorate.accounts.roles import Role
from inspectorate.frameworks.services import frameworks_load
from inspectorate.improvement import services
from inspectorate.improvement.constants import ActionStatus, ContactKind, LetterStatus
from inspectorate.improvement.models import Letter, PriorityAction
from inspectorate.improvement.tests.test_improvement_services import (
    fe_case,
    open_case,
    visit,
    with_hmi,
)
from inspectorate.inspections.constants import Stage
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.lib.versions import StaleVersion
from inspectorate.reports.constants import LetterKind
from inspectorate.reports.letters import letter_template
from inspectorate.reports.models import LetterTemplate

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


def _url(name: str, case, **kwargs) -> str:
    return reverse(f"improvement:{name}", kwargs={"pk": case.pk, **kwargs})


def _action_post(row: int) -> dict[str, str]:
    return {
        f"action_{row}": f"Action number {row}",
        f"owner_{row}": "Head of learning and skills",
        f"due_on_{row}_day": "31",
        f"due_on_{row}_month": "1",
        f"due_on_{row}_year": "2027",
    }


VISIT_POST = {
    "kind": "visit",
    "held_on_day": "16",
    "held_on_month": "11",
    "held_on_year": "2026",
    "support": ["seminar"],
}


# SC-3: any number of agreed actions --------------------------------------------------------


@pytest.mark.rule("SC-3")
def test_a_visit_holds_any_number_of_agreed_actions(client, case) -> None:
    client.force_login(case.improvement_hmi)
    url = _url("contact-add", case)
    filled = {**VISIT_POST, **_action_post(1), **_action_post(2), **_action_post(3)}
    more = client.post(url, {**filled, "action_rows": "3", "add_action": "1"})
    assert more.status_code == 200  # the form again, one row more, nothing saved or checked
    assert 'name="action_4"' in more.text
    assert 'name="action_rows" value="4"' in more.text
    assert 'value="Action number 3"' in more.text
    assert "There is a problem" not in more.text
    assert not case.contacts.exists()
    rows = {"action_rows": "5", **filled, **_action_post(4), **_action_post(5)}
    response = client.post(url, rows)
    assert response.status_code == 302
    actions = PriorityAction.objects.filter(contact__case=case)
    assert sorted(a.action for a in actions) == [f"Action number {n}" for n in range(1, 6)]
    assert {a.due_on for a in actions} == {date(2027, 1, 31)}  # each with its timescale


# SC-6: tracked to done -------------------------------------------------------------------


@pytest.mark.rule("SC-6")
def test_an_agreed_action_is_tracked_to_done_when_and_by_whom(client, case) -> None:
    hmi = case.improvement_hmi
    contact = visit(case, hmi)  # held 16 November 2026
    action = contact.actions.get()
    with pytest.raises(ValidationError) as refused:
        services.action_mark_done(
            actor=hmi, action=action, done_on=date(2026, 11, 30), version=action.version
        )
    assert "done_on" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.action_mark_done(
            actor=hmi, action=action, done_on=date(2026, 11, 2), version=action.version
        )
    assert "on or after the improvement visit" in refused.value.message_dict["done_on"][0]
    action.refresh_from_db()
    assert (action.status, action.version) == (ActionStatus.OPEN, 1)

    client.force_login(hmi)
    page = client.get(_url("case-detail", case)).text
    done_url = _url("action-done", case, action_pk=action.pk)
    assert f'href="{done_url}"' in page
    empty = {"done_on_day": "", "done_on_month": "", "done_on_year": ""}
    blank = client.post(done_url, {"version": "1", **empty})
    assert blank.status_code == 400
    assert "Enter the date the action was done" in blank.text
    post = {"version": "1", "done_on_day": "20", "done_on_month": "11", "done_on_year": "2026"}
    assert client.post(done_url, post).status_code == 302
    action.refresh_from_db()
    assert (action.status, action.done_on, action.done_by, action.version) == (
        ActionStatus.DONE,
        date(2026, 11, 20),
        hmi,
        2,
    )
    stale = client.post(done_url, post)  # version 1 again: someone saved since
    assert stale.status_code == 409
    page = client.get(_url("case-detail", case)).text
    assert "Done</strong> on 20 Nov 2026" in page
    with pytest.raises(StaleVersion):
        services.action_reopen(actor=hmi, action=action, version=1)
    services.action_reopen(actor=hmi, action=action, version=2)
    action.refresh_from_db()
    assert (action.status, action.done_on, action.done_by) == (ActionStatus.OPEN, None, None)


@pytest.mark.rule("SC-6")
def test_only_the_cases_hmi_marks_an_action_done(client, case) -> None:
    action = visit(case, case.improvement_hmi).actions.get()
    client.force_login(h.user(Role.QUALITY_ASSURANCE))
    post = {"version": "1", "done_on_day": "20", "done_on_month": "11", "done_on_year": "2026"}
    assert client.post(_url("action-done", case, action_pk=action.pk), post).status_code == 403
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


@pytest.mark.rule("SC-6")
def test_a_follow_up_letter_confirms_where_each_earlier_action_stands(case) -> None:
    hmi = case.improvement_hmi
    first = visit(
        case,
        hmi,
        held_on=date(2026, 9, 1),
        actions=[
            services.ActionInput(
                "Publish attendance targets", "Head of learning", date(2026, 10, 1)
            ),
            services.ActionInput("Assess reading on arrival", "Reading lead", date(2026, 12, 1)),
        ],
    )
    done = first.actions.get(action="Publish attendance targets")
    services.action_mark_done(actor=hmi, action=done, done_on=date(2026, 9, 28), version=1)
    follow_up = visit(case, hmi, kind=ContactKind.FOLLOW_UP)
    body = services.letter_draft(actor=hmi, contact=follow_up).body
    assert "Thank you for the follow-up visit on 16 November 2026." in body
    assert "improvement visit" not in body
    assert "Actions agreed at earlier visits:" in body
    assert (
        "- Publish attendance targets (owner: Head of learning; by 1 October 2026): "
        "done on 28 September 2026" in body
    )
    assert "- Assess reading on arrival (owner: Reading lead; by 1 December 2026): open" in body
    first_body = services.letter_draft(actor=hmi, contact=first).body
    assert "Thank you for the improvement visit on 1 September 2026." in first_body
    assert "earlier visits" not in first_body


# SC-4: the greeting, and the preview before sending ---------------------------------------


@pytest.mark.rule("SC-4")
def test_the_letter_greets_the_governor_by_name_or_as_governor(case) -> None:
    hmi = case.improvement_hmi
    case = services.case_details_update(
        actor=hmi, case=case, version=case.version, addressee="The Governor, HMP/YOI Pentonville"
    )
    contact = visit(case, hmi)
    letter = services.letter_draft(actor=hmi, contact=contact)
    assert letter.body.startswith("Dear Governor,\n")
    assert "Dear The Governor" not in letter.body
    assert letter.addressed_to == "The Governor, HMP/YOI Pentonville"
    case = services.case_details_update(
        actor=hmi, case=case, version=case.version, addressee_name="Ian Blakeman"
    )
    contact.refresh_from_db()
    assert services.letter_text(contact).startswith("Dear Ian Blakeman,\n")


@pytest.mark.rule("SC-4")
def test_an_fe_letter_greets_the_principal(client) -> None:
    hmi = h.user(Role.IMPROVEMENT_HMI)
    case = with_hmi(fe_case(published_on=date(2026, 10, 1)), hmi)
    contact = visit(case, hmi, held_on=date(2026, 10, 29), window_reason="x")
    assert services.letter_text(contact).startswith("Dear Principal,\n")


@pytest.mark.rule("SC-4")
def test_the_letter_is_previewed_exactly_then_sent(client, case) -> None:
    hmi = case.improvement_hmi
    contact = visit(case, hmi)
    letter = services.letter_draft(actor=hmi, contact=contact, body="Dear Governor,\n\nWe agreed.")
    client.force_login(hmi)
    send_url = _url("letter-send", case, contact_pk=contact.pk)
    page = client.get(_url("case-detail", case)).text
    assert f'<form method="post" action="{send_url}"' not in page  # no one-click send
    assert f'href="{send_url}"' in page
    preview = client.get(send_url)
    assert preview.status_code == 200
    assert "Check the letter before sending" in preview.text
    assert "Dear Governor,<br><br>We agreed." in preview.text
    assert letter.addressed_to in preview.text
    assert '<form method="post"' in preview.text
    assert "Send the letter</button>" in preview.text
    assert Letter.objects.get().status == LetterStatus.DRAFT  # looking sends nothing
    response = client.post(send_url, {"version": str(letter.version)})
    assert response.status_code == 302
    assert Letter.objects.get().status == LetterStatus.SENT
    assert client.get(send_url).status_code == 302  # nothing more to send


# The stored wording --------------------------------------------------------------------------


MIGRATION = importlib.import_module(
    "inspectorate.improvement.migrations.0003_support_and_challenge_wording"
)


@pytest.mark.rule("SC-4")
def test_the_stored_first_wording_is_replaced_and_an_edited_one_corrected() -> None:
    migration = MIGRATION
    stored = letter_template(LetterKind.SUPPORT_AND_CHALLENGE)
    LetterTemplate.objects.filter(pk=stored.pk).update(
        subject=migration.OLD_SUBJECT, body=migration.OLD_BODY
    )
    migration.reword(apps, None)
    stored.refresh_from_db()
    assert (stored.subject, stored.body) == (migration.NEW_SUBJECT, migration.NEW_BODY)
    assert stored.version == 2
    fresh = letter_template(LetterKind.SUPPORT_AND_CHALLENGE)
    assert fresh.body == migration.NEW_BODY  # the default and the migration agree
    edited = "Dear {{ addressee }},\n\nAfter the improvement visit on {{ visit_date }}: ok."
    assert migration.reworded(edited) == (
        "Dear {{ salutation }},\n\nAfter the {{ visit_kind }} on {{ visit_date }}: ok."
    )
