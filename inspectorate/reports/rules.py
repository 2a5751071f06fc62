"""Who may do what with reports and letter templates (django-rules).

Reading a report is decided by `Report.objects.visible_to(user)` alone; these rules decide who
writes it and takes it through its workflow: the event's leads (its HMI Prisons team leader
and Ofsted or Estyn lead inspector) write it, quality assurance reviews it, and the leads or
the staff who publish reports start the factual-accuracy check (RP-3) and publish it. Each
step's permission holds only at the stage the step is taken at, so what a page offers is
exactly what its service permits.
"""

from __future__ import annotations

from typing import Any

import rules
from rules.predicates import Predicate

from inspectorate.accounts.permissions import (
    condition,
    grant,
    has_duty,
    is_users,
    permission,
    permissions,
)
from inspectorate.accounts.roles import Duty
from inspectorate.inspections.constants import Stage
from inspectorate.inspections.judgements.services import on_site_problem
from inspectorate.inspections.models import Inspection
from inspectorate.inspections.rules import leads_event_of
from inspectorate.programme.models import Event
from inspectorate.reports.constants import EDITABLE_STAGES, ReportStage
from inspectorate.reports.models import FactualAccuracyComment, Report, ReportRender, report_filter
from inspectorate.reports.services import commenter_organisation, kinds_for


def _event_of(target: Any) -> Event | None:
    if isinstance(target, Report):
        return target.event
    if isinstance(target, Event):
        return target
    return None


def _at(target: Any, *stages: str) -> bool:
    return isinstance(target, Report) and target.stage in stages


# The event ----------------------------------------------------------------------------------


leads_the_event = leads_event_of(
    _event_of,
    "leads_the_event",
    "The user leads the event (of the report): its team leader or Ofsted or Estyn lead.",
)


@rules.predicate
def has_report_kinds(user: Any, event: Any) -> bool:
    """The event produces reports: an IRP, or a full inspection with Ofsted (RP-2)."""
    return isinstance(event, Event) and bool(kinds_for(event))


@rules.predicate
def sees_a_report_of_the_event(user: Any, event: Any) -> bool:
    """The user sees one of the event's reports (`Report.objects.visible_to`)."""
    return isinstance(event, Event) and Report.objects.visible_to(user).filter(event=event).exists()


@rules.predicate
def is_ready_for_the_check(user: Any, report: Any) -> bool:
    """The event's fieldwork is over and its judgements moderated (or locked already).

    The event's other report may have locked them by starting its own check."""
    event = _event_of(report)
    if event is None or on_site_problem(event, "The check can start"):
        return False
    stage = Inspection.objects.filter(event=event).values_list("stage", flat=True).first()
    return stage in (Stage.MODERATED, Stage.FACTUAL_ACCURACY, Stage.PUBLISHED)


# The report's stage -------------------------------------------------------------------------


def at_stage(name: str, doc: str, *stages: str) -> Predicate:
    """A condition: the object is a report at one of `stages`."""

    def test(user: Any, report: Any) -> bool:
        return _at(report, *stages)

    return condition(test, name, doc)


is_editable = at_stage(
    "is_editable",
    "The report is a draft, at its factual-accuracy check, or final.",
    *EDITABLE_STAGES,
)
is_draft = at_stage("is_draft", "The report is a draft.", ReportStage.DRAFT)
is_under_review = at_stage(
    "is_under_review", "The report is at quality assurance.", ReportStage.QUALITY_ASSURANCE
)
is_at_factual_accuracy = at_stage(
    "is_at_factual_accuracy",
    "The report is at its factual-accuracy check (RP-3).",
    ReportStage.FACTUAL_ACCURACY,
)
is_final = at_stage(
    "is_final", "The report is final: its factual-accuracy check is closed.", ReportStage.FINAL
)


@rules.predicate
def awaits_approval_by_another(user: Any, report: Any) -> bool:
    """Quality assurance has not approved the report yet, and the user did not submit it."""
    return (
        isinstance(report, Report)
        and report.qa_approved_at is None
        and report.submitted_for_qa_by_id != user.pk
    )


@rules.predicate
def is_approved_under_review(user: Any, report: Any) -> bool:
    """The report is at quality assurance, and approved."""
    return _at(report, ReportStage.QUALITY_ASSURANCE) and report.qa_approved_at is not None


@rules.predicate
def comments_for_an_organisation(user: Any, report: Any) -> bool:
    """The user comments for the inspected establishment or a partner that sees the draft.

    Only at the factual-accuracy check (RP-3): `services.commenter_organisation`."""
    return isinstance(report, Report) and bool(commenter_organisation(user, report))


@rules.predicate
def reads_the_report_as_it_stood(user: Any, render: Any) -> bool:
    """The user could read the report at the stage the PDF was made at (its visible_to).

    `report_filter`, the condition of `Report.objects.visible_to`, judged at the PDF's stage:
    the list of reports and a PDF's download can never disagree."""
    if not isinstance(render, ReportRender):
        return False
    condition = report_filter(user, prefix="report__", stage_field="stage")
    return condition is not None and ReportRender.objects.filter(condition, pk=render.pk).exists()


# Comments -------------------------------------------------------------------------------------


wrote_the_comment = is_users(
    FactualAccuracyComment, "author_id", "wrote_the_comment", "The user sent the comment."
)


@rules.predicate
def is_changeable_comment(user: Any, comment: Any) -> bool:
    """The comment is neither withdrawn nor answered, and its report's check is open."""
    return (
        isinstance(comment, FactualAccuracyComment)
        and comment.open
        and comment.report.stage == ReportStage.FACTUAL_ACCURACY
    )


# Permissions ----------------------------------------------------------------------------------

starts_reports = has_duty(Duty.STARTS_REPORTS)

# With the event as the object.
permission(
    "reports.create",
    grant(when=leads_the_event),
    grant(Duty.STARTS_REPORTS),
    text="Start one of the event's reports.",
)
permission(
    "reports.see_report_tab",
    grant(
        when=sees_a_report_of_the_event | (has_report_kinds & (leads_the_event | starts_reports))
    ),
    text="See the event's Report tab: anyone who sees one of its reports, or may start one.",
)

# With the report as the object: who, whatever its stage (the services' refusals).
permission(
    "reports.write",
    grant(when=leads_the_event),
    text="Write the report: edit it, submit it, answer comments and finalise it.",
)
# The event's leads, and the staff who publish reports.
REPORT_MANAGERS = (grant(when=leads_the_event), grant(Duty.PUBLISHES_REPORTS))
permission(
    "reports.manage",
    *REPORT_MANAGERS,
    rule_ids=("RP-3",),
    text="Start the report's factual-accuracy check and publish it.",
)
permission("reports.review", grant(Duty.ASSURES_QUALITY), text="Approve a draft or send it back.")

# With the report as the object: the steps it offers now (what its page shows).
permission(
    "reports.edit",
    grant(when=is_editable & leads_the_event),
    text="Edit the report's text and its other parts now.",
)
permission(
    "reports.submit",
    grant(when=is_draft & leads_the_event),
    text="Submit the draft for quality assurance now.",
)
permission(
    "reports.approve",
    grant(Duty.ASSURES_QUALITY, when=is_under_review & awaits_approval_by_another),
    text="Approve the draft at quality assurance now.",
)
permission(
    "reports.return_draft",
    grant(Duty.ASSURES_QUALITY, when=is_under_review),
    text="Send the draft back to its authors now.",
)
permission(
    "reports.start_factual_accuracy",
    *REPORT_MANAGERS,
    provided=is_approved_under_review & is_ready_for_the_check,
    rule_ids=("RP-3", "JG-9"),
    text="Start the factual-accuracy check now.",
)
permission(
    "reports.comment",
    grant(when=comments_for_an_organisation),
    rule_ids=("RP-3",),
    text="Comment on a paragraph at the factual-accuracy check.",
)
permissions(
    "reports",
    grant(when=is_at_factual_accuracy & leads_the_event),
    rule_ids=("RP-3",),
    respond_to_comments="Answer the factual-accuracy comments now.",
    finalise="Close the factual-accuracy check now: the report is final.",
)
permission(
    "reports.publish",
    *REPORT_MANAGERS,
    provided=is_final,
    text="Publish the final report now.",
)

# With a PDF of the report (a ReportRender) as the object.
permission(
    "reports.read_draft",
    grant(when=reads_the_report_as_it_stood),
    text="Download the PDF of a draft: as the report could be read at the PDF's stage.",
)

# With a factual-accuracy comment as the object.
permission(
    "reports.change_own_comment",
    grant(when=wrote_the_comment),
    rule_ids=("RP-3",),
    text="Change or withdraw a comment one sent (refused later if answered or withdrawn).",
)
permission(
    "reports.change_comment",
    grant(when=wrote_the_comment & is_changeable_comment),
    rule_ids=("RP-3",),
    text="Change or withdraw one's comment now: until the team responds, while the check is open.",
)

# Letters.
permission(
    "reports.edit_letter_templates",
    grant(Duty.EDITS_LETTER_TEMPLATES),
    text="Read and change the letter templates.",
)
