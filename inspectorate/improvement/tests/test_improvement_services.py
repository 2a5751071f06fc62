"""Support and challenge: cases opened by judgements (SC-1), the improvement HMI (TM-4),
contacts and visits with actions and support (SC-2, SC-3, SC-6), letters (SC-4),
insufficient progress (SC-5), re-inspection windows (SC-7, SC-8) and who sees what (SC-9)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from inspectorate.accounts.roles import Role
from inspectorate.frameworks.services import frameworks_load
from inspectorate.improvement import services
from inspectorate.improvement.constants import CaseStatus, ContactKind, LetterStatus, Track
from inspectorate.improvement.models import ImprovementCase, Letter
from inspectorate.improvement.selectors import case_areas
from inspectorate.inspections.constants import Stage
from inspectorate.inspections.judgements import services as judgement_services
from inspectorate.inspections.models import Inspection
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.inspections.tests.test_judgement_services import grade, grade_all_required
from inspectorate.lib.overrides import OverrideNeeded
from inspectorate.programme.models import Notification
from inspectorate.programme.tests.email_helpers import email_jobs_run

pytestmark = pytest.mark.django_db

VISIT_DAY = date(2026, 11, 16)


@pytest.fixture(autouse=True)
def _today():
    yield from h.frozen_today()


@pytest.fixture(autouse=True)
def _frameworks(db):
    frameworks_load(actor=None)


@pytest.fixture
def full():
    event = h.full_inspection(stage=Stage.FIELDWORK)
    h.concern(event, "Too few prisoners attended education.", paragraph_reference="1.8")
    h.recommendations(event, 2)
    return event


@pytest.fixture
def lead(full):
    return h.ofsted_lead(full)


@pytest.fixture
def hmi():
    return h.user(Role.IMPROVEMENT_HMI)


def publish(event, actor) -> None:
    """The inspection's outcome is published with its report (past its check, JG-9)."""
    Inspection.objects.filter(event=event).update(stage=Stage.FACTUAL_ACCURACY)
    judgement_services.inspection_publish(actor=actor, event=event)


def open_case(full, lead, slug: str = "requires_improvement") -> ImprovementCase:
    grade(full, lead, "LM", slug)
    publish(full, lead)
    return ImprovementCase.objects.get(establishment=full.establishment)


def fe_case(slug: str = "requires_improvement", published_on: date | None = None):
    college = h.make_establishment("FC", "Fenland College", kind="fe_provider")
    event = h.full_inspection(college, stage=Stage.FIELDWORK, starts_on=date(2026, 9, 7))
    lead = h.ofsted_lead(event)
    grade(event, lead, "OE", slug, override_reason="Moderated.")
    publish(event, lead)
    if published_on:
        Inspection.objects.filter(event=event).update(published_on=published_on)
    return ImprovementCase.objects.get(establishment=college)


def with_hmi(case: ImprovementCase, hmi) -> ImprovementCase:
    scheduler = h.user(Role.OFSTED_SCHEDULER)
    return services.case_assign_hmi(actor=scheduler, case=case, hmi=hmi, version=case.version)


def visit(case, hmi, **values):
    values.setdefault("kind", ContactKind.VISIT)
    values.setdefault("held_on", VISIT_DAY)
    values.setdefault(
        "actions",
        [services.ActionInput("Raise attendance to 85%", "Head of learning", date(2027, 3, 31))],
    )
    return services.contact_record(actor=hmi, case=case, **values)


# SC-1 ------------------------------------------------------------------------------------


@pytest.mark.rule("SC-1")
@pytest.mark.parametrize("code", ["LM", "OE"])
@pytest.mark.parametrize("slug", ["requires_improvement", "inadequate"])
def test_a_weak_published_judgement_opens_a_case(full, lead, hmi, code, slug) -> None:
    grade(full, lead, code, slug, override_reason="Moderated.")
    assert not ImprovementCase.objects.exists()  # provisional: nothing is published
    publish(full, lead)
    case = ImprovementCase.objects.get()
    assert (case.establishment, case.event, case.track) == (
        full.establishment,
        full,
        Track.PRISON,
    )
    assert case.opened_by.level.slug == slug
    areas = case_areas(h.user(Role.HMIP_COORDINATOR), case)  # read live from the findings
    assert areas[0].text == "Too few prisoners attended education."
    assert len(areas) == 3  # the concern and both recommendations
    assert Notification.objects.filter(
        recipient=hmi, subject__startswith="Improvement case opened"
    ).exists()


@pytest.mark.rule("SC-1")
def test_moderating_a_weak_judgement_opens_nothing_until_the_report_is_published(
    full, lead
) -> None:
    grade_all_required(full, lead)
    grade(full, lead, "LM", "requires_improvement", version=1)
    grade(full, lead, "OE", "requires_improvement", override_reason="Moderated.")
    judgement_services.judgements_moderate(actor=lead, event=full)
    assert not ImprovementCase.objects.exists()
    judgement_services.factual_accuracy_start(actor=lead, event=full)
    assert not ImprovementCase.objects.exists()
    judgement_services.inspection_publish(actor=lead, event=full)
    case = ImprovementCase.objects.get()  # exactly one, for both weak judgements
    assert (case.event, case.opened_by.aspect.code) == (full, "OE")


@pytest.mark.rule("SC-1")
def test_good_judgements_and_other_aspects_open_nothing(full, lead) -> None:
    grade(full, lead, "LM", "good")
    grade(full, lead, "QE", "inadequate")  # quality of education: not a trigger
    publish(full, lead)
    assert not ImprovementCase.objects.exists()


@pytest.mark.rule("SC-1")
def test_one_case_per_inspection_and_the_next_inspection_closes_it(full, lead) -> None:
    grade(full, lead, "OE", "requires_improvement", override_reason="Moderated.")
    case = open_case(full, lead)
    assert ImprovementCase.objects.count() == 1
    later = h.full_inspection(
        full.establishment, starts_on=date(2026, 10, 5), stage=Stage.FIELDWORK
    )
    later_lead = h.ofsted_lead(later)
    grade(later, later_lead, "OE", "good", override_reason="Moderated.")
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN  # the later grade is not published yet
    publish(later, later_lead)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.closed_on == h.TODAY
    assert not ImprovementCase.objects.filter(status=CaseStatus.OPEN).exists()


# TM-4 ------------------------------------------------------------------------------------


@pytest.mark.rule("TM-4")
def test_an_inspector_of_the_last_inspection_needs_a_reason(full, lead) -> None:
    case = open_case(full, lead)
    lead.roles = [*lead.roles, Role.IMPROVEMENT_HMI]
    lead.save()
    scheduler = h.user(Role.OFSTED_SCHEDULER)
    with pytest.raises(OverrideNeeded) as warning:
        services.case_assign_hmi(actor=scheduler, case=case, hmi=lead, version=case.version)
    assert "TM-4" in str(warning.value)
    assert ImprovementCase.objects.get().improvement_hmi is None
    named = services.case_assign_hmi(
        actor=scheduler,
        case=case,
        hmi=lead,
        reason="Only HMI with the specialism.",
        version=case.version,
    )
    assert named.improvement_hmi == lead
    assert named.improvement_hmi_reason == "Only HMI with the specialism."


@pytest.mark.rule("TM-4")
def test_an_independent_hmi_is_named_without_a_reason(full, lead, hmi) -> None:
    case = with_hmi(open_case(full, lead), hmi)
    assert (case.improvement_hmi, case.improvement_hmi_reason) == (hmi, "")
    with pytest.raises(PermissionDenied):
        services.case_assign_hmi(actor=lead, case=case, hmi=hmi, version=case.version)


# SC-2, SC-3, SC-6 ------------------------------------------------------------------------


@pytest.mark.rule("SC-3")
def test_a_visit_agrees_actions_with_owners_and_timescales_and_support(full, lead, hmi) -> None:
    case = with_hmi(open_case(full, lead), hmi)
    contact = visit(case, hmi, support=["seminar", "joint_observation"], other_support="Mentor")
    action = contact.actions.get()
    assert (action.owner, action.due_on) == ("Head of learning", date(2027, 3, 31))
    assert sorted(str(s) for s in contact.support.all())[0].startswith("Invitation")
    assert contact.support.count() == 3
    with pytest.raises(ValidationError) as refusal:
        visit(case, hmi, actions=[])
    assert "SC-3" in refusal.value.message_dict["actions"][0]
    with pytest.raises(ValidationError) as refusal:
        visit(case, hmi, support=["governors_meeting"])  # an FE option, not a prison's
    assert "support" in refusal.value.message_dict


@pytest.mark.rule("SC-3")
def test_only_the_cases_hmi_records_contacts(full, lead, hmi) -> None:
    case = with_hmi(open_case(full, lead), hmi)
    with pytest.raises(PermissionDenied):
        visit(case, h.user(Role.IMPROVEMENT_HMI))
    assert not case.contacts.exists()


@pytest.mark.rule("SC-2")
def test_an_fe_visit_outside_10_to_30_working_days_needs_a_reason(hmi) -> None:
    case = with_hmi(fe_case(published_on=date(2026, 11, 2)), hmi)
    with pytest.raises(OverrideNeeded) as warning:
        visit(case, hmi, held_on=date(2026, 11, 9))  # 5 working days after publication
    assert "SC-2" in str(warning.value)
    recorded = visit(case, hmi, held_on=date(2026, 11, 9), window_reason="Provider asked.")
    assert recorded.window_reason == "Provider asked."
    in_window = visit(case, hmi, held_on=date(2026, 11, 20))  # 14 working days after
    assert in_window.window_reason == ""


@pytest.mark.rule("SC-6")
def test_follow_up_visits_each_confirm_their_actions_in_writing(full, lead, hmi) -> None:
    case = with_hmi(open_case(full, lead), hmi)
    services.contact_record(
        actor=hmi, case=case, kind=ContactKind.TELEPHONE, held_on=date(2026, 10, 1)
    )
    visit(case, hmi, held_on=date(2026, 10, 20))
    follow_up = visit(case, hmi, kind=ContactKind.FOLLOW_UP)
    assert follow_up.letter_due_on() == date(2026, 11, 23)
    letter = services.letter_draft(actor=hmi, contact=follow_up)
    assert "Raise attendance to 85%" in letter.body


# SC-4 ------------------------------------------------------------------------------------


@pytest.mark.rule("SC-4")
def test_a_prison_letter_is_due_in_five_working_days_copied_to_the_bodies(full, lead, hmi) -> None:
    case = with_hmi(open_case(full, lead), hmi)
    case = services.case_details_update(
        actor=hmi,
        case=case,
        version=case.version,
        addressee="Governor Ann Smith",
        learning_provider="Novus",
        funding_body="Education and Skills Funding Agency",
        commissioning_head="Head of HMPPS commissioning",
    )
    contact = visit(case, hmi, held_on=date(2026, 8, 28))
    assert contact.letter_due_on() == date(2026, 9, 7)  # over the summer bank holiday (WD-1)
    letter = services.letter_draft(actor=hmi, contact=contact)
    assert letter.addressed_to == "Governor Ann Smith"
    assert letter.copied_to == (
        "Novus; Education and Skills Funding Agency; Head of HMPPS commissioning"
    )
    local = h.establishment_user(full)
    assert not Letter.objects.visible_to(local).exists()  # a draft stays with Ofsted
    sent = services.letter_send(actor=hmi, letter=letter, version=letter.version)
    assert (sent.status, sent.sent_on) == (LetterStatus.SENT, h.TODAY)
    assert list(Letter.objects.visible_to(local)) == [sent]
    with pytest.raises(ValidationError):
        services.letter_draft(actor=hmi, contact=contact, body="Changed.", version=sent.version)


@pytest.mark.rule("SC-4")
def test_an_fe_letter_goes_to_the_principal_after_a_factual_check(hmi) -> None:
    case = with_hmi(fe_case(published_on=date(2026, 10, 1)), hmi)
    contact = visit(case, hmi, held_on=date(2026, 10, 29), window_reason="x")
    letter = services.letter_draft(actor=hmi, contact=contact)
    assert letter.addressed_to == "The principal, Fenland College"
    assert letter.copied_to == ""
    with pytest.raises(ValidationError) as refusal:
        services.letter_send(actor=hmi, letter=letter, version=letter.version)
    assert "factual accuracy" in refusal.value.messages[0]
    checked = services.letter_factual_check(
        actor=hmi, letter=letter, on=date(2026, 11, 3), version=letter.version
    )
    sent = services.letter_send(actor=hmi, letter=checked, version=checked.version)
    assert sent.status == LetterStatus.SENT


# SC-5 ------------------------------------------------------------------------------------


@pytest.mark.rule("SC-5")
def test_insufficient_progress_tells_hmip_and_the_bodies_with_the_letter(
    full, lead, hmi, django_capture_on_commit_callbacks
) -> None:
    coordinator = h.user(Role.HMIP_COORDINATOR)
    case = with_hmi(open_case(full, lead), hmi)
    case = services.case_details_update(
        actor=hmi,
        case=case,
        version=case.version,
        funding_body_email="funding@example.gov.uk",
        commissioning_email="commissioning@example.gov.uk",
    )
    with pytest.raises(ValidationError):  # no letter sent yet
        services.case_insufficient_progress(
            actor=hmi, case=case, note="No change.", version=case.version
        )
    letter = services.letter_draft(actor=hmi, contact=visit(case, hmi))
    services.letter_send(actor=hmi, letter=letter, version=letter.version)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_insufficient_progress(
            actor=hmi, case=case, note="Attendance has not improved.", version=case.version
        )
    assert mail.outbox == []  # the bodies' e-mail waits for the job queue, not the request
    assert email_jobs_run() >= 1
    assert case.insufficient_progress_on == h.TODAY
    assert Notification.objects.filter(
        recipient=coordinator, subject__startswith="Insufficient progress"
    ).exists()
    external = [m for m in mail.outbox if "funding@example.gov.uk" in m.to]
    assert len(external) == 1
    assert external[0].attachments[0][0].startswith("letter-")
    assert "Raise attendance to 85%" in external[0].attachments[0][1]
    assert "Attendance has not improved." in external[0].body


@pytest.mark.rule("SC-5")
def test_insufficient_progress_is_recorded_while_the_smtp_server_is_down(
    full, lead, hmi, django_capture_on_commit_callbacks, settings
) -> None:
    case = with_hmi(open_case(full, lead), hmi)
    case = services.case_details_update(
        actor=hmi, case=case, version=case.version, funding_body_email="funding@example.gov.uk"
    )
    letter = services.letter_draft(actor=hmi, contact=visit(case, hmi))
    services.letter_send(actor=hmi, letter=letter, version=letter.version)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_insufficient_progress(
            actor=hmi, case=case, note="No change.", version=case.version
        )
    assert case.insufficient_progress_on == h.TODAY  # saved, and the request did not fail
    with pytest.raises(ConnectionRefusedError):  # the job fails; the queue retries OSError
        email_jobs_run()


# SC-7, SC-8 ------------------------------------------------------------------------------


@pytest.mark.rule("SC-7")
def test_fe_requires_improvement_is_reinspected_within_12_to_18_months(hmi) -> None:
    case = fe_case("requires_improvement")
    assert case.event.ends_on == date(2026, 9, 18)
    assert (case.reinspection_from, case.reinspection_to) == (date(2027, 9, 18), date(2028, 3, 18))
    assert case.monitoring_visit_from is None
    case = with_hmi(case, hmi)
    scheduler = h.user(Role.OFSTED_SCHEDULER)
    case = services.reinspection_bring_forward(
        actor=hmi, case=case, reason="Rapid decline in attendance.", version=case.version
    )
    assert case.bring_forward_requested_on == h.TODAY
    assert Notification.objects.filter(
        recipient=scheduler, subject__contains="brought forward"
    ).exists()


@pytest.mark.rule("SC-8")
def test_fe_inadequate_gets_a_monitoring_visit_and_reinspection_windows() -> None:
    case = fe_case("inadequate")
    assert (case.monitoring_visit_from, case.monitoring_visit_to) == (
        date(2027, 3, 18),
        date(2027, 5, 18),
    )
    assert (case.reinspection_from, case.reinspection_to) == (date(2027, 9, 18), date(2027, 12, 18))


# SC-9 ------------------------------------------------------------------------------------


@pytest.mark.rule("SC-9")
def test_who_sees_a_case(full, lead) -> None:
    case = open_case(full, lead)
    for role in (Role.HMIP_COORDINATOR, Role.OFSTED_SCHEDULER, Role.IMPROVEMENT_HMI):
        assert list(ImprovementCase.objects.visible_to(h.user(role))) == [case]
    assert list(ImprovementCase.objects.visible_to(h.establishment_user(full))) == [case]
    elsewhere = h.user(
        Role.ESTABLISHMENT_USER, establishment=h.make_establishment("BL", "HMP Belmarsh")
    )
    assert not ImprovementCase.objects.visible_to(elsewhere).exists()
    assert not ImprovementCase.objects.visible_to(h.user(Role.HMIP_INSPECTOR)).exists()


@pytest.mark.rule("SC-4")
def test_a_letters_first_draft_follows_the_administrators_template(
    full, lead, hmi, make_user
) -> None:
    from inspectorate.reports.constants import LetterKind
    from inspectorate.reports.letters import letter_template, letter_template_update

    template = letter_template(LetterKind.SUPPORT_AND_CHALLENGE)
    letter_template_update(
        actor=make_user(Role.SYSTEM_ADMINISTRATOR),
        template=template,
        subject=template.subject,
        body="To {{ addressee }}: we agreed {{ actions|length }} action(s) on {{ visit_date }}.",
        version=template.version,
    )
    case = with_hmi(open_case(full, lead), hmi)
    case = services.case_details_update(
        actor=hmi, case=case, version=case.version, addressee="Governor X"
    )
    contact = visit(case, hmi, held_on=date(2026, 8, 28))
    letter = services.letter_draft(actor=hmi, contact=contact)
    assert letter.body.startswith("To Governor X: we agreed 1 action(s) on 28 August 2026.")
