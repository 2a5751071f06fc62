"""The report workflow's rules: draft → quality assurance → factual-accuracy check (RP-3) →
final → published; judgements locked from the check (JG-9); the report's dates feeding the
milestones (RP-1, RP-3, RP-4, RP-5); concurrent edits refused, not lost."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from inspectorate.frameworks.models import Aspect
from inspectorate.frameworks.services import frameworks_load
from inspectorate.inspections.constants import EvidenceSource, Stage
from inspectorate.inspections.judgements.services import judgement_record
from inspectorate.inspections.models import EvidenceForm, Inspection
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.lib.versions import StaleVersion
from inspectorate.programme.constants import MilestoneStatus
from inspectorate.programme.models import Milestone, Notification
from inspectorate.reports import services
from inspectorate.reports.constants import CommentOutcome, ReportKind, ReportStage
from inspectorate.reports.models import Report, ReportRender
from inspectorate.reports.tests import report_helpers as r

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    yield from h.frozen_today()


@pytest.fixture(autouse=True)
def _documents(monkeypatch):
    r.fake_documents(monkeypatch)


@pytest.fixture
def people():
    return r.cast()


# Creating ------------------------------------------------------------------------------------


def test_an_irp_has_its_report_and_a_full_inspection_with_ofsted_the_two_ofsted_reports(
    people,
) -> None:
    report = services.report_create(
        actor=people.leader, event=people.event, kind=ReportKind.IRP_REPORT
    )
    assert (report.stage, report.created_by) == (ReportStage.DRAFT, people.leader)
    with pytest.raises(ValidationError) as refusal:
        services.report_create(
            actor=people.leader, event=people.event, kind=ReportKind.OFSTED_REPORT
        )
    assert "independent review of progress" in refusal.value.messages[0]
    full = h.full_inspection(r.other_establishment(), stage=Stage.MODERATED)
    lead = h.ofsted_lead(full)
    kinds = {
        services.report_create(actor=lead, event=full, kind=kind).kind
        for kind in (ReportKind.OFSTED_FINDINGS, ReportKind.OFSTED_REPORT)
    }
    assert kinds == {ReportKind.OFSTED_FINDINGS, ReportKind.OFSTED_REPORT}


def test_a_report_needs_an_inspection_record_and_is_made_once(people) -> None:
    services.report_create(actor=people.leader, event=people.event, kind=ReportKind.IRP_REPORT)
    with pytest.raises(ValidationError, match="already has"):
        services.report_create(actor=people.leader, event=people.event, kind=ReportKind.IRP_REPORT)
    bare = h.irp(None, starts_on=date(2026, 6, 1))
    leader = h.team_leader(bare)
    with pytest.raises(ValidationError, match="no inspection record"):
        services.report_create(actor=leader, event=bare, kind=ReportKind.IRP_REPORT)


def test_only_the_leads_or_a_coordinator_start_a_report(people) -> None:
    for outsider in (people.inspector, people.qa, people.local):
        with pytest.raises(PermissionDenied):
            services.report_create(actor=outsider, event=people.event, kind=ReportKind.IRP_REPORT)
    assert services.report_create(
        actor=people.coordinator, event=people.event, kind=ReportKind.IRP_REPORT
    )


# Quality assurance ------------------------------------------------------------------------


def test_quality_assurance_is_someone_other_than_the_submitter(people) -> None:
    report = r.draft(people)
    report = services.report_submit_for_qa(
        actor=people.leader, report=report, version=report.version
    )
    assert report.stage == ReportStage.QUALITY_ASSURANCE
    assert Notification.objects.filter(recipient=people.qa, subject__contains="quality").exists()
    with pytest.raises(PermissionDenied, match="quality assurance"):
        services.report_qa_approve(actor=people.leader, report=report, version=report.version)
    both = h.user("quality_assurance", "ofsted_lead_inspector")
    people.event.team.filter(role="ofsted_lead").delete()
    h.put_on_team(people.event, both, "ofsted_lead")
    other = services.report_qa_return(
        actor=people.qa, report=report, reason="Redo.", version=report.version
    )
    other = services.report_submit_for_qa(actor=both, report=other, version=other.version)
    with pytest.raises(ValidationError, match="someone other than who submitted"):
        services.report_qa_approve(actor=both, report=other, version=other.version)
    report = other
    approved = services.report_qa_approve(actor=people.qa, report=report, version=report.version)
    assert approved.qa_approved_by == people.qa


def test_quality_assurance_sends_a_draft_back_with_a_reason(people) -> None:
    report = r.draft(people)
    report = services.report_submit_for_qa(
        actor=people.leader, report=report, version=report.version
    )
    with pytest.raises(ValidationError):
        services.report_qa_return(actor=people.qa, report=report, reason=" ", version=None)
    back = services.report_qa_return(
        actor=people.qa, report=report, reason="Shorten the summary.", version=report.version
    )
    assert back.stage == ReportStage.DRAFT
    assert Notification.objects.filter(
        recipient=people.leader, body="Shorten the summary."
    ).exists()


def test_an_empty_summary_is_not_submitted(people) -> None:
    report = services.report_create(
        actor=people.leader, event=people.event, kind=ReportKind.IRP_REPORT
    )
    with pytest.raises(ValidationError) as refusal:
        services.report_submit_for_qa(actor=people.leader, report=report, version=report.version)
    assert "summary" in refusal.value.message_dict


# The factual-accuracy check (RP-3, JG-9) -------------------------------------------------


@pytest.mark.rule("RP-3")
def test_the_check_starts_only_after_approval_with_a_deadline_before_publication(people) -> None:
    report = r.draft(people)
    report = services.report_submit_for_qa(
        actor=people.leader, report=report, version=report.version
    )
    with pytest.raises(ValidationError, match="not approved"):
        services.report_factual_accuracy_start(
            actor=people.leader, report=report, due_on=r.DUE, version=report.version
        )
    report = services.report_qa_approve(actor=people.qa, report=report, version=report.version)
    with pytest.raises(ValidationError) as refusal:
        services.report_factual_accuracy_start(
            actor=people.leader, report=report, due_on=r.PLANNED, version=report.version
        )
    assert "RP-3" in str(refusal.value)
    with pytest.raises(PermissionDenied):
        services.report_factual_accuracy_start(
            actor=people.local, report=report, due_on=r.DUE, version=report.version
        )
    started = services.report_factual_accuracy_start(
        actor=people.leader, report=report, due_on=r.DUE, version=report.version
    )
    assert (started.stage, started.factual_accuracy_due_on) == (
        ReportStage.FACTUAL_ACCURACY,
        r.DUE,
    )
    assert (started.factual_accuracy_from, started.factual_accuracy_due_on) == (h.TODAY, r.DUE)
    told = Notification.objects.filter(subject__contains="factual-accuracy check")
    assert {people.local, people.leader} <= {n.recipient for n in told}


@pytest.mark.rule("JG-9")
def test_starting_the_check_needs_moderated_judgements_and_then_locks_them(people) -> None:
    frameworks_load(actor=None)
    Inspection.objects.filter(event=people.event).update(stage=Stage.FIELDWORK)
    report = r.approved(people)
    with pytest.raises(ValidationError, match="moderated"):
        services.report_factual_accuracy_start(
            actor=people.leader, report=report, due_on=r.DUE, version=report.version
        )
    assert Report.objects.get(pk=report.pk).stage == ReportStage.QUALITY_ASSURANCE
    Inspection.objects.filter(event=people.event).update(stage=Stage.MODERATED)
    services.report_factual_accuracy_start(
        actor=people.leader, report=report, due_on=r.DUE, version=report.version
    )
    assert Inspection.objects.get(event=people.event).stage == Stage.FACTUAL_ACCURACY
    item = h.follow_up(people.event, h.recommendations(people.event, 1)[0])
    evidence = EvidenceForm.objects.create(
        event=people.event,
        author=people.leader,
        evidence_on=people.event.starts_on,
        source=EvidenceSource.STAFF,
        aspect=Aspect.objects.get(framework__slug="hmip-irp-progress", code="REC"),
        text="Time out of cell had risen.",
    )
    with pytest.raises(ValidationError) as refusal:
        judgement_record(
            actor=people.leader,
            event=people.event,
            aspect=evidence.aspect,
            level=h.rec_level("good_progress"),
            evidence=[evidence],
            follow_up=item,
        )
    assert "JG-9" in refusal.value.messages[0]


@pytest.mark.rule("RP-3")
def test_comments_come_from_the_establishment_and_partners_on_real_paragraphs(people) -> None:
    report = r.at_factual_accuracy(people)
    made = r.comment(people, report, "2.1")
    assert (made.organisation, made.paragraph) == ("HMP Leeds", "2.1")
    assert Notification.objects.filter(recipient=people.leader, subject__contains="2.1").exists()
    with pytest.raises(ValidationError) as refusal:
        r.comment(people, report, "9.9")
    assert "no paragraph 9.9" in refusal.value.message_dict["paragraph"][0]
    scheduler = h.user("ofsted_scheduler")
    partner = services.comment_submit(
        actor=scheduler, report=report, paragraph="1.1", text="Ofsted's grade was good."
    )
    assert partner.organisation == "Ofsted"
    for outsider in (people.stranger, people.inspector, people.improvement):
        with pytest.raises(PermissionDenied):
            services.comment_submit(actor=outsider, report=report, paragraph="1.1", text="No.")


@pytest.mark.rule("RP-3")
def test_comments_are_refused_outside_the_check(people) -> None:
    report = r.approved(people)
    with pytest.raises(ValidationError, match="only at the factual-accuracy check stage"):
        services.comment_submit(actor=people.local, report=report, paragraph="1.1", text="Wrong.")


@pytest.mark.rule("RP-3")
def test_the_leads_answer_each_comment_and_finalise_once_all_are_answered(people) -> None:
    report = r.at_factual_accuracy(people)
    first = r.comment(people, report, "1.1")
    second = r.comment(people, report, "2.2")
    with pytest.raises(PermissionDenied):
        services.comment_respond(
            actor=people.local,
            comment=first,
            outcome=CommentOutcome.ACCEPTED,
            response="Yes.",
            version=first.version,
        )
    with pytest.raises(ValidationError) as refusal:
        services.comment_respond(
            actor=people.leader, comment=first, outcome="maybe", response="x", version=None
        )
    assert "outcome" in refusal.value.message_dict
    services.comment_respond(
        actor=people.ofsted,
        comment=first,
        outcome=CommentOutcome.NOT_ACCEPTED,
        response="The data are from the regime log.",
        version=first.version,
    )
    assert Notification.objects.filter(recipient=people.local, subject__contains="1.1").exists()
    report.refresh_from_db()
    with pytest.raises(ValidationError) as unanswered:
        services.report_finalise(actor=people.leader, report=report, version=report.version)
    assert "paragraphs 2.2" in unanswered.value.messages[0]
    services.comment_respond(
        actor=people.leader,
        comment=second,
        outcome=CommentOutcome.PARTLY_ACCEPTED,
        response="Reworded.",
        version=second.version,
    )
    final = services.report_finalise(actor=people.leader, report=report, version=report.version)
    assert final.stage == ReportStage.FINAL
    assert final.finalised_at is not None


# Milestones fed by the report's dates (RP-1, RP-3, RP-4, RP-5) ----------------------------


@pytest.mark.rule("RP-3")
def test_the_planned_publication_date_dates_rp3_and_closing_the_check_meets_it(people) -> None:
    assert not Milestone.objects.filter(event=people.event, rule_id="RP-3").exists()
    report = r.draft(people)
    milestone = Milestone.objects.get(event=people.event, rule_id="RP-3")
    assert milestone.due_on == date(2027, 1, 19)  # one working day before 20 January
    report = services.report_update(
        actor=people.leader,
        report=report,
        summary=report.summary,
        planned_publication_on=date(2027, 2, 1),
        version=report.version,
    )
    milestone.refresh_from_db()
    assert milestone.due_on == date(2027, 1, 29)  # the Friday before a Monday
    report = services.report_submit_for_qa(
        actor=people.leader, report=report, version=report.version
    )
    report = services.report_qa_approve(actor=people.qa, report=report, version=report.version)
    report = services.report_factual_accuracy_start(
        actor=people.leader, report=report, due_on=r.DUE, version=report.version
    )
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.DUE
    services.report_finalise(actor=people.leader, report=report, version=report.version)
    milestone.refresh_from_db()
    assert (milestone.status, milestone.met_by) == (MilestoneStatus.MET, people.leader)


@pytest.mark.rule("RP-1")
@pytest.mark.rule("RP-4")
@pytest.mark.rule("RP-5")
def test_the_report_page_shows_the_events_report_deadlines(people, client) -> None:
    """RP-1 (and, for other kinds of event, RP-4 and RP-5) count from the end of the event;
    RP-3 from the report's planned publication: the report page lists them together."""
    from inspectorate.programme.milestones.services import milestones_recompute

    milestones_recompute(event=people.event)
    report = r.draft(people)
    client.force_login(people.leader)
    page = client.get(reverse("reports:detail", kwargs={"pk": report.pk})).content.decode()
    assert "(RP-1)" in page
    assert "(RP-3)" in page
    full = h.full_inspection(
        h.make_establishment("NO", "Norfolk probation", kind="probation_area"),
        stage=Stage.MODERATED,
        starts_on=date(2026, 9, 7),
    )
    milestones_recompute(event=full)
    rules = set(Milestone.objects.filter(event=full).values_list("rule_id", flat=True))
    assert "RP-4" in rules
    standalone = h.make_event(
        r.other_establishment(), kind="ofsted_standalone", starts_on=date(2026, 9, 7)
    )
    assert "RP-5" in set(
        Milestone.objects.filter(event=standalone).values_list("rule_id", flat=True)
    )


# Publication ------------------------------------------------------------------------------


def test_publishing_freezes_the_text_publishes_the_record_and_asks_for_the_pdf(
    people, django_capture_on_commit_callbacks
) -> None:
    report = r.final(people)
    with pytest.raises(PermissionDenied):
        services.report_publish(actor=people.qa, report=report, version=report.version)
    with django_capture_on_commit_callbacks(execute=True):
        published = services.report_publish(
            actor=people.coordinator, report=report, version=report.version
        )
    assert (published.stage, published.published_on) == (ReportStage.PUBLISHED, h.TODAY)
    assert published.published_html == "<p>Snapshot text</p>"
    assert Inspection.objects.get(event=people.event).stage == Stage.PUBLISHED
    assert ReportRender.objects.filter(report=report, requested_by=people.coordinator).exists()
    assert Notification.objects.filter(
        recipient=people.local, subject__contains="published"
    ).exists()
    with pytest.raises(ValidationError, match="published stage"):
        services.report_publish(actor=people.leader, report=published, version=published.version)


def test_a_report_is_published_only_when_final(people) -> None:
    report = r.at_factual_accuracy(people)
    with pytest.raises(ValidationError) as refusal:
        services.report_publish(actor=people.leader, report=report, version=report.version)
    assert "only at the final stage" in refusal.value.messages[0]


def test_the_second_ofsted_report_follows_the_record_already_checked(people) -> None:
    full = h.full_inspection(r.other_establishment(), stage=Stage.MODERATED)
    lead, qa = h.ofsted_lead(full), people.qa
    made = []
    for kind in (ReportKind.OFSTED_FINDINGS, ReportKind.OFSTED_REPORT):
        report = services.report_create(actor=lead, event=full, kind=kind, summary="Findings.")
        report = services.report_update(
            actor=lead,
            report=report,
            summary="Findings.",
            planned_publication_on=r.PLANNED,
            version=report.version,
        )
        report = services.report_submit_for_qa(actor=lead, report=report, version=report.version)
        report = services.report_qa_approve(actor=qa, report=report, version=report.version)
        made.append(
            services.report_factual_accuracy_start(
                actor=lead, report=report, due_on=r.DUE, version=report.version
            )
        )
    assert {report.stage for report in made} == {ReportStage.FACTUAL_ACCURACY}
    hmip = h.team_leader(full)
    comment = services.comment_submit(actor=hmip, report=made[0], paragraph="1.1", text="Typo.")
    assert comment.organisation == "HM Inspectorate of Prisons"


# Concurrency ------------------------------------------------------------------------------


def test_two_simultaneous_edits_the_second_refused_the_first_kept(people) -> None:
    report = r.draft(people)
    opened_by_leader = Report.objects.get(pk=report.pk)
    opened_by_ofsted = Report.objects.get(pk=report.pk)
    services.report_update(
        actor=people.leader,
        report=opened_by_leader,
        summary="The leader's summary.",
        planned_publication_on=r.PLANNED,
        version=opened_by_leader.version,
    )
    with pytest.raises(StaleVersion) as refusal:
        services.report_update(
            actor=people.ofsted,
            report=opened_by_ofsted,
            summary="The Ofsted lead's summary.",
            planned_publication_on=r.PLANNED,
            version=opened_by_ofsted.version,
        )
    assert "changed by someone else" in str(refusal.value)
    assert Report.objects.get(pk=report.pk).summary == "The leader's summary."


def test_a_stale_edit_in_the_browser_form_is_refused_and_the_typing_kept(people, client) -> None:
    report = r.draft(people)
    client.force_login(people.leader)
    url = reverse("reports:edit", kwargs={"pk": report.pk})
    data = {"summary": "First.", "version": report.version}
    assert client.post(url, data).status_code == 302
    second = client.post(url, {"summary": "Second, typed meanwhile.", "version": report.version})
    assert second.status_code == 409
    assert "Second, typed meanwhile." in second.content.decode()
    assert Report.objects.get(pk=report.pk).summary == "First."
    carried = second.context["form"]["version"].value()
    assert int(carried) == Report.objects.get(pk=report.pk).version
    again = client.post(url, {"summary": "Second, on purpose.", "version": carried})
    assert again.status_code == 302
    assert Report.objects.get(pk=report.pk).summary == "Second, on purpose."


def test_a_stale_step_is_refused_with_409(people, client) -> None:
    report = r.draft(people)
    client.force_login(people.leader)
    url = reverse("reports:submit", kwargs={"pk": report.pk})
    response = client.post(url, {"version": report.version - 1 or 99})
    assert response.status_code == 409
    assert Report.objects.get(pk=report.pk).stage == ReportStage.DRAFT


def test_submitting_for_quality_assurance_is_confirmed_on_a_page_first(people, client) -> None:
    """A one-click step that cannot be undone by its author shows what it does first."""
    report = r.draft(people)
    client.force_login(people.leader)
    url = reverse("reports:submit", kwargs={"pk": report.pk})
    detail = client.get(reverse("reports:detail", kwargs={"pk": report.pk})).text
    assert f'href="{url}"' in detail  # a link to the check, not a one-click form
    check = client.get(url)
    assert check.status_code == 200
    assert "While they review it, the authors cannot edit it" in check.text
    assert Report.objects.get(pk=report.pk).stage == ReportStage.DRAFT  # GET changes nothing
    done = client.post(url, {"version": report.version})
    assert done.status_code == 302
    assert Report.objects.get(pk=report.pk).stage == ReportStage.QUALITY_ASSURANCE
    # Once submitted, the check page sends you back to the report.
    assert client.get(url).status_code == 302
