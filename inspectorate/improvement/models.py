"""Improvement cases: Ofsted's support and challenge after a requires improvement or
inadequate judgement (SC-1 to SC-9, TM-4).

Who sees a case is decided by `visible_to(user)` here and nowhere else: the programme staff
(SC-9), Ofsted improvement HMI, quality assurance and system administrators; the case's own
establishment sees its case, its agreed actions and its letters only once sent (SC-4).
Nothing of a case is ever public.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models
from django.db.models import Q

from inspectorate.accounts.permissions import user_has_duty
from inspectorate.accounts.roles import Duty
from inspectorate.audit.tracking import audited
from inspectorate.estate.models import Establishment
from inspectorate.improvement.constants import (
    LETTER_WORKING_DAYS,
    VISIT_KINDS,
    ActionStatus,
    CaseStatus,
    ContactKind,
    LetterStatus,
    SupportOption,
    Track,
)
from inspectorate.inspections.models import Judgement
from inspectorate.lib.models import ConditionQuerySet, Versioned, optional_link, user_link
from inspectorate.lib.workdays import Nation, add_working_days
from inspectorate.programme.models import Event, today


def case_filter(user: Any, prefix: str = "") -> Q | None:
    """Who sees a case (None: nobody)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user_has_duty(user, Duty.WORKS_IMPROVEMENT_CASES):
        return Q()
    if user.is_establishment_user:
        return Q(**{f"{prefix}establishment_id": user.establishment_id})
    return None


class CaseQuerySet(ConditionQuerySet["ImprovementCase"]):
    def visible_to(self, user: Any) -> CaseQuerySet:
        return self.meeting(case_filter(user), distinct=False)


@audited()
class ImprovementCase(Versioned):
    """Opened at once by a requires improvement or inadequate judgement (SC-1); closed when
    the next inspection's judgement is recorded."""

    establishment = models.ForeignKey(
        Establishment, on_delete=models.PROTECT, related_name="improvement_cases"
    )
    track = models.CharField(max_length=10, choices=Track)
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="improvement_cases")
    opened_by = models.ForeignKey(
        Judgement, on_delete=models.PROTECT, related_name="improvement_cases"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    improvement_hmi = user_link("improvement_cases", optional=True)
    improvement_hmi_reason = models.TextField(
        blank=True, help_text="Why an inspector of the last or next inspection was chosen (TM-4)."
    )
    learning_provider = models.CharField(max_length=200, blank=True)
    funding_body = models.CharField(max_length=200, blank=True)
    funding_body_email = models.EmailField(blank=True)
    commissioning_head = models.CharField(max_length=200, blank=True)
    commissioning_email = models.EmailField(blank=True)
    addressee = models.CharField(
        max_length=200,
        blank=True,
        help_text="The governor or director (prisons), or the principal or chief executive (FE).",
    )
    addressee_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="Their name, for the letter's greeting (without it: 'Dear Governor').",
    )
    monitoring_visit_from = models.DateField(null=True, blank=True)  # SC-8
    monitoring_visit_to = models.DateField(null=True, blank=True)
    reinspection_from = models.DateField(null=True, blank=True)  # SC-7, SC-8
    reinspection_to = models.DateField(null=True, blank=True)
    bring_forward_requested_on = models.DateField(null=True, blank=True)
    bring_forward_reason = models.TextField(blank=True)
    insufficient_progress_on = models.DateField(null=True, blank=True)  # SC-5
    insufficient_progress_note = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=CaseStatus, default=CaseStatus.OPEN)
    closed_by = optional_link(Judgement)
    closed_on = models.DateField(null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["establishment"],
                condition=Q(status=CaseStatus.OPEN),
                name="one_open_improvement_case_per_establishment",
            ),
            models.CheckConstraint(
                name="closed_case_has_a_date",
                condition=Q(status=CaseStatus.OPEN) | Q(closed_on__isnull=False),
                violation_error_message="A closed case records when it closed.",
            ),
        ]

    def __str__(self) -> str:
        return f"Improvement case: {self.establishment}"

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN


@audited()
class Contact(Versioned):
    """A telephone conversation or a visit (SC-2, SC-3, SC-6)."""

    case = models.ForeignKey(ImprovementCase, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(max_length=20, choices=ContactKind)
    held_on = models.DateField()
    notes = models.TextField(blank=True)
    window_reason = models.TextField(
        blank=True, help_text="Why an FE visit falls outside 10 to 30 working days (SC-2)."
    )
    recorded_by = user_link()

    class Meta:
        ordering = ["case", "held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.held_on:%-d %B %Y}"

    @property
    def is_visit(self) -> bool:
        return self.kind in VISIT_KINDS

    def letter_due_on(self) -> date | None:
        """SC-4: five working days after a visit, in the establishment's nation."""
        if not self.is_visit:
            return None
        nation = Nation(self.case.establishment.nation)
        return add_working_days(self.held_on, LETTER_WORKING_DAYS, nation)


@audited()
class PriorityAction(Versioned):
    """An action agreed at a contact, with its owner and timescale (SC-3), tracked to done
    (SC-6: each follow-up visit's letter confirms where the earlier actions stand)."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="actions")
    action = models.TextField()
    owner = models.CharField(max_length=200)
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=ActionStatus, default=ActionStatus.OPEN)
    done_on = models.DateField(null=True, blank=True)
    done_by = user_link(optional=True)

    class Meta:
        ordering = ["contact", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="done_action_records_when_and_by_whom",
                condition=(
                    Q(status=ActionStatus.OPEN, done_on__isnull=True, done_by__isnull=True)
                    | Q(status=ActionStatus.DONE, done_on__isnull=False, done_by__isnull=False)
                ),
                violation_error_message="A done action records when it was done and by whom.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.action[:60]} ({self.owner}, by {self.due_on:%-d %B %Y})"

    @property
    def is_done(self) -> bool:
        return self.status == ActionStatus.DONE

    @property
    def is_overdue(self) -> bool:
        return not self.is_done and self.due_on < today()


@audited()
class SupportAgreed(models.Model):
    """Support agreed at a contact: an option of the source documents, or written in."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="support")
    option = models.CharField(max_length=30, choices=SupportOption, blank=True)
    other = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="support_names_an_option_or_other",
                condition=(~Q(option="") & Q(other="")) | (Q(option="") & ~Q(other="")),
                violation_error_message="Support is one listed option or a written-in one.",
            )
        ]

    def __str__(self) -> str:
        return self.get_option_display() if self.option else self.other


class LetterQuerySet(ConditionQuerySet["Letter"]):
    def visible_to(self, user: Any) -> LetterQuerySet:
        """Case readers; the establishment only once sent (SC-4). Never the public."""
        letters = self.meeting(case_filter(user, prefix="contact__case__"), distinct=False)
        if getattr(user, "is_establishment_user", False):
            return letters.filter(status=LetterStatus.SENT)
        return letters


@audited()
class Letter(Versioned):
    """The letter confirming the actions and timescales of a visit (SC-4): never published."""

    contact = models.OneToOneField(Contact, on_delete=models.CASCADE, related_name="letter")
    addressed_to = models.CharField(max_length=200)
    copied_to = models.TextField(blank=True)
    body = models.TextField()
    status = models.CharField(max_length=20, choices=LetterStatus, default=LetterStatus.DRAFT)
    factual_check_on = models.DateField(null=True, blank=True)
    sent_on = models.DateField(null=True, blank=True)
    sent_by = user_link(optional=True)

    objects = LetterQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Letter to {self.addressed_to}"
