"""The demo's reports at HMP/YOI Pentonville, written through the workflow's services as the
people on the teams:

- the full inspection's Ofsted report (November 2025), checked for factual accuracy in
  January 2026 and published on 10 February 2026;
- the IRP's report (October 2026), checked and published, with its frozen snapshot;
- the full inspection's Ofsted findings summary at its factual-accuracy check now, with one
  comment from the prison (sign in as `pentonville`) awaiting the leads' response.

Idempotent: a report that exists is left as it is.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import NamedTuple

from django.db import transaction

from inspectorate.accounts.models import User
from inspectorate.accounts.roles import Role
from inspectorate.estate.models import Establishment
from inspectorate.inspections import demo_content as content
from inspectorate.inspections.models import Inspection
from inspectorate.programme.constants import EventKind, TeamRole
from inspectorate.programme.demo_clock import at, happened_at
from inspectorate.programme.models import Event, today
from inspectorate.reports import services
from inspectorate.reports.constants import CommentOutcome, ReportKind
from inspectorate.reports.models import FactualAccuracyComment, Report

ESTABLISHMENT_USER = ("pentonville", "Joanne", "Reid")


class CheckDates(NamedTuple):
    """A report's factual-accuracy check: when it starts, its deadline, and publication."""

    checked_from: date
    due: date
    planned: date


IRP_DATES = CheckDates(date(2026, 11, 2), date(2026, 11, 13), date(2026, 11, 24))
OFSTED_REPORT_DATES = CheckDates(
    content.FACTUAL_ACCURACY_FROM, date(2026, 1, 23), content.FULL_INSPECTION_PUBLISHED_ON
)

OFSTED_REPORT_SUMMARY = (
    "Leaders had not ensured that enough prisoners took part in education, skills and work. "
    "Too many prisoners spent most of the day locked in their cells, and attendance at "
    "allocated sessions was low.\n\n"
    "Where prisoners attended, teaching was mostly well planned, and the peer mentors in the "
    "reading strategy supported learners well."
)
IRP_SUMMARY = (
    "At this review, we found that leaders had made reasonable progress against most of the "
    "recommendations we followed up. Time out of cell had improved, but the regime remained "
    "fragile on some wings.\n\n"
    "Ofsted found that attendance at education had risen and that the reading strategy was "
    "now reaching the prisoners who needed it most."
)
FINDINGS_SUMMARY = (
    "Purposeful activity: prisoners did not have enough time out of their cells to take part "
    "in education, skills and work, and too few were allocated to activities."
)
COMMENT = (
    "The allocation figure in this paragraph is from September; by the end of the inspection "
    "82% of prisoners had an allocated activity.",
    "By the end of the inspection, 82% of prisoners had an allocated activity.",
)


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _event(kind: str, starts_on: date) -> Event | None:
    return Event.objects.filter(
        establishment__code=content.ESTABLISHMENT_CODE, kind=kind, starts_on=starts_on
    ).first()


def _lead(event: Event, role: str) -> User | None:
    place = event.team.select_related("inspector__user").filter(role=role).first()
    return place.inspector.user if place else None


def _establishment_user() -> User:
    username, first, last = ESTABLISHMENT_USER
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{first}.{last}@demo.inspectorate.invalid".lower(),
            "roles": [Role.ESTABLISHMENT_USER.value],
            "establishment": Establishment.objects.get(code=content.ESTABLISHMENT_CODE),
        },
    )
    if created:
        from inspectorate.shell.demo import DEMO_PASSWORD

        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _to_check(
    event: Event, kind: str, lead: User, summary: str, dates: CheckDates
) -> Report | None:
    """A report written, approved by quality assurance and sent for its check, each step on
    its own day before the check starts (the notifications and time stamps say so); None
    when `event` already has a report of `kind` (left as it is)."""
    if Report.objects.filter(event=event, kind=kind).exists():
        return None
    checked_from, due, planned = dates
    written = at(checked_from - timedelta(days=21), 10)
    with happened_at(written):
        report = services.report_create(actor=lead, event=event, kind=kind)
        report = services.report_update(
            actor=lead,
            report=report,
            summary=summary,
            planned_publication_on=planned,
            version=report.version,
            on=checked_from,
        )
    submitted = at(checked_from - timedelta(days=14), 16)
    with happened_at(submitted):
        report = services.report_submit_for_qa(actor=lead, report=report, version=report.version)
    approved = at(checked_from - timedelta(days=7), 11)
    with happened_at(approved):
        report = services.report_qa_approve(
            actor=_user("qa"), report=report, version=report.version
        )
    with happened_at(at(checked_from, 9)):
        report = services.report_factual_accuracy_start(
            actor=lead, report=report, due_on=due, version=report.version, on=checked_from
        )
    Report.objects.filter(pk=report.pk).update(
        created_at=written, submitted_for_qa_at=submitted, qa_approved_at=approved
    )
    report.refresh_from_db()
    return report


def _publish(report: Report, lead: User, on: date) -> Report:
    finalised = at(on - timedelta(days=7), 15)
    with happened_at(finalised):
        report = services.report_finalise(actor=lead, report=report, version=report.version)
    with happened_at(at(on, 9, 30)):
        report = services.report_publish(actor=lead, report=report, version=report.version, on=on)
    Report.objects.filter(pk=report.pk).update(finalised_at=finalised)
    report.refresh_from_db()
    return report


def _comment_dated(comment: FactualAccuracyComment, submitted: datetime) -> None:
    FactualAccuracyComment.objects.filter(pk=comment.pk).update(submitted_at=submitted)


def _ofsted_report(full: Event, lead: User) -> None:
    report = _to_check(
        full, ReportKind.OFSTED_REPORT, lead, OFSTED_REPORT_SUMMARY, OFSTED_REPORT_DATES
    )
    if report is not None:
        _publish(report, lead, OFSTED_REPORT_DATES.planned)


def _irp_report(review: Event, lead: User, local: User) -> None:
    report = _to_check(review, ReportKind.IRP_REPORT, lead, IRP_SUMMARY, IRP_DATES)
    if report is None:
        return
    paragraph = services.paragraphs_of(report)[0]
    submitted = at(IRP_DATES.checked_from + timedelta(days=3), 11)
    with happened_at(submitted):
        comment = services.comment_submit(
            actor=local, report=report, paragraph=paragraph, text="The wing names are out of date."
        )
    responded = at(IRP_DATES.checked_from + timedelta(days=6), 15)
    with happened_at(responded):
        services.comment_respond(
            actor=lead,
            comment=comment,
            outcome=CommentOutcome.ACCEPTED,
            response="Corrected to the current wing names.",
            version=comment.version,
        )
    _comment_dated(comment, submitted)
    FactualAccuracyComment.objects.filter(pk=comment.pk).update(responded_at=responded)
    report.refresh_from_db()
    _publish(report, lead, IRP_DATES.planned)


def _findings_at_check(full: Event, lead: User, local: User) -> None:
    day = today()
    dates = CheckDates(day, due=day + timedelta(days=14), planned=day + timedelta(days=28))
    report = _to_check(full, ReportKind.OFSTED_FINDINGS, lead, FINDINGS_SUMMARY, dates)
    if report is None:
        return
    paragraphs = services.paragraphs_of(report)
    text, proposed = COMMENT
    submitted = at(day, 14)
    with happened_at(submitted):
        comment = services.comment_submit(
            actor=local,
            report=report,
            paragraph=paragraphs[min(1, len(paragraphs) - 1)],
            text=text,
            proposed_text=proposed,
        )
    _comment_dated(comment, submitted)


def demo_reports_load() -> int:
    """Load the demo's reports; return how many reports there are."""
    full = _event(EventKind.FULL_INSPECTION, content.FULL_INSPECTION_STARTS_ON)
    review = _event(EventKind.IRP, content.IRP_STARTS_ON)
    if full is None or not Inspection.objects.filter(event=full).exists():
        return Report.objects.count()
    with transaction.atomic():
        local = _establishment_user()
        ofsted = _lead(full, TeamRole.OFSTED_LEAD) or _user("ofstedlead")
        _ofsted_report(full, ofsted)
        if review is not None and Inspection.objects.filter(event=review).exists():
            leader = _lead(review, TeamRole.TEAM_LEADER)
            if leader is not None:
                _irp_report(review, leader, local)
        _findings_at_check(full, ofsted, local)
    return Report.objects.count()
