"""Every write of a report's workflow: draft → quality assurance → factual-accuracy check
(RP-3) → final → published.

Each transition checks the actor's role, the report's stage and the version the page was
opened at, refuses with a message naming the problem, writes in one transaction and
notifies the people concerned (in the app now, by e-mail after commit). Starting the check
locks the event's judgements (JG-9) through the inspections app; publishing publishes the
inspection record, freezes the report's HTML and asks for its public PDF.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from inspectorate.accounts.models import User
from inspectorate.accounts.permissions import require, user_has_duty
from inspectorate.accounts.roles import Duty
from inspectorate.inspections.constants import Stage
from inspectorate.inspections.judgements.services import (
    factual_accuracy_start,
    inspection_publish,
    on_site_problem,
)
from inspectorate.inspections.models import Inspection
from inspectorate.lib.versions import locked, saved
from inspectorate.lib.wording import lower_first
from inspectorate.programme.constants import EventKind, TeamRole
from inspectorate.programme.milestones.services import milestones_meet_rule, milestones_recompute
from inspectorate.programme.models import Event, today
from inspectorate.programme.notifications import notify, users_with_duty
from inspectorate.reports import documents, pdf
from inspectorate.reports.constants import (
    EDITABLE_STAGES,
    CommentOutcome,
    ReportKind,
    ReportStage,
)
from inspectorate.reports.house_style import house_style
from inspectorate.reports.models import FactualAccuracyComment, Report

OFSTED_KINDS = frozenset({ReportKind.OFSTED_FINDINGS, ReportKind.OFSTED_REPORT})
HMIP = "HM Inspectorate of Prisons"


# Which reports an event has ------------------------------------------------------------


def kinds_for(event: Event) -> list[ReportKind]:
    """The reports this event produces: an IRP its report; a full inspection with Ofsted the
    Ofsted findings summary and the full Ofsted text (RP-2)."""
    if event.kind == EventKind.IRP:
        return [ReportKind.IRP_REPORT]
    if event.kind == EventKind.FULL_INSPECTION and event.education_inspectorate == "ofsted":
        return [ReportKind.OFSTED_FINDINGS, ReportKind.OFSTED_REPORT]
    return []


# Who speaks for whom --------------------------------------------------------------------
# Who may do what is declared in reports/rules.py.


def _authenticated(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def partner_organisation(user: Any, report: Report) -> str:
    """The partner inspectorate `user` speaks for on this report ('' if none): Ofsted on an
    HMI Prisons report where Ofsted takes part; HMI Prisons on Ofsted's reports."""
    if not _authenticated(user) or user_has_duty(user, Duty.ESTABLISHMENT):
        return ""
    if report.kind in OFSTED_KINDS:
        return HMIP if user_has_duty(user, Duty.HMIP_REPORTING) else ""
    if report.event.education_inspectorate == "ofsted" and user_has_duty(
        user, Duty.OFSTED_REPORTING
    ):
        return "Ofsted"
    return ""


def commenter_organisation(user: Any, report: Report) -> str:
    """Who `user` comments for at the factual-accuracy check ('' if they may not): a user
    of the inspected establishment, or a partner inspectorate that may see the draft."""
    if not _authenticated(user) or report.stage != ReportStage.FACTUAL_ACCURACY:
        return ""
    if user_has_duty(user, Duty.ESTABLISHMENT):
        own = user.establishment_id == report.event.establishment_id
        return report.event.establishment.name if own else ""
    if not Report.objects.visible_to(user).filter(pk=report.pk).exists():
        return ""
    return partner_organisation(user, report)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _require_stage(report: Report, *stages: str, doing: str) -> None:
    if report.stage not in stages:
        wanted = " or ".join(lower_first(ReportStage(stage).label) for stage in stages)
        raise ValidationError(
            f"The report is at the {lower_first(report.get_stage_display())} stage: "
            f"{doing} only at the {wanted} stage."
        )


# Who is told ---------------------------------------------------------------------------


def _url(report: Report) -> str:
    return reverse("reports:detail", kwargs={"pk": report.pk})


def leads_of(event: Event) -> list[User]:
    places = event.team.filter(
        role__in=[TeamRole.TEAM_LEADER, TeamRole.OFSTED_LEAD], inspector__user__is_active=True
    ).select_related("inspector__user")
    return [place.inspector.user for place in places if place.inspector.user is not None]


def _establishment_users(event: Event) -> list[User]:
    return list(User.objects.filter(establishment_id=event.establishment_id, is_active=True))


def _partners(report: Report) -> list[User]:
    """Who hears of the check for the partner inspectorate."""
    if report.kind in OFSTED_KINDS:
        return users_with_duty(Duty.COORDINATES_PROGRAMME)
    if report.event.education_inspectorate == "ofsted":
        return users_with_duty(Duty.SCHEDULES_OFSTED)
    return []


def _tell(people: Iterable[User], report: Report, subject: str, body: str) -> None:
    notify(recipients=people, subject=f"{subject}: {report}", body=body, url=_url(report))


# Drafting ------------------------------------------------------------------------------


def _require_text(value: str, field: str, message: str) -> str:
    if not value.strip():
        raise ValidationError({field: message})
    return value.strip()


def report_create(*, actor: User, event: Event, kind: str, summary: str = "") -> Report:
    """Start a draft report of `kind` for an event with an inspection record."""
    require(
        actor,
        "reports.create",
        event,
        message="Only the event's team leader or Ofsted lead, or a programme coordinator, "
        "starts a report.",
    )
    allowed = kinds_for(event)
    if kind not in allowed:
        names = ", ".join(lower_first(k.label) for k in allowed) or "no report in this service"
        raise ValidationError(
            {"kind": f"An {lower_first(event.get_kind_display())} like this one has {names}."}
        )
    if not Inspection.objects.filter(event=event).exists():
        raise ValidationError(
            {"kind": "The event has no inspection record yet: record the inspection first."}
        )
    with transaction.atomic():
        if Report.objects.filter(event=event, kind=kind).exists():
            raise ValidationError({"kind": f"The event already has its {ReportKind(kind).label}."})
        return Report.objects.create(
            event=event,
            kind=kind,
            summary=summary.strip(),
            created_by=actor,
            house_style_version=house_style(kind, on=today()).name,
        )


def _check_planned(planned: date | None, current: date | None, day: date) -> None:
    """A new planned publication date cannot be in the past; one already set may stay."""
    if planned is not None and planned != current and planned < day:
        message = "The planned publication date must be today or in the future"
        raise ValidationError({"planned_publication_on": message})


def _check_dates(planned: date | None, due: date | None) -> None:
    if planned is not None and due is not None and due >= planned:
        raise ValidationError(
            {
                "planned_publication_on": "The planned publication date must come after the "
                f"factual-accuracy deadline ({due:%-d %B %Y}) (RP-3)."
            }
        )


def report_update(
    *,
    actor: User,
    report: Report,
    summary: str,
    planned_publication_on: date | None,
    version: int | None,
    on: date | None = None,
) -> Report:
    """Change the summary and the planned publication date (`on`, by default today). The
    planned date is the report publication anchor: the RP-3 deadline counts back from it."""
    require(actor, "reports.write", report, message="Only the event's leads edit its reports.")
    summary = _require_text(summary, "summary", "Enter the summary")
    with transaction.atomic():
        current = locked(Report, report.pk, version)
        _require_stage(current, *EDITABLE_STAGES, doing="the report is edited")
        _check_planned(planned_publication_on, current.planned_publication_on, on or today())
        _check_dates(planned_publication_on, current.factual_accuracy_due_on)
        moved = planned_publication_on != current.planned_publication_on
        current = saved(
            current, summary=summary.strip(), planned_publication_on=planned_publication_on
        )
        if moved:
            milestones_recompute(event=current.event, actor=actor)
    return current


# Quality assurance -----------------------------------------------------------------------


def report_submit_for_qa(*, actor: User, report: Report, version: int | None) -> Report:
    """The draft goes to quality assurance."""
    require(actor, "reports.write", report, message="Only the event's leads submit the report.")
    with transaction.atomic():
        current = locked(Report, report.pk, version)
        _require_stage(current, ReportStage.DRAFT, doing="a report is submitted for review")
        if not current.summary.strip():
            raise ValidationError({"summary": "Write the summary before quality assurance."})
        current = saved(
            current,
            stage=ReportStage.QUALITY_ASSURANCE,
            submitted_for_qa_by=actor,
            submitted_for_qa_at=timezone.now(),
            qa_approved_by=None,
            qa_approved_at=None,
        )
        _tell(
            users_with_duty(Duty.ASSURES_QUALITY),
            current,
            "Report for quality assurance",
            f"{actor.get_full_name()} submitted the draft for quality assurance.",
        )
    return current


def _require_reviewer(actor: User, report: Report) -> None:
    require(actor, "reports.review", report, message="Only quality assurance reviews a report.")


def report_qa_approve(*, actor: User, report: Report, version: int | None) -> Report:
    """Quality assurance approves the draft: someone other than who submitted it."""
    _require_reviewer(actor, report)
    with transaction.atomic():
        current = locked(Report, report.pk, version)
        _require_stage(current, ReportStage.QUALITY_ASSURANCE, doing="a report is approved")
        if current.qa_approved_at is not None:
            raise ValidationError("Quality assurance has already approved this report.")
        if current.submitted_for_qa_by_id == actor.pk:
            raise ValidationError(
                "Quality assurance is someone other than who submitted the report."
            )
        current = saved(current, qa_approved_by=actor, qa_approved_at=timezone.now())
        _tell(
            leads_of(current.event),
            current,
            "Report approved by quality assurance",
            f"{actor.get_full_name()} approved the draft. The factual-accuracy check can start.",
        )
    return current


def report_qa_return(*, actor: User, report: Report, reason: str, version: int | None) -> Report:
    """Quality assurance sends the draft back to its authors, saying why."""
    _require_reviewer(actor, report)
    text = _require_text(reason, "reason", "Say what needs to change")
    with transaction.atomic():
        current = locked(Report, report.pk, version)
        _require_stage(current, ReportStage.QUALITY_ASSURANCE, doing="a report is sent back")
        current = saved(
            current,
            stage=ReportStage.DRAFT,
            qa_approved_by=None,
            qa_approved_at=None,
            qa_returned_reason=text,
            qa_returned_by=actor,
            qa_returned_at=timezone.now(),
        )
        _tell(leads_of(current.event), current, "Report sent back by quality assurance", text)
    return current


# The factual-accuracy check (RP-3) ------------------------------------------------------


def _lock_judgements(actor: User, event: Event, on: date) -> None:
    """JG-9: from the check on, a judgement changes only by a recorded factual correction.
    The event's other report may have started the check already."""
    stage = Inspection.objects.filter(event=event).values_list("stage", flat=True).first()
    if stage in (Stage.FACTUAL_ACCURACY, Stage.PUBLISHED):
        return
    factual_accuracy_start(actor=actor, event=event, on=on)


def report_factual_accuracy_start(
    *, actor: User, report: Report, due_on: date, version: int | None, on: date | None = None
) -> Report:
    """The approved draft goes to the establishment and partners, who comment until
    `due_on` (the RP-3 deadline); the event's judgements lock (JG-9)."""
    require(
        actor,
        "reports.manage",
        report,
        message="Only the event's leads or programme staff start the factual-accuracy check.",
    )
    start = on or today()
    with transaction.atomic():
        current = locked(Report, report.pk, version)
        _require_stage(
            current, ReportStage.QUALITY_ASSURANCE, doing="the factual-accuracy check starts"
        )
        if current.qa_approved_at is None:
            raise ValidationError("Quality assurance has not approved the report yet.")
        on_site = on_site_problem(current.event, "The factual-accuracy check can start", start)
        if on_site:
            raise ValidationError(f"{on_site}.")
        if current.planned_publication_on is None:
            raise ValidationError(
                {"due_on": "Set the planned publication date first: RP-3 counts back from it."}
            )
        if due_on < start:
            raise ValidationError({"due_on": "The deadline cannot be before the check starts."})
        _check_dates(current.planned_publication_on, due_on)
        _lock_judgements(actor, current.event, start)
        current = saved(
            current,
            stage=ReportStage.FACTUAL_ACCURACY,
            factual_accuracy_from=start,
            factual_accuracy_due_on=due_on,
        )
        milestones_recompute(event=current.event, actor=actor)
        _tell(
            [*_establishment_users(current.event), *_partners(current), *leads_of(current.event)],
            current,
            "Draft report for factual-accuracy check",
            "The draft report is ready for its factual-accuracy check. Comment on any "
            f"paragraph by {due_on:%-d %B %Y} (RP-3).",
        )
    return current


def paragraphs_of(report: Report) -> list[str]:
    """The numbered paragraphs of the report's document."""
    return list(documents.paragraph_numbers(report))


def comment_submit(
    *, actor: User, report: Report, paragraph: str, text: str, proposed_text: str = ""
) -> FactualAccuracyComment:
    """A comment on one numbered paragraph, from the inspected establishment or a partner
    inspectorate, while the check is open (RP-3)."""
    with transaction.atomic():
        current = locked(Report, report.pk, None)
        _require_stage(current, ReportStage.FACTUAL_ACCURACY, doing="comments are made")
        organisation = commenter_organisation(actor, current)
        _require(
            bool(organisation),
            "Only users of the inspected establishment and partner inspectorates comment.",
        )
        paragraph = paragraph.strip()
        if paragraph not in paragraphs_of(current):
            raise ValidationError(
                {"paragraph": f"There is no paragraph {paragraph or '(none given)'} in the report."}
            )
        body = _require_text(text, "text", "Enter your comment")
        comment = FactualAccuracyComment.objects.create(
            report=current,
            paragraph=paragraph,
            text=body,
            proposed_text=proposed_text.strip(),
            author=actor,
            organisation=organisation,
        )
        _tell(
            leads_of(current.event),
            current,
            f"Factual-accuracy comment on paragraph {paragraph}",
            f"{organisation}: {body}",
        )
    return comment


def comment_respond(
    *,
    actor: User,
    comment: FactualAccuracyComment,
    outcome: str,
    response: str,
    version: int | None,
) -> FactualAccuracyComment:
    """The leads answer a comment: accepted, partly accepted or not, and why."""
    report = comment.report
    require(actor, "reports.write", report, message="Only the event's leads answer comments.")
    if outcome not in CommentOutcome.values:
        raise ValidationError({"outcome": "Choose whether the comment is accepted"})
    text = _require_text(response, "response", "Enter the response to the comment")
    with transaction.atomic():
        current = locked(FactualAccuracyComment, comment.pk, version)
        _require_stage(current.report, ReportStage.FACTUAL_ACCURACY, doing="comments are answered")
        if current.withdrawn:
            raise ValidationError("The comment was withdrawn by its author: it needs no response.")
        current = saved(
            current,
            outcome=outcome,
            response=text,
            responded_by=actor,
            responded_at=timezone.now(),
        )
        _tell(
            [current.author],
            current.report,
            f"Response to your comment on paragraph {current.paragraph}",
            f"{current.get_outcome_display()}. {text}",
        )
    return current


def _changeable(
    actor: User, comment: FactualAccuracyComment, version: int | None
) -> FactualAccuracyComment:
    require(
        actor,
        "reports.change_own_comment",
        comment,
        message="Only the person who sent a comment changes or withdraws it.",
    )
    current = locked(FactualAccuracyComment, comment.pk, version)
    _require_stage(current.report, ReportStage.FACTUAL_ACCURACY, doing="comments are changed")
    if current.withdrawn:
        raise ValidationError("The comment has already been withdrawn.")
    if current.answered:
        raise ValidationError(
            "The inspection team has responded to the comment: it can no longer be changed "
            "or withdrawn."
        )
    return current


def comment_update(
    *,
    actor: User,
    comment: FactualAccuracyComment,
    text: str,
    proposed_text: str = "",
    version: int | None,
) -> FactualAccuracyComment:
    """The author changes a comment before the team responds to it."""
    body = _require_text(text, "text", "Enter your comment")
    with transaction.atomic():
        current = _changeable(actor, comment, version)
        current = saved(current, text=body, proposed_text=proposed_text.strip())
        _tell(
            leads_of(current.report.event),
            current.report,
            f"Factual-accuracy comment on paragraph {current.paragraph} changed",
            f"{current.organisation}: {body}",
        )
    return current


def comment_withdraw(
    *, actor: User, comment: FactualAccuracyComment, version: int | None
) -> FactualAccuracyComment:
    """The author withdraws a comment before the team responds: it is kept, marked
    withdrawn, and needs no response."""
    with transaction.atomic():
        current = _changeable(actor, comment, version)
        current = saved(current, withdrawn_at=timezone.now())
        _tell(
            leads_of(current.report.event),
            current.report,
            f"Factual-accuracy comment on paragraph {current.paragraph} withdrawn",
            f"{current.organisation} withdrew the comment: it needs no response.",
        )
    return current


def report_finalise(*, actor: User, report: Report, version: int | None) -> Report:
    """The check closes once every comment is answered: the report is final and RP-3 met."""
    require(actor, "reports.write", report, message="Only the event's leads finalise the report.")
    with transaction.atomic():
        current = locked(Report, report.pk, version)
        _require_stage(current, ReportStage.FACTUAL_ACCURACY, doing="a report is finalised")
        open_paragraphs = list(
            current.comments.filter(outcome="", withdrawn_at__isnull=True).values_list(
                "paragraph", flat=True
            )
        )
        if open_paragraphs:
            raise ValidationError(
                f"{len(open_paragraphs)} comment(s) still need a response (paragraphs "
                f"{', '.join(open_paragraphs)}): answer every comment before finalising."
            )
        current = saved(current, stage=ReportStage.FINAL, finalised_at=timezone.now())
        milestones_meet_rule(event=current.event, rule_id="RP-3", actor=actor)
        _tell(
            [*users_with_duty(Duty.COORDINATES_PROGRAMME), *leads_of(current.event)],
            current,
            "Report final",
            "The factual-accuracy check is closed (RP-3): the report can be published.",
        )
    return current


# Publication -----------------------------------------------------------------------------


def _publish_inspection(actor: User, event: Event, on: date) -> None:
    stage = Inspection.objects.filter(event=event).values_list("stage", flat=True).first()
    if stage == Stage.FACTUAL_ACCURACY:
        inspection_publish(actor=actor, event=event, published_on=on)


def report_publish(
    *, actor: User, report: Report, version: int | None, on: date | None = None
) -> Report:
    """Publish the final report: its HTML is frozen as published, the inspection record is
    published, and the public PDF is asked for."""
    require(
        actor,
        "reports.manage",
        report,
        message="Only the event's leads or programme staff publish the report.",
    )
    day = on or today()
    with transaction.atomic():
        current = locked(Report, report.pk, version)
        _require_stage(current, ReportStage.FINAL, doing="a report is published")
        current.stage = ReportStage.PUBLISHED
        current.published_on = day
        if current.planned_publication_on is None:
            current.planned_publication_on = day
        # Published in the house style in force today, and it records which (RP-7).
        current.house_style_version = house_style(current.kind, on=day).name
        current.published_html = documents.document_html(current)
        current = saved(current)
        _publish_inspection(actor, current.event, day)
        pdf.render_request(actor=actor, report=current)
        _tell(
            [*_establishment_users(current.event), *leads_of(current.event)],
            current,
            "Report published",
            f"The report was published on {day:%-d %B %Y}.",
        )
    return current


# What a user may do next -----------------------------------------------------------------

# The steps a report's page offers, each the permission its service grants at this stage.
ACTIONS = {
    "edit": "reports.edit",
    "submit": "reports.submit",
    "qa-approve": "reports.approve",
    "qa-return": "reports.return_draft",
    "factual-accuracy": "reports.start_factual_accuracy",
    "comment": "reports.comment",
    "respond": "reports.respond_to_comments",
    "finalise": "reports.finalise",
    "publish": "reports.publish",
}


def report_actions(user: Any, report: Report) -> set[str]:
    """The steps `user` may take now: edit, submit, qa-approve, qa-return,
    factual-accuracy, comment, respond, finalise, publish."""
    if not _authenticated(user):
        return set()
    return {action for action, name in ACTIONS.items() if user.has_perm(name, report)}
