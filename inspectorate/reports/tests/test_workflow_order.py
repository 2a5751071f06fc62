"""Issue 22, the workflow's order: nothing is moderated or sent for its factual-accuracy
check while the inspection is on site; the improvement case opens from the published
outcome (SC-1); the report page says what each next step needs; the edit form refuses a
past planned publication and an empty summary; a comment is changed or withdrawn by its
author until the team responds."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from inspectorate.api.tests.helpers import client_for
from inspectorate.frameworks.services import frameworks_load
from inspectorate.improvement.models import ImprovementCase
from inspectorate.inspections.constants import Stage
from inspectorate.inspections.judgements import services as judgement_services
from inspectorate.inspections.models import Inspection
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.inspections.tests.test_judgement_services import grade
from inspectorate.lib.versions import StaleVersion
from inspectorate.programme.models import Notification
from inspectorate.reports import selectors, services
from inspectorate.reports.constants import CommentOutcome, ReportKind, ReportStage
from inspectorate.reports.models import FactualAccuracyComment, Report
from inspectorate.reports.tests import report_helpers as r

pytestmark = pytest.mark.django_db

ON_SITE_FROM = date(2026, 11, 16)  # a full inspection on site in the tests' "today"


@pytest.fixture(autouse=True)
def _today():
    yield from h.frozen_today()


@pytest.fixture(autouse=True)
def _documents(monkeypatch):
    r.fake_documents(monkeypatch)


@pytest.fixture
def people():
    return r.cast()


def _page(client, user, report: Report) -> str:
    client.force_login(user)
    response = client.get(reverse("reports:detail", kwargs={"pk": report.pk}))
    assert response.status_code == 200
    return response.content.decode()


# 1. Not while on site; the case opens from the published outcome (SC-1) ---------------


def test_judgements_are_not_moderated_while_the_inspection_is_on_site() -> None:
    frameworks_load(actor=None)
    event = h.full_inspection(stage=Stage.FIELDWORK, starts_on=ON_SITE_FROM)
    assert event.ends_on >= h.TODAY
    lead = h.ofsted_lead(event)
    with pytest.raises(ValidationError) as refusal:
        judgement_services.judgements_moderate(actor=lead, event=event)
    day_after = date.fromordinal(event.ends_on.toordinal() + 1)
    assert (
        f"The inspection is still on site: it runs until {event.ends_on:%A %-d %B %Y}. "
        f"The judgements can be moderated from {day_after:%A %-d %B %Y}, once fieldwork is over"
    ) in refusal.value.messages
    assert Inspection.objects.get(event=event).stage == Stage.FIELDWORK


def test_the_check_does_not_start_while_the_inspection_is_on_site() -> None:
    people = r.cast(r.irp_event(starts_on=h.TODAY))
    report = r.approved(people)
    with pytest.raises(ValidationError) as refusal:
        services.report_factual_accuracy_start(
            actor=people.leader, report=report, due_on=r.DUE, version=report.version
        )
    message = refusal.value.messages[0]
    assert "still on site" in message
    assert f"from {date.fromordinal(people.event.ends_on.toordinal() + 1):%A %-d %B %Y}" in message
    assert Report.objects.get(pk=report.pk).stage == ReportStage.QUALITY_ASSURANCE
    assert Inspection.objects.get(event=people.event).stage == Stage.MODERATED
    with pytest.raises(ValidationError, match="still on site"):
        judgement_services.factual_accuracy_start(actor=people.leader, event=people.event)


def _publish(people: r.Cast, kind: str) -> Report:
    report = r.draft(people, kind)
    report = services.report_submit_for_qa(
        actor=people.leader, report=report, version=report.version
    )
    report = services.report_qa_approve(actor=people.qa, report=report, version=report.version)
    report = services.report_factual_accuracy_start(
        actor=people.leader, report=report, due_on=r.DUE, version=report.version
    )
    report = services.report_finalise(actor=people.leader, report=report, version=report.version)
    return services.report_publish(actor=people.leader, report=report, version=report.version)


@pytest.mark.rule("SC-1")
def test_the_case_opens_once_when_the_report_carrying_the_weak_judgement_is_published() -> None:
    frameworks_load(actor=None)
    event = h.full_inspection(stage=Stage.FIELDWORK, starts_on=date(2026, 9, 7))
    people = r.cast(event)
    grade(event, people.ofsted, "LM", "requires_improvement")
    Inspection.objects.filter(event=event).update(stage=Stage.MODERATED)  # moderated
    assert not ImprovementCase.objects.exists()
    _publish(people, ReportKind.OFSTED_FINDINGS)  # publishes the inspection's outcome
    case = ImprovementCase.objects.get()
    assert (case.event, case.opened_by.level.slug) == (event, "requires_improvement")
    _publish(people, ReportKind.OFSTED_REPORT)  # the second report of the same outcome
    assert ImprovementCase.objects.get() == case


# 2. What each next step needs, from the start -----------------------------------------


def test_the_report_page_lists_what_each_step_needs_from_the_draft_on(people, client) -> None:
    h.set_stage(people.event, Stage.FIELDWORK)
    report = r.draft(people)
    steps = {needs.step: needs for needs in selectors.report_checklist(report)}
    check = {c.label: c.done for c in steps["Start the factual-accuracy check"].checks}
    assert check == {
        "Quality assurance approval, by someone other than the author": False,
        "The inspection's days on site are over": True,
        "The judgements are moderated": False,
        "A planned publication date is set (RP-3 counts back from it)": True,
    }
    page = _page(client, people.leader, report)
    assert "What each next step needs" in page
    assert "The judgements are moderated" in page
    assert "Quality assurance approval, by someone other than the author" in page
    assert "Every factual-accuracy comment is answered" in page
    h.set_stage(people.event, Stage.MODERATED)
    report = services.report_submit_for_qa(
        actor=people.leader, report=report, version=report.version
    )
    report = services.report_qa_approve(actor=people.qa, report=report, version=report.version)
    steps = {needs.step: needs for needs in selectors.report_checklist(report)}
    assert steps["Start the factual-accuracy check"].ready


def test_the_checklist_counts_the_comments_still_to_answer(people) -> None:
    report = r.at_factual_accuracy(people)
    r.comment(people, report)
    steps = {needs.step: needs for needs in selectors.report_checklist(report)}
    answered = steps["Finalise the report"].checks[1]
    assert (answered.done, answered.detail) == (False, "1 of 1 still to answer.")


def test_after_approval_the_stage_names_the_approval_not_quality_assurance(people, client) -> None:
    report = r.approved(people)
    page = _page(client, people.leader, report)
    assert "Approved by quality assurance: next, the factual-accuracy check" in page
    assert ">Quality assurance</strong>" not in page


def test_the_reason_quality_assurance_gave_is_kept_on_the_report(people, client) -> None:
    report = r.draft(people)
    report = services.report_submit_for_qa(
        actor=people.leader, report=report, version=report.version
    )
    services.report_qa_return(
        actor=people.qa, report=report, reason="Paragraph 2.1 needs its source.", version=None
    )
    saved = Report.objects.get(pk=report.pk)
    assert (saved.qa_returned_reason, saved.qa_returned_by) == (
        "Paragraph 2.1 needs its source.",
        people.qa,
    )
    page = _page(client, people.leader, saved)
    assert "Last sent back by quality assurance" in page
    assert "Paragraph 2.1 needs its source." in page


# 3. The edit form refuses a past planned publication and an empty summary -------------


def test_the_edit_form_refuses_a_past_planned_date_naming_the_field(people, client) -> None:
    report = r.draft(people)
    client.force_login(people.leader)
    url = reverse("reports:edit", kwargs={"pk": report.pk})
    data = {
        "summary": "Changed.",
        "planned_publication_on_day": "1",
        "planned_publication_on_month": "1",
        "planned_publication_on_year": "2020",
        "version": report.version,
    }
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "The planned publication date must be today or in the future" in page
    assert 'href="#id_planned_publication_on' in page
    saved = Report.objects.get(pk=report.pk)
    assert (saved.summary, saved.planned_publication_on) == (report.summary, r.PLANNED)


def test_the_edit_form_refuses_an_empty_summary_naming_the_field(people, client) -> None:
    report = r.draft(people)
    client.force_login(people.leader)
    url = reverse("reports:edit", kwargs={"pk": report.pk})
    response = client.post(url, {"summary": "  ", "version": report.version})
    assert response.status_code == 400
    assert "Enter the summary" in response.content.decode()
    assert response.context["form"].errors["summary"] == ["Enter the summary"]
    assert Report.objects.get(pk=report.pk).summary == report.summary


def test_the_api_refuses_the_same(people) -> None:
    report = r.draft(people)
    leader = client_for(people.leader)
    path = f"/api/v1/reports/{report.pk}/"
    headers = {"If-Match": f'"{report.version}"'}
    past = leader.patch(
        path,
        {"planned_publication_on": "2020-01-01"},
        content_type="application/json",
        headers=headers,
    )
    assert past.status_code == 400
    assert [e["field"] for e in past.json()["errors"]] == ["planned_publication_on"]
    empty = leader.patch(path, {"summary": ""}, content_type="application/json", headers=headers)
    assert empty.status_code == 400
    assert [e["field"] for e in empty.json()["errors"]] == ["summary"]
    assert Report.objects.get(pk=report.pk).version == report.version


# 4. A comment is changed or withdrawn by its author until the team responds ------------


def test_the_author_changes_a_comment_until_the_team_responds(people) -> None:
    report = r.at_factual_accuracy(people)
    made = r.comment(people, report)
    changed = services.comment_update(
        actor=people.local, comment=made, text="It was 63%.", version=made.version
    )
    assert (changed.text, changed.version) == ("It was 63%.", made.version + 1)
    assert Notification.objects.filter(
        recipient=people.leader, subject__contains="paragraph 1.2 changed"
    ).exists()
    with pytest.raises(StaleVersion):
        services.comment_update(
            actor=people.local, comment=made, text="Typed meanwhile.", version=made.version
        )
    with pytest.raises(PermissionDenied):
        services.comment_update(
            actor=people.leader, comment=changed, text="Not mine.", version=changed.version
        )
    services.comment_respond(
        actor=people.leader,
        comment=changed,
        outcome=CommentOutcome.ACCEPTED,
        response="Corrected.",
        version=changed.version,
    )
    answered = FactualAccuracyComment.objects.get(pk=made.pk)
    with pytest.raises(ValidationError, match="has responded"):
        services.comment_update(
            actor=people.local, comment=answered, text="Later.", version=answered.version
        )
    with pytest.raises(ValidationError, match="has responded"):
        services.comment_withdraw(actor=people.local, comment=answered, version=answered.version)
    assert FactualAccuracyComment.objects.get(pk=made.pk).text == "It was 63%."


def test_a_withdrawn_comment_is_kept_audited_and_needs_no_response(people) -> None:
    report = r.at_factual_accuracy(people)
    made = r.comment(people, report)
    withdrawn = services.comment_withdraw(actor=people.local, comment=made, version=made.version)
    assert withdrawn.withdrawn_at is not None
    assert FactualAccuracyComment.pgh_event_model.objects.filter(  # type: ignore[attr-defined]
        pgh_obj_id=made.pk, withdrawn_at__isnull=False
    ).exists()
    with pytest.raises(ValidationError, match="withdrawn"):
        services.comment_respond(
            actor=people.leader,
            comment=withdrawn,
            outcome=CommentOutcome.ACCEPTED,
            response="Corrected.",
            version=withdrawn.version,
        )
    report.refresh_from_db()
    final = services.report_finalise(actor=people.leader, report=report, version=report.version)
    assert final.stage == ReportStage.FINAL


def test_the_establishment_user_changes_and_withdraws_in_the_browser(people, client) -> None:
    report = r.at_factual_accuracy(people)
    made = r.comment(people, report)
    page = _page(client, people.local, report)
    change = reverse("reports:comment-change", kwargs={"pk": made.pk})
    withdraw = reverse("reports:comment-withdraw", kwargs={"pk": made.pk})
    assert change in page
    assert withdraw in page
    assert change not in _page(client, people.leader, report)
    client.force_login(people.local)
    refused = client.post(change, {"text": "", "version": made.version})
    assert refused.status_code == 400
    assert refused.context["form"].errors["text"]
    done = client.post(change, {"text": "It was 64%.", "version": made.version})
    assert done.status_code == 302
    saved = FactualAccuracyComment.objects.get(pk=made.pk)
    assert saved.text == "It was 64%."
    assert client.post(withdraw, {"version": saved.version}).status_code == 302
    assert FactualAccuracyComment.objects.get(pk=made.pk).withdrawn
    assert "Withdrawn" in _page(client, people.local, report)
    assert client.get(change).status_code == 403


def test_the_api_changes_and_withdraws_a_comment_with_if_match(people) -> None:
    report = r.at_factual_accuracy(people)
    made = r.comment(people, report)
    local = client_for(people.local)
    path = f"/api/v1/report-comments/{made.pk}/"
    no_version = local.patch(path, {"text": "x"}, content_type="application/json")
    assert no_version.status_code == 428
    changed = local.patch(
        path,
        {"text": "It was 65%."},
        content_type="application/json",
        headers={"If-Match": f'"{made.version}"'},
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["text"] == "It was 65%."
    other = client_for(people.leader).post(
        f"{path}withdraw/", {}, content_type="application/json", headers={"If-Match": '"2"'}
    )
    assert other.status_code == 403
    withdrawn = local.post(
        f"{path}withdraw/", {}, content_type="application/json", headers={"If-Match": '"2"'}
    )
    assert withdrawn.status_code == 200, withdrawn.content
    assert withdrawn.json()["withdrawn_at"]


def test_the_check_is_not_offered_until_it_can_start(people) -> None:
    h.set_stage(people.event, Stage.FIELDWORK)
    report = r.approved(people)
    assert "factual-accuracy" not in services.report_actions(people.leader, report)
    h.set_stage(people.event, Stage.MODERATED)
    assert "factual-accuracy" in services.report_actions(people.leader, report)


def test_the_check_is_not_offered_while_the_inspection_is_on_site() -> None:
    on_site = r.cast(r.irp_event(starts_on=h.TODAY))
    assert "factual-accuracy" not in services.report_actions(on_site.leader, r.approved(on_site))
