"""Reports and their workflow: draft → quality assurance → factual-accuracy check →
final → published (RP-3), comments per paragraph from the inspected body and partners,
PDF renders made by a background task, and the letter templates an administrator edits.

Who sees a report (`Report.objects.visible_to`): anyone, once published (the public
pages); before that, the event's team, quality assurance and programme staff; the users of
the inspected establishment only at the factual-accuracy stage, and only their own.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from inspectorate.accounts.permissions import user_has_duty
from inspectorate.accounts.roles import Duty
from inspectorate.audit.tracking import audited
from inspectorate.lib.models import ConditionQuerySet, Versioned, optional_link, user_link
from inspectorate.programme.models import Event
from inspectorate.reports.constants import (
    CommentOutcome,
    LetterKind,
    RenderStatus,
    ReportKind,
    ReportStage,
)


def report_filter(user: Any, prefix: str = "", stage_field: str = "") -> Q | None:
    """The reports `user` may read, as a condition on Report (through `prefix`). None means
    none; an empty Q means all. `stage_field` names the stage to judge by, if not the
    report's own: a PDF is read as the report stood at the stage it was made at."""
    stage = stage_field or f"{prefix}stage"
    published = Q(**{stage: ReportStage.PUBLISHED})
    if not getattr(user, "is_authenticated", False):
        return published
    if user_has_duty(user, Duty.READS_ALL_FINDINGS):
        return Q()
    if user_has_duty(user, Duty.ESTABLISHMENT):
        own = Q(**{f"{prefix}event__establishment_id": user.establishment_id})
        checking = Q(**{stage: ReportStage.FACTUAL_ACCURACY})
        return published | (own & checking)
    if user_has_duty(user, Duty.STAFF):
        return published | Q(**{f"{prefix}event__team__inspector__user": user})
    return published


class ReportQuerySet(ConditionQuerySet["Report"]):
    def visible_to(self, user: Any) -> ReportQuerySet:
        return self.meeting(report_filter(user))

    def published(self) -> ReportQuerySet:
        return self.filter(stage=ReportStage.PUBLISHED)


@audited()
class Report(Versioned):
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="reports")
    kind = models.CharField(max_length=30, choices=ReportKind)
    stage = models.CharField(max_length=30, choices=ReportStage, default=ReportStage.DRAFT)
    summary = models.TextField(
        blank=True, help_text="The Chief Inspector's summary (IRP) or the findings summary."
    )
    planned_publication_on = models.DateField(
        null=True, blank=True, help_text="The RP-3 factual-accuracy deadline counts back from it."
    )
    factual_accuracy_from = models.DateField(null=True, blank=True)
    factual_accuracy_due_on = models.DateField(null=True, blank=True)
    submitted_for_qa_by = user_link(optional=True)
    submitted_for_qa_at = models.DateTimeField(null=True, blank=True)
    qa_approved_by = user_link(optional=True)
    qa_approved_at = models.DateTimeField(null=True, blank=True)
    # Why quality assurance last sent the draft back, kept on the report for its authors.
    qa_returned_reason = models.TextField(blank=True)
    qa_returned_by = user_link(optional=True)
    qa_returned_at = models.DateTimeField(null=True, blank=True)
    finalised_at = models.DateTimeField(null=True, blank=True)
    published_on = models.DateField(null=True, blank=True)
    # The report as published, frozen: later edits to the record do not change it.
    published_html = models.TextField(blank=True)
    house_style_version = models.CharField(
        max_length=60,
        blank=True,
        help_text="The house style it was generated with, such as 'irp_report 2026.1' (RP-7).",
    )
    created_by = user_link()
    created_at = models.DateTimeField(default=timezone.now)
    # The report's editable parts (reports/parts.py); blank or null means the default from
    # reports/data/report_parts.json.
    signatory = models.CharField(
        max_length=200, blank=True, help_text="Who signs the summary: the Chief Inspector's name."
    )
    report_month = models.DateField(
        null=True,
        blank=True,
        help_text="The month the report gives (the 1st of it): under the summary, in titles.",
    )
    about_text = models.TextField(blank=True, help_text="The 'About this report' paragraphs.")
    # [{"member": TeamMember pk} or {"name": ..., "role": ..., "organisation": ...}], in order.
    team_order = models.JSONField(default=list, blank=True)
    # [[term, definition], ...]; null until edited: the default terms the text uses.
    glossary = models.JSONField(null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "kind"], name="one_report_of_a_kind_per_event"
            ),
            models.CheckConstraint(
                name="report_month_is_a_first_of_the_month",
                condition=Q(report_month__isnull=True) | Q(report_month__day=1),
                violation_error_message="The report's month is stored as its first day.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.event}"

    @property
    def month(self) -> date:
        """The report's month (its first day): as set, else the planned publication's, else
        the month the event ends in."""
        if self.report_month is not None:
            return self.report_month
        day = self.planned_publication_on or self.event.ends_on
        return day.replace(day=1)

    @property
    def stage_label(self) -> str:
        """The stage in words: an approved draft is no longer under review."""
        if self.stage == ReportStage.QUALITY_ASSURANCE and self.qa_approved_at is not None:
            return "Approved by quality assurance: next, the factual-accuracy check"
        return self.get_stage_display()


class CommentQuerySet(models.QuerySet["FactualAccuracyComment"]):
    def visible_to(self, user: Any) -> CommentQuerySet:
        """Those who could read the draft during its check read its comments, at every stage:
        publishing the report does not publish them."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user_has_duty(user, Duty.READS_ALL_FINDINGS):
            return self
        if user_has_duty(user, Duty.ESTABLISHMENT):
            # Their own establishment's comments, whatever stage the report has reached.
            return self.filter(report__event__establishment_id=user.establishment_id)
        if user_has_duty(user, Duty.STAFF):
            return self.filter(report__event__team__inspector__user=user).distinct()
        return self.none()


@audited()
class FactualAccuracyComment(Versioned):
    """A comment on one paragraph of a draft at its factual-accuracy check (RP-3), and the
    inspectorate's response to it."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="comments")
    paragraph = models.CharField(
        max_length=30, help_text="The paragraph the comment is about, for example '3.2'."
    )
    text = models.TextField()
    proposed_text = models.TextField(blank=True)
    author = user_link()
    organisation = models.CharField(max_length=200)
    submitted_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=30, choices=CommentOutcome, blank=True)
    response = models.TextField(blank=True)
    responded_by = user_link(optional=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    # Its author may withdraw it until the team responds; it is kept, marked withdrawn.
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["submitted_at", "pk"]

    def __str__(self) -> str:
        return f"Comment on paragraph {self.paragraph}"

    @property
    def answered(self) -> bool:
        return bool(self.outcome)

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def open(self) -> bool:
        """Still waiting for the team's response."""
        return not self.answered and not self.withdrawn


@audited(exclude=["content", "progress", "message"])
class ReportRender(models.Model):
    """A PDF of a report, made by a background task; the page shows its progress. The audit
    keeps who asked and when, not the file nor each step of progress."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="renders")
    stage = models.CharField(max_length=30, choices=ReportStage)
    status = models.CharField(max_length=20, choices=RenderStatus, default=RenderStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    content = models.BinaryField(null=True, blank=True, editable=False)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    requested_by = optional_link(settings.AUTH_USER_MODEL, "+", on_delete=models.SET_NULL)
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text="How many times a worker started it (a stalled one is restarted)."
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"PDF of {self.report} ({self.get_status_display()})"


@audited()
class LetterTemplate(Versioned):
    """A letter's wording as a sandboxed Jinja2 template an administrator can edit."""

    kind = models.CharField(max_length=40, choices=LetterKind, unique=True)
    subject = models.CharField(max_length=300)
    body = models.TextField(help_text="Jinja2 template text (sandboxed); see the variables listed.")
    updated_by = user_link(optional=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.get_kind_display()
